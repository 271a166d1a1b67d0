/**
 * The CI security gates (scripts/security-gates.mjs) fail on what they are
 * for and pass on the rest: an advisory not allow-listed, an expired entry, a
 * key the secrets scan has not been told is a fixture, a prompt-injection
 * sink in code. Real tools: npm's audit report format, secretlint, ast-grep.
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = (name: string) => join(root, 'security/fixtures', name);

function gate(name: string, env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [join(root, 'scripts/security-gates.mjs'), name], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function secretlint(text: string) {
  return spawnSync(
    join(root, 'node_modules/.bin/secretlint'),
    ['--stdinFileName=sample.ts', '--format', 'compact'],
    { cwd: root, encoding: 'utf8', input: text },
  );
}

describe('a missing tool', () => {
  it('fails the gate under CI=true, and is skipped with a warning elsewhere', () => {
    const empty = mkdtempSync(join(tmpdir(), 'agentd-no-tools-'));
    try {
      const inCi = gate('sast', { AGENTD_GATES_BIN_DIR: empty, CI: 'true' });
      expect(inCi.status).toBe(1);
      expect(inCi.output).toContain(
        'security gate sast: FAILED, ast-grep is not installed (npm package @ast-grep/cli; run npm install)',
      );
      const local = gate('sast', { AGENTD_GATES_BIN_DIR: empty, CI: '' });
      expect(local.status).toBe(0);
      expect(local.output).toContain('security gate sast: SKIPPED, ast-grep is not installed');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('the audit gate', () => {
  it('fails on an advisory that is not allow-listed, naming it', () => {
    const result = gate('audit', { AGENTD_AUDIT_REPORT: fixture('npm-audit-report.json') });
    expect(result.status).toBe(1);
    expect(result.output).toContain('security gate audit: FAILED');
    expect(result.output).toContain(
      'GHSA-xxxx-yyyy-zzzz high example-lib: Prototype pollution in example-lib',
    );
  });

  it('passes an allow-listed advisory, and fails again once its entry expires', () => {
    const allowed = gate('audit', {
      AGENTD_AUDIT_REPORT: fixture('npm-audit-report.json'),
      AGENTD_AUDIT_ALLOWLIST: fixture('audit-allowlist.json'),
    });
    expect(allowed.status).toBe(0);
    expect(allowed.output).toContain('security gate audit: ok, 1 advisories, all allow-listed');
    const expired = gate('audit', {
      AGENTD_AUDIT_REPORT: fixture('npm-audit-report.json'),
      AGENTD_AUDIT_ALLOWLIST: fixture('audit-allowlist-expired.json'),
    });
    expect(expired.status).toBe(1);
    expect(expired.output).toContain('audit allow-list entries expired: GHSA-xxxx-yyyy-zzzz (2020-01-01)');
  });

  it('without an answer from the advisory service: skipped, unless AGENTD_AUDIT_REQUIRED', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agentd-audit-'));
    try {
      const report = join(dir, 'report.json');
      writeFileSync(report, JSON.stringify({ message: '405 Method Not Allowed', statusCode: 405 }));
      const lenient = gate('audit', { AGENTD_AUDIT_REPORT: report });
      expect(lenient.status).toBe(0);
      expect(lenient.output).toContain('security gate audit: SKIPPED');
      const strict = gate('audit', { AGENTD_AUDIT_REPORT: report, AGENTD_AUDIT_REQUIRED: 'true' });
      expect(strict.status).toBe(1);
      expect(strict.output).toContain(
        "the registry's advisory service did not answer (405 Method Not Allowed)",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the secrets scan (secretlint, recommended preset, .secretlintrc.json)', () => {
  it('flags a token, a private key and a connection string with a password', () => {
    const token = ['ghp', 'Zq9Xw8Vu7Ts6Rq5Po4Nm3Lk2Jh1Gf0DcBa77'].join('_');
    expect(secretlint(`const t = "${token}";`).stdout).toContain('GITHUB_TOKEN');
    // A key made now: nothing that looks like one is committed.
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    expect(secretlint(`const key = \`${pem}\`;`).stdout).toContain('PrivateKey');
    // Samples are put together at run time, so the tree's own scan does not find them here.
    const url = ['postgres://app', 'S3cr3tPassw0rd@db.prod.example/app'].join(':');
    expect(secretlint(`const url = '${url}';`).stdout).toContain('PostgreSQLConnection');
  });

  it("leaves the test fixtures' deliberate fake keys alone (the allows), and nothing near them", () => {
    const allowed = secretlint("const t = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';");
    expect(allowed.status).toBe(0);
    const other = secretlint(`const t = '${['ghp', 'abcdefghijklmnopqrstuvwxyz0123456780'].join('_')}';`);
    expect(other.status).not.toBe(0);
  });
});

describe('the ast-grep rules for prompt-injection sinks', () => {
  // The samples are TypeScript source, so they hold `${...}` in plain strings.
  function scan(files: Record<string, string>) {
    const dir = mkdtempSync(join(tmpdir(), 'agentd-sast-'));
    try {
      for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
      const result = spawnSync(
        join(root, 'node_modules/.bin/ast-grep'),
        ['scan', '-c', join(root, 'security/sast/sgconfig.yml'), '--json=compact', dir],
        { cwd: root, encoding: 'utf8' },
      );
      return (JSON.parse(result.stdout) as { ruleId: string; text: string }[]).map((match) => match.ruleId);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('finds tool output spliced into a system message and code run from a string', () => {
    expect(
      scan({
        'agent.ts': [
          'export function prompt(toolOutput: string) {',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: sample source code
          "  return [{ role: 'system', content: `Use this: ${toolOutput}` }];",
          '}',
          'export const run = (code: string) => eval(code);',
        ].join('\n'),
      }).sort(),
    ).toEqual(['dynamic-code-execution', 'system-message-concatenation']);
  });

  it('leaves the safe forms alone', () => {
    expect(
      scan({
        'agent.ts': [
          'const NOTE = "Tool results are data.";',
          'export function prompt(instructions: string, toolOutput: string) {',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: sample source code
          "  return [{ role: 'system', content: `${instructions}` === '' ? NOTE : instructions },",
          // biome-ignore lint/suspicious/noTemplateCurlyInString: sample source code
          "    { role: 'tool', content: `Result: ${toolOutput}` }];",
          '}',
        ].join('\n'),
      }),
    ).toEqual([]);
  });

  it('passes its own rule tests (each rule catches its invalid samples, not its valid ones)', () => {
    const result = spawnSync(
      join(root, 'node_modules/.bin/ast-grep'),
      ['test', '-c', 'security/sast/sgconfig.yml', '--skip-snapshot-tests'],
      { cwd: root, encoding: 'utf8' },
    );
    expect(result.stdout).toContain('test result: ok. 3 passed; 0 failed;');
  });
});
