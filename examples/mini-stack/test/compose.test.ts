import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@agentd/server';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadCompose, readEnvFile, serviceEnv } from '../../../packages/server/test/support/compose-file.js';

// Docker is not needed (nor assumed) here: the files are read as compose reads them.
const repo = fileURLToPath(new URL('../../..', import.meta.url));
const readYaml = (path: string) => parse(readFileSync(join(repo, path), 'utf8'), { merge: true });

interface Service {
  image?: string;
  build?: unknown;
  profiles?: string[];
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}

const compose = readYaml('deploy/compose.yaml') as { services: Record<string, Service>; volumes: object };
const services = compose.services;
const STUBS = ['stub-http', 'stub-mcp', 'stub-openapi'];

/** The manifests of the walkthrough, by the host:port their URLs name. */
function manifestHosts(): string[] {
  const dir = join(repo, 'examples/mini-stack/tools');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.tool.json'))
    .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')).adapter)
    .map((adapter) => new URL(adapter.url ?? adapter.document).host)
    .sort();
}

describe('deploy/compose.yaml: the mini-stack profile', () => {
  it('adds agentd and the three stubs under the profile and leaves the default services as they were', () => {
    const profiled = Object.entries(services)
      .filter(([, service]) => service.profiles?.includes('mini-stack'))
      .map(([name]) => name)
      .sort();
    expect(profiled).toEqual(['mini-agentd', ...STUBS]);
    const always = Object.entries(services)
      .filter(([, service]) => service.profiles === undefined)
      .map(([name]) => name);
    expect(always).toEqual(['postgres', 'redis', 'api', 'worker']);
  });

  it('runs agentd on the scripted model with PostgreSQL and Redis, the stubs opened and nothing more', () => {
    const agentd = services['mini-agentd']!;
    expect(agentd.build).toEqual(services.api!.build);
    const env = agentd.environment!;
    expect(Object.keys(env).filter((key) => key.startsWith('OPENAI_'))).toEqual([]);
    expect(env.DATABASE_URL).toMatch(/@postgres:5432\//);
    expect(env.REDIS_URL).toBe('redis://redis:6379');
    expect(env.AGENTD_ROLE).toBe('all');
    expect(env.AGENTD_NET_ALLOW!.split(',').sort()).toEqual(manifestHosts());
    expect(Object.keys(agentd.depends_on!).sort()).toEqual(['postgres', 'redis', ...STUBS].sort());
    for (const dependency of Object.values(agentd.depends_on!))
      expect(dependency.condition).toBe('service_healthy');
    expect(agentd.ports).toEqual(['${AGENTD_MINI_PUBLISH:-127.0.0.1:8788}:8787']);
    expect(agentd.volumes).toEqual(['mini-agentd-data:/var/lib/agentd']);
    expect(compose.volumes).toHaveProperty('mini-agentd-data');
  });

  it('runs each stub from examples/mini-stack/stubs, read-only, on the port its manifest names, with a health check', () => {
    for (const name of STUBS) {
      const stub = services[name]!;
      expect(stub.image).toBe('node:20-bookworm-slim');
      expect(stub.volumes).toEqual(['../examples/mini-stack/stubs:/stubs:ro']);
      const script = stub.command![1]!.replace(/^\/stubs\//, 'examples/mini-stack/stubs/');
      expect(existsSync(join(repo, script))).toBe(true);
      expect(stub.environment?.PORT).toBe('8080');
      expect(stub.healthcheck?.test.join(' ')).toContain('http://127.0.0.1:8080/healthz');
      expect(manifestHosts()).toContain(`${name}:8080`);
    }
  });

  it('gives agentd settings its configuration accepts, as compose interpolates them from deploy/.env', () => {
    const vars = {
      ...readEnvFile(join(repo, 'deploy/.env.example')),
      AGENTD_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
    };
    const active = loadCompose(join(repo, 'deploy/compose.yaml'), vars, ['mini-stack']).services;
    expect(Object.keys(active).sort()).toEqual([
      'api',
      'mini-agentd',
      'postgres',
      'redis',
      ...STUBS,
      'worker',
    ]);
    const config = loadConfig(serviceEnv(active['mini-agentd']!));
    expect(config).toMatchObject({ AGENTD_ROLE: 'all', AGENTD_HOST: '0.0.0.0', AGENTD_PORT: 8787 });
    expect(config.OPENAI_BASE_URL).toBeUndefined();
    expect(() => loadCompose(join(repo, 'deploy/compose.yaml'), {}, ['mini-stack'])).toThrow(
      /AGENTD_MASTER_KEY/,
    );
  });

  it('names no variable without a default except the master key', () => {
    const text = readFileSync(join(repo, 'deploy/compose.yaml'), 'utf8');
    const bare = [...text.matchAll(/\$\{([A-Z_]+)(:?[-?][^}]*)?\}/g)]
      .filter((match) => !match[2]?.startsWith(':-'))
      .map((match) => match[1]);
    expect([...new Set(bare)]).toEqual(['AGENTD_MASTER_KEY']);
  });
});

describe('.devcontainer: the dev container beside the same services', () => {
  const devcontainer = JSON.parse(readFileSync(join(repo, '.devcontainer/devcontainer.json'), 'utf8'));
  const files: string[] = devcontainer.dockerComposeFile.map((file: string) =>
    join(repo, '.devcontainer', file),
  );
  const merged: Record<string, Service> = Object.assign(
    {},
    ...files.map((file) => parse(readFileSync(file, 'utf8'), { merge: true }).services),
  );

  it('starts the dev service with PostgreSQL, Redis and the stubs, from files that exist', () => {
    for (const file of files) expect(existsSync(file)).toBe(true);
    expect(devcontainer.service).toBe('dev');
    expect(devcontainer.runServices).toEqual(['dev', 'postgres', 'redis', ...STUBS]);
    for (const name of devcontainer.runServices) expect(merged).toHaveProperty(name);
    expect(devcontainer.forwardPorts).toEqual([8787]);
  });

  it('points agentd in the dev container at the same database, Redis and stubs as the mini-stack', () => {
    const dev = merged.dev!.environment!;
    const mini = services['mini-agentd']!.environment!;
    for (const key of ['DATABASE_URL', 'REDIS_URL', 'AGENTD_NET_ALLOW', 'AGENTD_MASTER_KEY']) {
      expect({ key, value: dev[key] }).toEqual({ key, value: mini[key] });
    }
    // The workspace mount resolves from deploy/ (the first compose file's folder) to the repository.
    expect(merged.dev!.volumes).toEqual([`..:${devcontainer.workspaceFolder}:cached`]);
  });
});
