import { once } from 'node:events';
import { createServer } from 'node:net';

/** A TCP port on the loopback that nothing listens on now (for a server the tests start themselves). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}
