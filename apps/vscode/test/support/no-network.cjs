// Preloaded (NODE_OPTIONS=--require) into the build and packaging processes by
// package.test.ts: any attempt to open a network connection or resolve a name
// fails loudly, so a packaging step that needs the network cannot pass.
const net = require('node:net');
const dns = require('node:dns');

const refuse = (what) => {
  const message = `NETWORK ACCESS REFUSED during packaging: ${what}`;
  process.stderr.write(`${message}\n`);
  throw new Error(message);
};
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const first = args[0];
  // A Unix socket or pipe path is local IPC, not the network.
  const path =
    typeof first === 'string' ? first : first && typeof first === 'object' ? first.path : undefined;
  if (path) return connect.apply(this, args);
  return refuse(
    `connect ${JSON.stringify(first && typeof first === 'object' ? { host: first.host, port: first.port } : args.slice(0, 2))}`,
  );
};
dns.lookup = (host) => refuse(`lookup ${host}`);
dns.promises.lookup = async (host) => refuse(`lookup ${host}`);
