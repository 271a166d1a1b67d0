import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SandboxResult } from '../../src/index.js';

/** A random token, e.g. for a canary secret or a file name nobody else uses. */
export const token = () => randomBytes(8).toString('hex');

/** Every text the model or the server could see from a result. */
export function allText(result: SandboxResult): string {
  const files = result.files.map((file) => `${file.path}\n${Buffer.from(file.bytes).toString('latin1')}`);
  return [result.stdout, result.stderr, result.result ?? '', JSON.stringify(result.error), ...files].join(
    '\n',
  );
}

/** An HTTP server on the host's loopback that records every request (there must be none). */
export async function startRecordingServer() {
  const requests: string[] = [];
  const sockets: string[] = [];
  const server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    response.end('host');
  });
  server.on('connection', (socket) => sockets.push(String(socket.remoteAddress)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    connections: sockets,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A file on the host, world-readable, that the sandbox must not be able to read. */
export function writeCanaryFile() {
  const secret = `canary-file-${token()}`;
  const path = `/tmp/agentd-canary-${token()}`;
  writeFileSync(path, secret, { mode: 0o644 });
  return { path, secret, remove: () => rmSync(path, { force: true }) };
}

/** Host processes whose command line contains `marker`. */
export function hostProcessesWith(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) found.push(Number(entry));
    } catch {}
  }
  return found;
}
