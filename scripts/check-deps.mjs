#!/usr/bin/env node
// Checks the import rules of .dependency-cruiser.cjs over packages/ (npm run deps; npm test runs it too).
// Prints each import that breaks a rule with the rule's reason, and the known exceptions
// that no longer occur (their entries can go). Exits 1 when an import breaks a rule.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cruised = spawnSync('npx', ['--no-install', 'depcruise', 'packages', '--output-type', 'json'], {
  cwd: root,
  encoding: 'utf8',
  maxBuffer: 256 * 1024 * 1024,
  stdio: ['ignore', 'pipe', 'inherit'],
});
if (cruised.error) throw cruised.error;

let result;
try {
  result = JSON.parse(cruised.stdout);
} catch {
  console.error(`deps: dependency-cruiser failed (exit ${cruised.status}) and printed no report`);
  process.exit(1);
}

const { summary } = result;
const reasons = new Map(summary.ruleSetUsed.forbidden.map((rule) => [rule.name, rule.comment]));
const broken = summary.violations.filter((violation) => violation.rule.severity !== 'ignore');
const path = (violation) =>
  violation.cycle
    ? [violation.from, ...violation.cycle.map((step) => step.name)]
    : [violation.from, violation.to];

for (const violation of broken) {
  console.error(`deps: ${violation.rule.name}: ${path(violation).join(' -> ')}`);
  console.error(`      ${reasons.get(violation.rule.name) ?? ''}`);
}

const key = (violation) => `${violation.rule.name} ${violation.from} ${violation.to}`;
const occurring = new Set(summary.violations.map(key));
const stale = (summary.optionsUsed.knownViolations ?? []).filter((known) => !occurring.has(key(known)));
for (const known of stale) {
  console.error(
    `deps: known exception no longer occurs, remove it from .dependency-cruiser.cjs: ${key(known)}`,
  );
}

const known = summary.violations.length - broken.length;
console.error(
  `deps: ${summary.totalCruised} modules, ${broken.length} import(s) breaking the rules, ${known} known exception(s)`,
);
process.exit(broken.length === 0 ? 0 : 1);
