import { type AddressInfo, connect, createServer, type Socket } from 'node:net';

export interface CountingProxy {
  port: number;
  /** Bytes that have left the client for the server so far. */
  readonly bytesToServer: number;
  /** Bytes the server has sent towards the client so far. */
  readonly bytesToClient: number;
  /** The HTTP requests sent so far, as `METHOD /path?query`. */
  readonly requests: string[];
  close(): Promise<void>;
}

const REQUEST_LINE = /((?:GET|PUT|POST|DELETE|HEAD) \/\S*) HTTP\/1\.1\r\n/g;
/** Longer than any request line the tests send, so one cut by a chunk boundary is still found. */
const CARRY_BYTES = 2048;

/**
 * A TCP proxy on a free port in front of `targetPort` that counts the bytes
 * passing each way (how tests tell streaming from buffering) and notes the
 * requests (how they see a multipart upload happen).
 */
export async function startCountingProxy(targetPort: number): Promise<CountingProxy> {
  const sockets = new Set<Socket>();
  const requests: string[] = [];
  let bytesToServer = 0;
  let bytesToClient = 0;
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    let carry = '';
    client.on('data', (chunk: Buffer) => {
      bytesToServer += chunk.length;
      const text = carry + chunk.toString('latin1');
      let scannedTo = 0;
      for (const match of text.matchAll(REQUEST_LINE)) {
        requests.push(match[1]!);
        scannedTo = match.index + match[0].length;
      }
      carry = text.slice(Math.max(scannedTo, text.length - CARRY_BYTES));
    });
    upstream.on('data', (chunk: Buffer) => {
      bytesToClient += chunk.length;
    });
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get bytesToServer() {
      return bytesToServer;
    },
    get bytesToClient() {
      return bytesToClient;
    },
    requests,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
