// The Debian packages and local services the test suite needs. As root it
// installs what is missing and starts what is not running. Under CI=true
// anything still missing is a failure; elsewhere it is a loud warning, and the
// tests that need it fail with a clear message rather than skip.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * Debian packages the tests use: the PostgreSQL and Redis servers, bubblewrap
 * and Python's scientific stack for the CPython sandbox, and Chromium for the
 * browser tool (driven by playwright-core; never a downloaded browser).
 */
export const DEBIAN_PACKAGES = [
  'postgresql',
  'redis-server',
  'bubblewrap',
  'python3',
  'python3-numpy',
  'python3-pandas',
  'python3-matplotlib',
  'python3-scipy',
  'chromium',
  'fonts-dejavu-core',
];

/**
 * What the built-in tools need, which `npm start` installs: the CPython
 * sandbox (bubblewrap, Python and its scientific stack) and the browser
 * (Chromium and a font). The servers are the tests' only.
 */
export const TOOL_PACKAGES = DEBIAN_PACKAGES.filter(
  (name) => name !== 'postgresql' && name !== 'redis-server',
);

function installed(name) {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format string (${Status} is its field), not a template
  const result = sh('dpkg-query', ['-W', '-f=${Status}', name]);
  return result.status === 0 && result.stdout.includes('install ok installed');
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function sh(cmd, args, options = {}) {
  return spawnSync(cmd, args, { encoding: 'utf8', ...options });
}

function portOpen(port, host = '127.0.0.1', timeoutMs = 1000) {
  const script = `const s=require('net').connect(${port},'${host}');s.setTimeout(${timeoutMs},()=>process.exit(1));s.on('connect',()=>process.exit(0));s.on('error',()=>process.exit(1));`;
  return sh(process.execPath, ['-e', script]).status === 0;
}

function waitForPort(port, seconds) {
  for (let i = 0; i < seconds * 4; i++) {
    if (portOpen(port)) return true;
    sh('sleep', ['0.25']);
  }
  return false;
}

function installPackages(names) {
  if (!isRoot) return `cannot install ${names.join(', ')}: not root (install them with apt-get)`;
  console.error(`agentd: installing Debian packages: ${names.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let result = sh('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  if (result.status !== 0) return 'apt-get update failed';
  result = sh('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], {
    stdio: 'inherit',
    env,
  });
  return result.status === 0 ? undefined : `apt-get install ${names.join(' ')} failed`;
}

/** On a PostgreSQL we installed, let the tests' `postgres` user in over TCP on loopback without a password. */
function trustLoopback(version) {
  const hba = `/etc/postgresql/${version}/main/pg_hba.conf`;
  if (!existsSync(hba)) return;
  const text = readFileSync(hba, 'utf8');
  const line = 'host all postgres 127.0.0.1/32 trust';
  if (text.includes(line)) return;
  writeFileSync(hba, `# added by agentd's test setup\n${line}\nhost all postgres ::1/128 trust\n${text}`);
}

function startPostgres() {
  if (portOpen(5432)) return undefined;
  if (!existsSync('/etc/postgresql')) return 'PostgreSQL is not installed';
  const version = readdirSync('/etc/postgresql').sort().at(-1);
  if (!version) return 'no PostgreSQL cluster in /etc/postgresql';
  if (isRoot) trustLoopback(version);
  console.error(`agentd: starting PostgreSQL ${version}`);
  sh('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { stdio: 'inherit' });
  return waitForPort(5432, 30) ? undefined : 'PostgreSQL did not start on 127.0.0.1:5432';
}

function startRedis() {
  if (portOpen(6379)) return undefined;
  console.error('agentd: starting Redis');
  sh(
    'redis-server',
    ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', '6379', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'inherit',
    },
  );
  return waitForPort(6379, 15) ? undefined : 'Redis did not start on 127.0.0.1:6379';
}

export function ensureSystem({ ci }) {
  const problems = [];
  const missing = DEBIAN_PACKAGES.filter((name) => !installed(name));
  if (missing.length > 0) {
    const problem = installPackages(missing);
    if (problem) problems.push(problem);
  }
  const usesOwnPostgres = !process.env.AGENTD_TEST_DATABASE_URL;
  const usesOwnRedis = !process.env.AGENTD_TEST_REDIS_URL;
  for (const problem of [
    usesOwnPostgres ? startPostgres() : undefined,
    usesOwnRedis ? startRedis() : undefined,
  ]) {
    if (problem) problems.push(problem);
  }
  if (problems.length === 0) return;
  for (const problem of problems) console.error(`agentd: ${problem}`);
  if (ci) {
    console.error('agentd: CI=true and the test environment is incomplete; failing.');
    process.exit(1);
  }
  console.error('agentd: continuing; tests that need what is missing will fail.');
}

/**
 * `npm start`'s set-up of the built-in tools' Debian packages. As root it
 * installs what is missing; as another user it prints the one command that
 * would. It never stops the start: without apt (not Debian, no network) the
 * server starts anyway, and its banner says which tools are off and why.
 * AGENTD_SKIP_SYSTEM_PACKAGES=1 skips it.
 */
export function ensureToolPackages({
  env = process.env,
  root = isRoot,
  isInstalled = installed,
  install = installPackages,
  hasDpkg = () => sh('dpkg-query', ['--version']).status === 0,
  log = (line) => console.error(line),
} = {}) {
  if (env.AGENTD_SKIP_SYSTEM_PACKAGES === '1') return 'skipped';
  if (!hasDpkg()) {
    log(
      'agentd: not a Debian system (no dpkg-query): install bubblewrap, Python 3 with numpy, pandas and matplotlib, and Chromium yourself for every built-in tool',
    );
    return 'no-dpkg';
  }
  const missing = TOOL_PACKAGES.filter((name) => !isInstalled(name));
  if (missing.length === 0) return 'ok';
  const line = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (!root) {
    log(
      `agentd: the built-in tools need Debian packages that are missing; to install them, run:\n  sudo ${line}\nagentd: starting anyway (the banner lists the tools that are off)`,
    );
    return 'printed';
  }
  let problem;
  try {
    problem = install(missing);
  } catch (error) {
    problem = error.message;
  }
  if (!problem) return 'installed';
  log(`agentd: ${problem}; starting anyway (the banner lists the tools that are off). To retry: ${line}`);
  return 'failed';
}

/** The browser benchmark's real pages (Debian's HTML documentation), beside what the tools need. */
export const BENCH_PACKAGES = ['python3-doc', 'postgresql-doc-15'];

/** `npm run bench`: installs what the benchmarks drive when it can; a benchmark that still lacks something says so. */
export function ensureBenchPackages() {
  if (sh('dpkg-query', ['--version']).status !== 0) return;
  const missing = [...TOOL_PACKAGES, ...BENCH_PACKAGES].filter((name) => !installed(name));
  if (missing.length === 0) return;
  const problem = installPackages(missing);
  if (problem) console.error(`agentd: ${problem}; the benchmarks that need them say what is missing`);
}
