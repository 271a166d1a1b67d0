import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { token } from './support/host-probes.js';

const LOCKDOWN_URL = new URL('../src/pyodide/worker-lockdown.js', import.meta.url).href;

/**
 * The JavaScript layer on its own, as if Python had got hold of JavaScript
 * objects: after the lockdown, every attempt made from inside the worker must
 * throw, and the host must be untouched.
 */
const ATTEMPTS = `
const { parentPort } = require('node:worker_threads');
(async () => {
  const fs = require('node:fs');
  const childProcess = require('node:child_process');
  const fsNamespace = await import('node:fs');
  const net = require('node:net');
  // What Pyodide leaves behind while booting under Node.
  globalThis.require = require;
  const { removeNodeCapabilities, lockDownRealm } = await import(process.env.LOCKDOWN_URL);
  const escapePath = process.env.ESCAPE_PATH;
  const post = parentPort.postMessage.bind(parentPort);
  const env = process.env;
  removeNodeCapabilities();
  lockDownRealm();
  const attempts = {
    'Function via constructor': () => ({}).constructor.constructor('return 1')(),
    'Function global': () => Function('return 1')(),
    'AsyncFunction': () => Object.getPrototypeOf(async () => {}).constructor('return 1'),
    'GeneratorFunction': () => Object.getPrototypeOf(function* () {}).constructor('yield 1'),
    'AsyncGeneratorFunction': () => Object.getPrototypeOf(async function* () {}).constructor('yield 1'),
    'indirect eval': () => (0, globalThis.eval)('1 + 1'),
    'restore the Function constructor': () =>
      Object.defineProperty(Function.prototype, 'constructor', { value: Object }),
    'globalThis.process': () => globalThis.process.env,
    'globalThis.require': () => globalThis.require('node:child_process'),
    'fetch': () => globalThis.fetch('http://127.0.0.1:9/'),
    'WebSocket': () => new globalThis.WebSocket('ws://127.0.0.1:9/'),
    'BroadcastChannel': () => new globalThis.BroadcastChannel('agentd'),
    'fs.readFileSync (held before)': () => fs.readFileSync('/etc/hostname', 'utf8'),
    'fs namespace (held before)': () => fsNamespace.readFileSync('/etc/hostname', 'utf8'),
    'fs.writeFileSync (held before)': () => fs.writeFileSync(escapePath, 'x'),
    'child_process.execSync (held before)': () => childProcess.execSync('id'),
    'net.connect (held before)': () => net.connect(9, '127.0.0.1'),
  };
  const results = {};
  for (const [name, attempt] of Object.entries(attempts)) {
    try {
      const value = attempt();
      results[name] = 'ALLOWED: ' + String(value).slice(0, 40);
    } catch (error) {
      results[name] = String(error && error.message);
    }
  }
  post({ results, envKeys: Object.keys(env) });
})().catch((error) => parentPort.postMessage({ failed: String(error && error.stack) }));
`;

describe('worker lockdown (the JavaScript layer)', () => {
  it('leaves no way to generate code, reach Node or the host', async () => {
    const escapePath = `/tmp/agentd-escape-${token()}`;
    const worker = new Worker(ATTEMPTS, {
      eval: true,
      env: { LOCKDOWN_URL, ESCAPE_PATH: escapePath },
      stdout: true,
      stderr: true,
    });
    const message = await new Promise<{
      results?: Record<string, string>;
      failed?: string;
      envKeys?: string[];
    }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(message.failed).toBeUndefined();
    const results = message.results!;
    expect(Object.keys(results)).toHaveLength(17);
    for (const [name, outcome] of Object.entries(results)) {
      expect(outcome, name).not.toMatch(/^ALLOWED/);
    }
    expect(results['Function via constructor']).toMatch(/evaluating code from strings is disabled/);
    expect(results['indirect eval']).toMatch(/evaluating code from strings is disabled/);
    expect(results['child_process.execSync (held before)']).toMatch(
      /node:child_process.execSync is disabled/,
    );
    expect(results['fs namespace (held before)']).toMatch(/node:fs.readFileSync is disabled/);
    const { existsSync } = await import('node:fs');
    expect(existsSync(escapePath)).toBe(false);
  });
});
