import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startAgentd } from '@agentd/test-server';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load-config.js';
import { CONFIG_KEYS } from '../src/config/schema.js';
import { CPYTHON_PACKAGES } from '../src/tools/builtins/turn-on-hints.js';
import { containerEnv, podLabels, podSpec, probes } from './support/chart-env.js';
import { durationMs, loadCompose, readEnvFile, serviceEnv } from './support/compose-file.js';
import { envPairs, finalStage, readDockerfile } from './support/dockerfile.js';
import { loadChart, type RenderedObject } from './support/helm-chart.js';

const MASTER_KEY = randomBytes(32).toString('base64');
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DEPLOY = join(ROOT, 'deploy');
const COMPOSE = join(DEPLOY, 'compose.yaml');
const CHART = join(DEPLOY, 'helm', 'agentd');
/** The values every chart rendering needs (the defaults leave them empty). */
const REQUIRED_VALUES = {
  masterKey: { value: MASTER_KEY },
  secretConfig: { DATABASE_URL: 'postgres://agentd:pw@db:5432/agentd', REDIS_URL: 'redis://redis:6379' },
};
const REDIS_URL = process.env.AGENTD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The parts of a rendered object's spec the checks read. */
interface Spec {
  selector: Record<string, string> & { matchLabels: Record<string, string> };
  replicas?: number;
  scaleTargetRef?: unknown;
  ports?: unknown;
  metrics?: {
    resource?: { name: string };
    external?: { metric: { name: string } };
    pods?: { metric: { name: string } };
  }[];
}

/** Variables a manifest may set that are not agentd settings: none. */
const notSettings = (names: string[]) => names.filter((name) => !(CONFIG_KEYS as string[]).includes(name));

describe('deploy/compose.yaml', () => {
  const example = readEnvFile(join(DEPLOY, '.env.example'));
  // What an operator writes into deploy/.env: the example, with the key it asks for.
  const compose = loadCompose(COMPOSE, { ...example, AGENTD_MASTER_KEY: MASTER_KEY });
  const agentd = Object.entries(compose.services).filter(
    ([, s]) => s.build?.dockerfile === 'deploy/Dockerfile',
  );

  it('runs the API and a worker from deploy/Dockerfile, beside PostgreSQL with pgvector and Redis', () => {
    expect(agentd.map(([name, s]) => [name, serviceEnv(s).AGENTD_ROLE])).toEqual([
      ['api', 'api'],
      ['worker', 'worker'],
    ]);
    expect(compose.services.postgres?.image).toMatch(/^pgvector\/pgvector:pg\d+/);
    expect(compose.services.redis?.image).toMatch(/^redis:/);
    expect(compose.services.api?.ports).toEqual(['127.0.0.1:8787:8787']);
    expect(compose.services.worker?.ports).toBeUndefined();
  });

  it('sets only agentd settings, with values its configuration accepts', () => {
    for (const [name, service] of agentd) {
      const env = serviceEnv(service);
      expect(notSettings(Object.keys(env)), name).toEqual([]);
      const config = loadConfig(env);
      expect(config.AGENTD_HOST, name).toBe('0.0.0.0');
      expect(config.DATABASE_URL, name).toMatch(/^postgres:\/\/agentd:.*@postgres:5432\/agentd$/);
      expect(config.REDIS_URL, name).toBe('redis://redis:6379');
      expect(config.AGENTD_MASTER_KEY, name).toBe(MASTER_KEY);
    }
  });

  it('refuses to start without AGENTD_MASTER_KEY in deploy/.env', () => {
    expect(() => loadCompose(COMPOSE, example)).toThrow(/AGENTD_MASTER_KEY.*openssl rand -base64 32/);
  });

  it('starts agentd after healthy databases, checks its probes, and waits out the drain on stop', () => {
    for (const [name, service] of agentd) {
      expect(service.depends_on, name).toEqual({
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      });
      const test = service.healthcheck?.test as string[];
      expect(test.slice(0, 3), name).toEqual(['CMD', 'node', '/app/deploy/healthcheck.mjs']);
      expect(test.slice(3), name).toEqual(['/healthz', '/readyz']);
      const env = serviceEnv(service);
      const config = loadConfig(env);
      // SIGKILL comes after stop_grace_period: the drain and the exit must fit in it.
      expect(durationMs(service.stop_grace_period ?? '10s'), name).toBeGreaterThanOrEqual(
        config.AGENTD_DRAIN_TIMEOUT_MS + 5000,
      );
    }
    for (const name of ['postgres', 'redis']) expect(compose.services[name]?.healthcheck?.test).toBeDefined();
  });

  it('lets the worker create the CPython sandbox’s namespaces, unless CPython is off', () => {
    const worker = compose.services.worker ?? {};
    const config = loadConfig(serviceEnv(worker));
    if (config.AGENTD_CODE_INTERPRETER_CPYTHON === 'off') return;
    expect(worker.security_opt).toEqual(
      expect.arrayContaining(['seccomp=unconfined', 'apparmor=unconfined', 'systempaths=unconfined']),
    );
  });
});

describe('deploy/helm/agentd', () => {
  const chart = loadChart(CHART);
  const required = REQUIRED_VALUES;
  const variants: [string, Record<string, unknown>][] = [
    ['the defaults', required],
    [
      'the sandbox on, secrets of the user’s, fixed replicas, a Pods metric',
      {
        masterKey: { existingSecret: 'my-keys', existingSecretKey: 'master' },
        existingSecretConfig: 'my-settings',
        config: { AGENTD_LOG_LEVEL: 'debug', AGENTD_OBJECT_STORE: 's3', S3_BUCKET: 'agentd' },
        codeInterpreter: { cpythonSandbox: true },
        api: { autoscaling: { enabled: false }, drainTimeoutMs: 3_600_000 },
        worker: { autoscaling: { queueDepth: { metricType: 'Pods' } }, drainTimeoutMs: 1_000_000 },
        dataVolume: { existingClaim: 'agentd-data' },
      },
    ],
  ];
  const deployments = (objects: RenderedObject[]) => objects.filter((o) => o.object.kind === 'Deployment');
  const find = (objects: RenderedObject[], kind: string, name: string) =>
    objects.find((o) => o.object.kind === kind && o.object.metadata.name === name)?.object as
      | (RenderedObject['object'] & { spec: Spec })
      | undefined;

  it('refuses to render without the master key, the database or Redis', () => {
    expect(() => chart.render()).toThrow(/DATABASE_URL/);
    const { masterKey, secretConfig } = required;
    expect(() => chart.render({ values: { secretConfig } })).toThrow(
      /masterKey.value .* or masterKey.existingSecret/,
    );
    expect(() =>
      chart.render({ values: { masterKey, secretConfig: { DATABASE_URL: 'postgres://db/a' } } }),
    ).toThrow(/REDIS_URL/);
  });

  it.each(variants)('with %s: every variable is an agentd setting, with a value it accepts', (_, values) => {
    const objects = chart.render({ values });
    expect(deployments(objects).map((d) => d.object.metadata.name)).toEqual(['agentd-api', 'agentd-worker']);
    for (const { object } of deployments(objects)) {
      const role = podLabels(object)['app.kubernetes.io/component'] as string;
      const [container, ...others] = podSpec(object).containers;
      expect(others).toEqual([]);
      if (!container) throw new Error('no container');
      // The user's Secrets hold these in the second variant; the test stands in for them.
      const standIns = { AGENTD_MASTER_KEY: MASTER_KEY };
      const { env, names, external } = containerEnv(objects, container, standIns);
      expect(notSettings(names), role).toEqual([]);
      // With the defaults every value comes from the chart's own ConfigMap and Secrets.
      if (values === required) expect(external, role).toEqual([]);
      const config = loadConfig(
        external.length > 0
          ? { ...env, DATABASE_URL: 'postgres://db/agentd', REDIS_URL: 'redis://redis' }
          : env,
      );
      expect(config.AGENTD_ROLE).toBe(role);
      expect(config.AGENTD_HOST).toBe('0.0.0.0');
      expect(config.AGENTD_MASTER_KEY).toBe(MASTER_KEY);
      expect(container.ports).toEqual([{ name: 'http', containerPort: config.AGENTD_PORT, protocol: 'TCP' }]);
      for (const probe of probes(container)) expect(probe.port, `${role} ${probe.kind}`).toBe('http');
      expect(probes(container).map((p) => [p.kind, p.path])).toEqual([
        ['startupProbe', '/healthz'],
        ['livenessProbe', '/healthz'],
        ['readinessProbe', '/readyz'],
      ]);
      // SIGKILL comes after the grace period: the preStop pause, the drain and the exit must fit in it.
      const preStop = Number(container.lifecycle?.preStop?.exec?.command.at(-1) ?? 0);
      const graceMs = (podSpec(object).terminationGracePeriodSeconds ?? 30) * 1000;
      expect(graceMs, role).toBeGreaterThanOrEqual(preStop * 1000 + config.AGENTD_DRAIN_TIMEOUT_MS + 5000);
    }
  });

  it.each(variants)(
    'with %s: autoscaling, disruption budgets and the Service select the pods',
    (_, values) => {
      const objects = chart.render({ values });
      for (const { object } of deployments(objects)) {
        const labels = podLabels(object);
        const role = labels['app.kubernetes.io/component'] as string;
        const matches = (selector: Record<string, string>) =>
          Object.entries(selector).every(([key, value]) => labels[key] === value);
        expect(matches((object as { spec: Spec }).spec.selector.matchLabels)).toBe(true);
        const pdb = find(objects, 'PodDisruptionBudget', object.metadata.name);
        expect(pdb && matches(pdb.spec.selector.matchLabels), `${role} PDB`).toBe(true);
        const hpa = find(objects, 'HorizontalPodAutoscaler', object.metadata.name);
        const autoscaled =
          (values[role] as { autoscaling?: { enabled?: boolean } } | undefined)?.autoscaling?.enabled ?? true;
        expect(Boolean(hpa), `${role} HPA`).toBe(autoscaled);
        expect((object as { spec: Spec }).spec.replicas === undefined, `${role} replicas`).toBe(autoscaled);
        if (!hpa) continue;
        expect(hpa.spec.scaleTargetRef).toEqual({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: object.metadata.name,
        });
        const metrics = hpa.spec.metrics?.map(
          (m) => m.resource?.name ?? m.external?.metric.name ?? m.pods?.metric.name,
        );
        expect(metrics).toEqual(role === 'worker' ? ['cpu', 'agentd_run_queue_depth'] : ['cpu']);
      }
      const service = find(objects, 'Service', 'agentd');
      const api = find(objects, 'Deployment', 'agentd-api');
      expect(service?.spec.selector).toEqual(api?.spec.selector.matchLabels);
      expect(service?.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
    },
  );

  it.each(variants)(
    'with %s: pods run as non-root; only the sandbox loosens seccomp, AppArmor and /proc',
    (_, values) => {
      const objects = chart.render({ values });
      const sandbox =
        (values.codeInterpreter as { cpythonSandbox?: boolean } | undefined)?.cpythonSandbox === true;
      for (const { object } of deployments(objects)) {
        const spec = podSpec(object);
        const worker = object.metadata.name === 'agentd-worker';
        expect(spec.securityContext).toMatchObject({
          runAsNonRoot: true,
          runAsUser: 10001,
          seccompProfile: { type: 'RuntimeDefault' },
        });
        const context = spec.containers[0]?.securityContext ?? {};
        expect(context).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
        const loosened = sandbox && worker;
        expect(context.procMount, object.metadata.name).toBe(loosened ? 'Unmasked' : undefined);
        expect(context.seccompProfile, object.metadata.name).toEqual(
          loosened ? { type: 'Unconfined' } : undefined,
        );
        expect(context.appArmorProfile, object.metadata.name).toEqual(
          loosened ? { type: 'Unconfined' } : undefined,
        );
        expect(spec.hostUsers, object.metadata.name).toBe(loosened ? false : undefined);
      }
    },
  );
});

describe('deploy/Dockerfile', () => {
  const instructions = readDockerfile(join(DEPLOY, 'Dockerfile'));
  const image = finalStage(instructions);
  const last = (keyword: string) => image.filter((i) => i.keyword === keyword).at(-1)?.args;

  it('runs the server as a non-root user on port 8787', () => {
    const user = last('USER') ?? 'root';
    expect(user.split(':')[0]).not.toMatch(/^(root|0)$/);
    expect(last('EXPOSE')).toBe('8787');
    expect(JSON.parse(last('CMD') ?? '[]')).toEqual(['node', 'packages/server/dist/main.js']);
    const env = Object.assign({}, ...image.filter((i) => i.keyword === 'ENV').map((i) => envPairs(i.args)));
    expect(notSettings(Object.keys(env))).toEqual([]);
    expect(loadConfig(env)).toMatchObject({ AGENTD_HOST: '0.0.0.0', AGENTD_PORT: 8787 });
    const healthcheck = JSON.parse((last('HEALTHCHECK') ?? '').replace(/^.*?CMD\s+/, '')) as string[];
    expect(healthcheck.slice(0, 2)).toEqual(['node', '/app/deploy/healthcheck.mjs']);
  });

  it('installs Chromium, bubblewrap and the code interpreter’s Python from scripts/system-deps.mjs', async () => {
    // The package list is computed in the image by the same command, from the same file.
    const run = image.find((i) => i.keyword === 'RUN' && i.args.includes('TOOL_PACKAGES'))?.args ?? '';
    const script = run.match(/node --input-type=module -e '([^']*)'/)?.[1] ?? '';
    const copy = image.find((i) => i.keyword === 'COPY' && i.args.startsWith('scripts/system-deps.mjs '));
    const target = copy?.args.split(/\s+/)[1] ?? '';
    expect(script).toContain(target);
    const printed = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', script.replace(target, join(ROOT, 'scripts/system-deps.mjs'))],
      {
        encoding: 'utf8',
      },
    );
    expect(printed.stderr).toBe('');
    const installed = printed.stdout.trim().split(' ');
    expect(run).toMatch(/packages="\$\(node[^\n]*apt-get install -y --no-install-recommends \$packages /);
    const { TOOL_PACKAGES } = (await import(pathToFileURL(join(ROOT, 'scripts/system-deps.mjs')).href)) as {
      TOOL_PACKAGES: string[];
    };
    expect(installed).toEqual(TOOL_PACKAGES);
    expect(installed).toEqual(
      expect.arrayContaining(['chromium', 'bubblewrap', ...CPYTHON_PACKAGES.split(' ')]),
    );
  });

  it('builds the workspace itself: nothing built or installed on the host enters the context', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', '.git', 'deploy/.env']));
    const build = instructions.filter((i) => i.stage === 0).map((i) => `${i.keyword} ${i.args}`);
    expect(build).toEqual(expect.arrayContaining(['RUN npm ci --no-audit --no-fund', 'RUN npx tsc -b']));
  });
});

/** Every probe and health check, with the settings of the process it checks. */
function probeTargets(): { source: string; env: Record<string, string>; paths: string[] }[] {
  const targets: { source: string; env: Record<string, string>; paths: string[] }[] = [];
  const compose = loadCompose(COMPOSE, {
    ...readEnvFile(join(DEPLOY, '.env.example')),
    AGENTD_MASTER_KEY: MASTER_KEY,
  });
  for (const [name, service] of Object.entries(compose.services)) {
    const test = service.healthcheck?.test;
    if (service.build?.dockerfile !== 'deploy/Dockerfile' || !Array.isArray(test)) continue;
    targets.push({
      source: `compose ${name}`,
      env: serviceEnv(service),
      paths: test.filter((a) => a.startsWith('/') && !a.endsWith('.mjs')),
    });
  }
  const objects = loadChart(CHART).render({ values: REQUIRED_VALUES });
  for (const { object } of objects.filter((o) => o.object.kind === 'Deployment')) {
    const container = podSpec(object).containers[0];
    if (!container) continue;
    const { env } = containerEnv(objects, container, {});
    targets.push({
      source: `chart ${object.metadata.name}`,
      env,
      paths: probes(container).map((p) => p.path),
    });
  }
  const healthcheck = finalStage(readDockerfile(join(DEPLOY, 'Dockerfile'))).find(
    (i) => i.keyword === 'HEALTHCHECK',
  );
  const command = JSON.parse(healthcheck?.args.replace(/^.*?CMD\s+/, '') ?? '[]') as string[];
  targets.push({
    source: 'Dockerfile',
    env: {},
    paths: command.filter((a) => a.startsWith('/') && !a.endsWith('.mjs')),
  });
  return targets;
}

describe('every probe and health-check path answers 200 on a real server of its role', () => {
  const servers: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });

  it('answers them', async () => {
    const targets = probeTargets();
    expect(targets.map((t) => t.source)).toEqual([
      'compose api',
      'compose worker',
      'chart agentd-api',
      'chart agentd-worker',
      'Dockerfile',
    ]);
    // Each on a server with the manifest's own settings (its role among them), on this machine's
    // PostgreSQL and Redis, listening where the test can reach it.
    for (const { source, env, paths } of targets) {
      const { AGENTD_HOST, AGENTD_PORT, AGENTD_DATA_DIR, DATABASE_URL, ...settings } = env;
      // An admin key given, so the fixture reads no key file (a worker may not write one).
      const AGENTD_ADMIN_KEY = `sk-deploy-test-${randomBytes(12).toString('hex')}`;
      const agentd = await startAgentd({
        backend: 'postgres',
        env: { ...settings, REDIS_URL, AGENTD_ADMIN_KEY },
      });
      servers.push(agentd);
      expect(paths.length, source).toBeGreaterThan(0);
      for (const path of paths) {
        const response = await fetch(`${agentd.server.url}${path}`);
        expect(`${source} ${path}: ${response.status}`).toBe(`${source} ${path}: 200`);
      }
    }
  });
});
