/**
 * deploy/observability: the Grafana dashboard and the Prometheus alert rules
 * read only metrics agentd serves, and every alert names a runbook that exists.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Agentd, startAgentd } from '@agentd/test-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parsePrometheusText, type Scrape } from './support/prometheus-text.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string) => readFileSync(`${REPO}${path}`, 'utf8');

interface Rule {
  alert: string;
  expr: string;
  labels: { severity: string };
  annotations: { summary: string; runbook_url: string };
}
interface Dashboard {
  panels: { type: string; title: string; targets?: { expr: string }[] }[];
}

/** The metric families a query reads: histogram and summary series are named by their family. */
function familiesIn(expr: string): string[] {
  return [...expr.matchAll(/\bagentd_[a-z0-9_]+/g)].map((match) =>
    match[0].replace(/_(bucket|count|sum)$/, ''),
  );
}

describe('deploy/observability', () => {
  let agentd: Agentd;
  let scrape: Scrape;
  const rules = (
    parse(read('deploy/observability/prometheus-alerts.yaml')) as { groups: { rules: Rule[] }[] }
  ).groups.flatMap((group) => group.rules);
  const dashboard = JSON.parse(read('deploy/observability/grafana-dashboard.json')) as Dashboard;

  beforeAll(async () => {
    agentd = await startAgentd({ backend: 'pglite' });
    scrape = parsePrometheusText(await (await fetch(`${agentd.server.url}/metrics`)).text());
  });
  afterAll(async () => {
    await agentd?.close();
  });

  const served = (family: string) => scrape.types.has(family) || scrape.types.has(`${family}_total`);

  it('alerts on the three incidents of the runbooks, each alert with a severity and an existing runbook', () => {
    expect(rules.map((rule) => rule.alert)).toEqual(
      expect.arrayContaining([
        'AgentdRunQueueStalled',
        'AgentdModelCallsFailing',
        'AgentdSandboxPoolExhausted',
      ]),
    );
    for (const rule of rules) {
      expect(['critical', 'warning'], rule.alert).toContain(rule.labels.severity);
      expect(rule.annotations.summary, rule.alert).toBeTruthy();
      expect(existsSync(`${REPO}${rule.annotations.runbook_url}`), rule.annotations.runbook_url).toBe(true);
    }
    for (const runbook of ['stuck-run', 'model-outage', 'sandbox-pool-exhausted']) {
      expect(rules.some((rule) => rule.annotations.runbook_url.endsWith(`incident-${runbook}.md`))).toBe(
        true,
      );
    }
  });

  it('reads only metrics agentd serves, in the alerts and in every dashboard panel', () => {
    const exprs = [
      ...rules.map((rule) => rule.expr),
      ...dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr)),
    ];
    const families = new Set(exprs.flatMap(familiesIn));
    expect(families.size).toBeGreaterThan(15);
    const missing = [...families].filter((family) => !served(family));
    expect(missing).toEqual([]);
    const graphed = dashboard.panels.filter((panel) => panel.type === 'timeseries');
    expect(graphed.every((panel) => (panel.targets ?? []).length > 0)).toBe(true);
  });
});
