import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (name: string) => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the TypeScript sources, never a stale build.
    alias: {
      // Before '@agentd/spec', which would otherwise take the subpath too.
      '@agentd/spec/wire': fileURLToPath(new URL('./packages/spec/src/wire/index.ts', import.meta.url)),
      '@agentd/spec': src('spec'),
      '@agentd/server': src('server'),
      '@agentd/testing': src('testing'),
      '@agentd/test-server': src('test-server'),
      '@agentd/core': src('core'),
      '@agentd/runtime': src('runtime'),
      '@agentd/providers': src('providers'),
      '@agentd/net-policy': src('net-policy'),
      '@agentd/tools-gateway': src('tools-gateway'),
      '@agentd/cli': src('cli'),
      '@agentd/sdk': src('sdk'),
      '@agentd/safety': src('safety'),
      '@agentd/tool-code-interpreter': fileURLToPath(
        new URL('./packages/tools/code-interpreter/src/index.ts', import.meta.url),
      ),
      '@agentd/object-store': src('object-store'),
      '@agentd/tool-files': fileURLToPath(new URL('./packages/tools/files/src/index.ts', import.meta.url)),
      '@agentd/tool-web': fileURLToPath(new URL('./packages/tools/web/src/index.ts', import.meta.url)),
    },
  },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'packages/tools/*/test/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
      'examples/*/test/**/*.test.ts',
      'security/test/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
