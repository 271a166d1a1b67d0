import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import type { Config } from './config/schema.js';
import type { RunningServer } from './server.js';
import type { BuiltinReport } from './tools/builtins/builtin-tools.js';

/** What `npm start` prints once the server listens: where, in which mode and role, with what, and which built-in tools are on. */
export function banner(config: Config, server: RunningServer): string {
  const display = (path: string) => {
    const rel = relative(process.cwd(), path);
    return rel && !rel.startsWith('..') ? rel : path;
  };
  const storage = config.DATABASE_URL
    ? 'PostgreSQL (DATABASE_URL)'
    : `PGlite in ${display(`${config.AGENTD_DATA_DIR}/pglite`)}`;
  const model = config.OPENAI_BASE_URL
    ? `${config.AGENTD_DEFAULT_MODEL ?? '(set AGENTD_DEFAULT_MODEL)'} at ${config.OPENAI_BASE_URL}`
    : 'scripted stand-in (set OPENAI_BASE_URL and OPENAI_API_KEY for a real model)';
  const lines = [
    '',
    `agentd listening on ${server.url}`,
    `  mode:      ${modeLine(config)}`,
    `  data:      ${display(config.AGENTD_DATA_DIR)} (${storage})`,
    `  model:     ${model}`,
  ];
  if (config.AGENTD_ROLE === 'worker') {
    lines.push(...builtinLines(server.services.tools.builtins?.report()));
    lines.push(`  probes:    ${server.url}/healthz ${server.url}/readyz`, '');
    return lines.join('\n');
  }
  const keyFile = display(server.admin.keyFile);
  lines.push(`  API docs:  ${server.url}/docs   OpenAPI: ${server.url}/openapi.json`);
  switch (server.admin.source) {
    case 'created':
      lines.push(
        `  admin key: ${server.admin.createdKey}`,
        `             shown once; also saved to ${keyFile} (mode 0600)`,
      );
      break;
    case 'env':
      lines.push('  admin key: the value of AGENTD_ADMIN_KEY');
      break;
    case 'existing':
      lines.push(
        existsSync(server.admin.keyFile)
          ? `  admin key: in ${keyFile}`
          : '  admin key: created earlier (by AGENTD_ADMIN_KEY or on another host)',
      );
  }
  lines.push(...builtinLines(server.services.tools.builtins?.report()));
  const keyExpr = server.admin.source === 'env' ? '$AGENTD_ADMIN_KEY' : `$(cat ${keyFile})`;
  lines.push(`  try:       curl -H "Authorization: Bearer ${keyExpr}" ${server.url}/v1/agents`, '');
  return lines.join('\n');
}

const ROLES: Record<Config['AGENTD_ROLE'], string> = {
  all: 'API and runs',
  api: 'API only; workers execute the runs',
  worker: 'executes runs; serves no API, only /healthz, /readyz and /metrics',
};

/** Embedded or scaled (DATABASE_URL and REDIS_URL), and what this process does (AGENTD_ROLE). */
export function modeLine(config: Config): string {
  const mode =
    config.DATABASE_URL && config.REDIS_URL
      ? 'scaled (PostgreSQL and Redis)'
      : 'embedded (one process; set DATABASE_URL and REDIS_URL to scale out)';
  return `${mode}, role ${config.AGENTD_ROLE}: ${ROLES[config.AGENTD_ROLE]}`;
}

/** The built-in tools that are on, and for each one that is off, why and how to turn it on. */
export function builtinLines(report: BuiltinReport | undefined): string[] {
  if (!report) return ['  tools:     no built-in tools'];
  const lines = [`  tools:     ${report.on.length > 0 ? report.on.join(', ') : 'no built-in tool is on'}`];
  for (const note of report.notes) lines.push(`             ${note}`);
  for (const off of report.off) {
    lines.push(`  off:       ${off.name}: ${off.why}`);
    if (off.fix) lines.push(`             to turn it on: ${off.fix}`);
  }
  return lines;
}
