import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentdError } from '../errors.js';
import { type Env, loadConfig } from './load-config.js';

let root: string;
let cwd: string;
let fileCount = 0;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'agentd-config-'));
  cwd = join(root, 'work');
  mkdirSync(cwd);
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

/** Writes a config file under the temp cwd and returns its name relative to it. */
function configFile(content: string): string {
  const name = `config-${++fileCount}.json`;
  writeFileSync(join(cwd, name), content);
  return name;
}

/** The error loadConfig throws for `env`; fails the test when it returns a config. */
function configError(env: Env): AgentdError {
  let thrown: unknown;
  try {
    const config = loadConfig(env, cwd);
    thrown = new Error(`expected an error, got a config: ${JSON.stringify(config)}`);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(AgentdError);
  return thrown as AgentdError;
}

/** What every configuration error shares: one line, naming `variable`, sent back as a 400-class error. */
function expectConfigError(error: AgentdError, variable: string): void {
  expect(error.message).not.toMatch(/[\r\n]/);
  expect(error.message).toContain(variable);
  expect(error.category).toBe('invalid_request');
  expect(error.code).toBe('invalid_config');
  expect(error.param).toBe(variable);
}

/** The error for `env`: a configuration error naming `variable` whose message says each of `says`. */
function refused(env: Env, variable: string, ...says: string[]): AgentdError {
  const error = configError(env);
  expectConfigError(error, variable);
  for (const text of says) expect(error.message).toContain(text);
  return error;
}

/** Whether any 6-character stretch of `secret` shows in `text`. */
function showsPartOf(text: string, secret: string): boolean {
  for (let start = 0; start + 6 <= secret.length; start++) {
    if (text.includes(secret.slice(start, start + 6))) return true;
  }
  return false;
}

const ADMIN_KEY = 'Adm1n-Kq7Zr2Xw9Lp4Vt8';
const OPENAI_KEY = 'sk-live-Qm3Jx8Rt6Wb1Nc5Hv';
const DATABASE_URL = 'postgres://agentd:Pw7Gk2Ld9Sx4@db.internal:5432/agentd';

describe('loadConfig defaults', () => {
  it('listens on 127.0.0.1:8787, keeps data in <cwd>/.agentd and logs at info', () => {
    const config = loadConfig({}, cwd);
    expect(config.AGENTD_PORT).toBe(8787);
    expect(config.AGENTD_HOST).toBe('127.0.0.1');
    expect(config.AGENTD_DATA_DIR).toBe(join(cwd, '.agentd'));
    expect(config.AGENTD_LOG_LEVEL).toBe('info');
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.AGENTD_ADMIN_KEY).toBeUndefined();
  });

  it('treats an empty variable as unset', () => {
    const config = loadConfig({ AGENTD_PORT: '', AGENTD_LOG_LEVEL: '', DATABASE_URL: '' }, cwd);
    expect(config).toMatchObject({ AGENTD_PORT: 8787, AGENTD_LOG_LEVEL: 'info' });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('reads valid values from the environment, resolving a relative data dir against cwd', () => {
    const env = {
      AGENTD_PORT: '9000',
      AGENTD_HOST: '0.0.0.0',
      AGENTD_DATA_DIR: 'state/agentd',
      AGENTD_LOG_LEVEL: 'debug',
      AGENTD_ADMIN_KEY: ADMIN_KEY,
      DATABASE_URL,
      OPENAI_API_KEY: OPENAI_KEY,
      OPENAI_BASE_URL: 'https://llm.example.com/v1',
      REDIS_URL: 'rediss://cache.internal:6380',
    };
    // Every value as given, but the port as a number and the data dir resolved.
    expect(loadConfig(env, cwd)).toMatchObject({
      ...env,
      AGENTD_PORT: 9000,
      AGENTD_DATA_DIR: join(cwd, 'state/agentd'),
    });
  });

  it('keeps an absolute data dir as given', () => {
    const absolute = join(root, 'elsewhere');
    expect(loadConfig({ AGENTD_DATA_DIR: absolute }, cwd).AGENTD_DATA_DIR).toBe(absolute);
  });
});

describe('loadConfig rejects a bad value with one line naming the variable and what was expected', () => {
  const port = 'expected a port number from 0 to 65535';
  const url = (schemes: string) => `expected a URL starting with ${schemes}`;
  it.each([
    ['AGENTD_PORT', 'abc', port],
    ['AGENTD_PORT', '70000', port],
    ['AGENTD_PORT', '80.5', port],
    ['AGENTD_PGLITE_BUFFERS_MB', '4096', 'expected megabytes from 16 to 1024'],
    ['AGENTD_LOG_LEVEL', 'loud', 'expected one of fatal, error, warn, info, debug, trace, silent'],
    ['AGENTD_ADMIN_KEY', 'Sh0rtKey9', 'expected a string of at least 16 characters'],
    ['DATABASE_URL', 'mysql://x', url('postgres:// or postgresql://')],
    ['OPENAI_BASE_URL', 'not-a-url', url('http:// or https://')],
    ['REDIS_URL', 'http://x', url('redis:// or rediss://')],
  ])('%s=%s', (variable, value, expected) => {
    refused({ [variable]: value }, variable, expected);
  });

  it('shows the rejected value when it is not a secret, so the user sees what was read', () => {
    expect(configError({ AGENTD_PORT: 'abc' }).message).toContain('"abc"');
    expect(configError({ OPENAI_BASE_URL: 'not-a-url' }).message).toContain('"not-a-url"');
  });
});

describe('loadConfig never shows a secret in an error', () => {
  it('hides an AGENTD_ADMIN_KEY that is too short or has a space', () => {
    const short = 'Sh0rtKey9';
    const tooShort = refused({ AGENTD_ADMIN_KEY: short }, 'AGENTD_ADMIN_KEY');
    expect(tooShort.message).not.toContain(short);

    const spaced = 'correct horse battery staple';
    const withSpace = refused(
      { AGENTD_ADMIN_KEY: spaced },
      'AGENTD_ADMIN_KEY',
      'expected printable ASCII characters without spaces',
    );
    expect(showsPartOf(withSpace.message, spaced)).toBe(false);
  });

  it('hides a DATABASE_URL and its password when the URL is rejected', () => {
    const url = 'mysql://agentd:Pw7Gk2Ld9Sx4@db.internal/agentd';
    const error = refused({ DATABASE_URL: url }, 'DATABASE_URL');
    expect(error.message).not.toContain('Pw7Gk2Ld9Sx4');
    expect(error.message).not.toContain('db.internal');
  });

  it('shows none of the valid secrets when another setting is wrong', () => {
    const secrets = { AGENTD_ADMIN_KEY: ADMIN_KEY, DATABASE_URL, OPENAI_API_KEY: OPENAI_KEY };
    const error = refused({ AGENTD_PORT: 'abc', ...secrets }, 'AGENTD_PORT');
    for (const secret of [ADMIN_KEY, DATABASE_URL, OPENAI_KEY, 'Pw7Gk2Ld9Sx4']) {
      expect(error.message).not.toContain(secret);
    }
  });

  it('shows no part of a secret from a config file that is not valid JSON', () => {
    // A forgotten pair of quotes around the key: the parser's message quotes the text around the error.
    const file = configFile(`{\n  "OPENAI_API_KEY": ${OPENAI_KEY}\n}\n`);
    const error = refused({ AGENTD_CONFIG: file }, 'AGENTD_CONFIG');
    expect(showsPartOf(error.message, OPENAI_KEY)).toBe(false);
  });
});

describe('loadConfig with a config file named by AGENTD_CONFIG', () => {
  it('reads the file, relative to cwd, with numbers accepted as numbers', () => {
    const file = configFile(
      JSON.stringify({
        AGENTD_PORT: 9100,
        AGENTD_HOST: '0.0.0.0',
        AGENTD_LOG_LEVEL: 'warn',
        AGENTD_DATA_DIR: 'from-file',
      }),
    );
    const config = loadConfig({ AGENTD_CONFIG: file }, cwd);
    expect(config).toMatchObject({
      AGENTD_PORT: 9100,
      AGENTD_HOST: '0.0.0.0',
      AGENTD_LOG_LEVEL: 'warn',
      AGENTD_DATA_DIR: join(cwd, 'from-file'),
    });
  });

  it('reads the file from an absolute path', () => {
    const file = configFile(JSON.stringify({ AGENTD_PORT: '9200' }));
    expect(loadConfig({ AGENTD_CONFIG: join(cwd, file) }, root).AGENTD_PORT).toBe(9200);
  });

  it('lets an environment variable win over the same setting in the file', () => {
    const file = configFile(
      JSON.stringify({ AGENTD_PORT: 9100, AGENTD_LOG_LEVEL: 'warn', AGENTD_HOST: '0.0.0.0' }),
    );
    const config = loadConfig({ AGENTD_CONFIG: file, AGENTD_PORT: '9300', AGENTD_LOG_LEVEL: 'error' }, cwd);
    expect(config).toMatchObject({ AGENTD_PORT: 9300, AGENTD_LOG_LEVEL: 'error', AGENTD_HOST: '0.0.0.0' });
  });

  it('lets a valid environment variable override a bad value in the file', () => {
    const file = configFile(JSON.stringify({ AGENTD_LOG_LEVEL: 'loud' }));
    expect(loadConfig({ AGENTD_CONFIG: file, AGENTD_LOG_LEVEL: 'trace' }, cwd).AGENTD_LOG_LEVEL).toBe(
      'trace',
    );
  });

  it('names the setting when a value in the file is bad', () => {
    const file = configFile(JSON.stringify({ AGENTD_PORT: 70000 }));
    refused({ AGENTD_CONFIG: file }, 'AGENTD_PORT', 'expected a port number from 0 to 65535');
  });

  it('rejects a setting given as an object or array instead of a string or number', () => {
    const inFile = (settings: object) => ({ AGENTD_CONFIG: configFile(JSON.stringify(settings)) });
    refused(inFile({ AGENTD_HOST: { name: '0.0.0.0' } }), 'AGENTD_HOST');
    refused(inFile({ OPENAI_BASE_URL: ['https://a.example', 'https://b.example'] }), 'OPENAI_BASE_URL');
  });

  it('rejects an unknown key, naming AGENTD_CONFIG, the key and the file', () => {
    const file = configFile(JSON.stringify({ AGENTD_PORT: 9000, AGENTD_PROT: 9001 }));
    refused({ AGENTD_CONFIG: file }, 'AGENTD_CONFIG', 'unknown setting AGENTD_PROT', join(cwd, file));
  });

  it('rejects a file that is not valid JSON, in one line naming AGENTD_CONFIG and the file', () => {
    const trailingComma = configFile('{ "AGENTD_PORT": 9000, }');
    refused({ AGENTD_CONFIG: trailingComma }, 'AGENTD_CONFIG', 'is not valid JSON', join(cwd, trailingComma));
  });

  it('keeps the invalid-JSON error on one line for a pretty-printed file', () => {
    // A forgotten pair of quotes in a file written over several lines.
    const file = configFile('{\n  "AGENTD_LOG_LEVEL": debug\n}\n');
    refused({ AGENTD_CONFIG: file }, 'AGENTD_CONFIG', 'is not valid JSON');
  });

  it('rejects a file holding JSON that is not an object', () => {
    const file = configFile('["AGENTD_PORT", 9000]');
    refused({ AGENTD_CONFIG: file }, 'AGENTD_CONFIG', 'must hold a JSON object');
  });

  it('rejects a missing file, naming AGENTD_CONFIG and the path it tried', () => {
    refused(
      { AGENTD_CONFIG: 'no-such-config.json' },
      'AGENTD_CONFIG',
      join(cwd, 'no-such-config.json'),
      'ENOENT',
    );
  });

  it('ignores an empty AGENTD_CONFIG', () => {
    expect(loadConfig({ AGENTD_CONFIG: '' }, cwd).AGENTD_PORT).toBe(8787);
  });
});

describe('loadConfig and AGENTD_ROLE', () => {
  const scaled = { DATABASE_URL: 'postgres://db/agentd', REDIS_URL: 'redis://redis:6379' };

  it('takes api and worker in scaled mode', () => {
    expect(loadConfig({ ...scaled, AGENTD_ROLE: 'api' }, cwd).AGENTD_ROLE).toBe('api');
    expect(loadConfig({ ...scaled, AGENTD_ROLE: 'worker' }, cwd).AGENTD_ROLE).toBe('worker');
    expect(loadConfig({}, cwd)).toMatchObject({ AGENTD_ROLE: 'all', AGENTD_REDIS_PREFIX: 'agentd:' });
  });

  it.each([
    [{}, 'DATABASE_URL and REDIS_URL'],
    [{ DATABASE_URL: scaled.DATABASE_URL }, 'REDIS_URL'],
    [{ REDIS_URL: scaled.REDIS_URL }, 'DATABASE_URL'],
  ])('refuses api and worker in embedded mode (%o), naming what is missing', (env, missing) => {
    for (const role of ['api', 'worker']) {
      const error = refused({ ...env, AGENTD_ROLE: role }, 'AGENTD_ROLE');
      expect(error.message).toBe(
        `AGENTD_ROLE: ${role} needs scaled mode (set ${missing}); in embedded mode one process serves the API and runs the runs, so leave AGENTD_ROLE unset (all)`,
      );
    }
  });
});
