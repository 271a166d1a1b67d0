// The import rules of the monorepo (ADR-0001), checked by `npm test` and `npm run deps`.
// `@agentd/*` imports resolve to the packages' src through tsconfig.depcruise.json, not to dist.
const { readdirSync, existsSync } = require('node:fs');
const { join } = require('node:path');

/**
 * Which other workspace packages each package may import, and why. A package
 * always imports its own files; no other workspace package is allowed. The
 * table is checked below to have no cycle, so no cycle between packages can
 * creep in through it. `tests`: what the package's tests may import besides
 * (every package's tests may also use @agentd/testing, unless testing itself
 * depends on the package). npm packages: see the npm rules further down.
 */
const packages = {
  spec: {
    imports: [],
    nothingElse: true,
    why: 'the contracts (types and wire schemas) every package depends on: it imports nothing, not even an npm package or a Node built-in, so depending on it costs nothing (its `wire` entry point is the one exception: see spec-wire-imports)',
  },
  core: {
    imports: ['spec'],
    why: 'the engine is pure logic on the contracts: no database, HTTP, tools or providers, so it runs and tests anywhere',
  },
  runtime: {
    imports: ['spec', 'core'],
    tests: ['test-server'],
    why: "the run queue, leases, live events, cancels and the run manager drive core's loop; their infrastructure (pino, ioredis, graphile-worker, pg) is in the runtime's package.json, and it knows no HTTP or tools",
  },
  safety: {
    imports: ['spec'],
    why: "the safety pipeline's phases implement spec's contracts; the server and the tools call them",
  },
  providers: {
    imports: ['spec'],
    tests: ['core'],
    why: "model providers implement spec's LanguageModel; the engine never sees them (their tests check structured output with core's validator, the oracle the run loop applies)",
  },
  'net-policy': { imports: ['spec'], why: 'a leaf library the tools and the server share' },
  'object-store': {
    imports: ['spec'],
    tests: ['test-server'],
    why: 'a leaf library behind the ObjectStore contract (its tests check files through a real server too)',
  },
  'tools-gateway': {
    imports: ['spec', 'net-policy'],
    why: "tools implement spec's tool contract, not core's or the server's: a tool that imports either drags the engine or the whole service into every place that runs it",
  },
  'tools/web': {
    imports: ['spec', 'net-policy'],
    tests: ['providers'],
    why: "tools implement spec's tool contract, not core's or the server's (its tests drive its scripted rules through the real scripted model)",
  },
  'tools/files': {
    imports: ['spec', 'safety'],
    tests: ['core', 'providers', 'tools/web'],
    why: "tools implement spec's tool contract, not core's or the server's; PII rules come from safety; HTML reading is passed in by the server (its tests check its scripted rules beside the web tool's through the real scripted model, convert HTML with the web tools' converter, and check its schemas with core's argument check, the one the run loop applies)",
  },
  'tools/code-interpreter': {
    imports: ['spec'],
    why: "tools implement spec's tool contract, not core's or the server's",
  },
  testing: {
    imports: ['spec'],
    why: "the fakes and contract suites every package's tests use: if it imported the server (or any implementation), those tests would depend on it, a cycle at development time",
  },
  'test-server': {
    imports: ['testing', 'server', 'net-policy'],
    why: "a real server started in the test's process, for the tests that drive the whole service; only tests import it, so @agentd/testing stays free of the server",
  },
  server: {
    imports: [
      'spec',
      'core',
      'runtime',
      'safety',
      'providers',
      'net-policy',
      'object-store',
      'tools-gateway',
      'tools/web',
      'tools/files',
      'tools/code-interpreter',
    ],
    tests: ['test-server'],
    why: 'the service wires everything together; nothing imports it (only test-server lists it, for tests): it is reached over HTTP or started as a process',
  },
  sdk: {
    imports: ['spec'],
    tests: ['test-server'],
    why: 'the client runs in Node and in browsers and reaches the server only over HTTP: it imports the contracts, never an implementation',
  },
  cli: {
    imports: ['spec', 'sdk', 'tools-gateway'],
    tests: ['test-server'],
    why: "the CLI reaches a server only through the SDK or by starting one as a process (the server's own entry point, `run --local` and `serve`); it runs a tool directory's tools in its own process and checks manifests offline with the tools gateway's loader and adapters, a leaf library",
  },
};

/**
 * Imports that break a rule today, each removed by the issue named beside it.
 * They are exact (file, imported file, rule): any other import that breaks a
 * rule, even from the same file, fails the check. Remove an entry when its
 * import goes (the check prints the entries that no longer occur).
 */
const known = [];

const SPEC_WIRE = '^packages/spec/src/wire/';
const TEST_FILE = '(^packages/(tools/)?[^/]+/test/|\\.test\\.ts$)';
const dir = (name) => `^packages/${name}/`;
const testsOf = (name) => `^packages/${name}/(test/|src/.*\\.test\\.ts$)`;
const anyOf = (names) => `^packages/(${names.join('|')})/`;
const listed = (names) => (names.length === 0 ? 'nothing else' : names.map((n) => `@agentd/${n}`).join(', '));

function violation(from, to, kind = 'imports') {
  const name = Object.keys(packages).find((p) => from.startsWith(`packages/${p}/`));
  const rule = kind === 'by-name' ? 'import-packages-by-name' : `${name}-${kind}`;
  return { type: 'dependency', from, to, rule: { name: rule, severity: 'error' } };
}

/** Every package a package reaches through the table, itself excluded. */
function reach(name, seen = new Set()) {
  for (const next of packages[name].imports) {
    if (next === name || seen.has(next)) throw new Error(`.dependency-cruiser.cjs: a cycle through ${next}`);
    reach(next, new Set([...seen, name]));
  }
  return new Set(packages[name].imports.flatMap((next) => [next, ...reach(next)]));
}

// Every workspace package states what it imports.
for (const parent of ['packages', 'packages/tools']) {
  for (const entry of readdirSync(join(__dirname, parent), { withFileTypes: true })) {
    const name = `${parent}/${entry.name}`.replace(/^packages\//, '');
    if (
      !entry.isDirectory() ||
      name === 'tools' ||
      !existsSync(join(__dirname, parent, entry.name, 'package.json'))
    )
      continue;
    if (!packages[name]) throw new Error(`.dependency-cruiser.cjs: say what packages/${name} may import`);
  }
}

const packageRules = Object.entries(packages).flatMap(([name, { imports, tests = [], nothingElse, why }]) => {
  // Tests may use the fakes and contract suites, unless testing itself depends on the package.
  const testing = name !== 'testing' && !reach('testing').has(name) ? ['testing'] : [];
  const testImports = [...imports, ...tests, ...testing];
  return [
    {
      name: `${name}-imports`,
      severity: 'error',
      comment: `packages/${name} may import ${nothingElse ? 'nothing outside itself' : listed(imports)}: ${why}`,
      // spec's wire schemas have a rule of their own (spec-wire-imports).
      from: { path: dir(name), pathNot: name === 'spec' ? [TEST_FILE, SPEC_WIRE] : TEST_FILE },
      to: nothingElse ? { pathNot: dir(name) } : { path: '^packages/', pathNot: anyOf([name, ...imports]) },
    },
    {
      name: `${name}-tests`,
      severity: 'error',
      comment: `the tests of packages/${name} may import ${listed(testImports)}: ${why}`,
      from: { path: testsOf(name) },
      to: { path: '^packages/', pathNot: anyOf([name, ...testImports]) },
    },
  ];
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...packageRules,
    {
      name: 'spec-wire-imports',
      severity: 'error',
      comment:
        "@agentd/spec/wire (the API's zod schemas, ADR-0038) may import spec's own files and zod, nothing else: the server's validation, the OpenAPI document and the SDK's types all read it",
      from: { path: SPEC_WIRE, pathNot: TEST_FILE },
      to: { pathNot: ['^packages/spec/', '^node_modules/zod/'] },
    },
    {
      name: 'spec-main-not-wire',
      severity: 'error',
      comment:
        "@agentd/spec's main entry stays free of runtime dependencies: only the wire entry point (@agentd/spec/wire) brings zod",
      from: { path: '^packages/spec/src/', pathNot: [SPEC_WIRE, TEST_FILE] },
      to: { path: SPEC_WIRE },
    },
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'a cycle makes its modules one unit: none can be loaded, tested or understood alone',
      from: { path: '^packages/' },
      to: { circular: true },
    },
    {
      name: 'sdk-browser-safe',
      severity: 'error',
      comment:
        '@agentd/sdk runs in browsers as well as Node: no Node built-in modules (fetch, web streams, TextDecoder and crypto.randomUUID are globals in both)',
      from: { path: '^packages/sdk/src/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'src-not-to-tests',
      severity: 'error',
      comment: 'shipped code must not depend on test files (they are not built, and they change freely)',
      from: { path: '^packages/', pathNot: TEST_FILE },
      to: { path: TEST_FILE },
    },
    {
      name: 'import-packages-by-name',
      severity: 'error',
      comment: 'import another package by its name (@agentd/...), not by a relative path into its files',
      from: { path: '^packages/(tools/[^/]+|[^/]+)/' },
      to: { path: '^packages/', pathNot: '^packages/$1/', dependencyTypesNot: ['aliased'] },
    },
    {
      name: 'resolvable',
      severity: 'error',
      comment: 'an import the checker cannot resolve is an import it cannot check',
      from: { path: '^packages/' },
      // The benchmarks import the build output, which a fresh clone does not have yet.
      to: { couldNotResolve: true, pathNot: '^\\.\\./dist/' },
    },
    {
      name: 'npm-declared',
      severity: 'error',
      comment:
        "an npm package must be declared in the importing package's package.json (or, for tests, the root's); otherwise it resolves only by hoisting luck",
      from: { path: '^packages/' },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'src-not-to-dev-deps',
      severity: 'error',
      // @agentd/testing's contract suites are Vitest suites: they run only under the root's Vitest.
      comment: 'shipped code must not import a devDependency: it is not installed with the package',
      from: { path: '^packages/', pathNot: [TEST_FILE, '^packages/testing/src/'] },
      to: { dependencyTypes: ['npm-dev'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // The build output: the rules are about the sources.
    exclude: { path: '^packages/(tools/)?[^/]+/dist/' },
    tsConfig: { fileName: 'tsconfig.depcruise.json' },
    // npm packages resolve as Node resolves them, through their exports (hono/streaming, csv-parse/sync).
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    // Type-only imports count: a type from core still ties a tool to the engine.
    tsPreCompilationDeps: true,
    // A package's imports are checked against its own package.json and the root's.
    combinedDependencies: true,
    knownViolations: known,
  },
};
