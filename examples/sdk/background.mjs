// A background run: start it, go do something else, poll until it has finished.
//   node examples/sdk/background.mjs
import { outputText } from '@agentd/sdk';
import { client } from './client.mjs';

const queued = await client.responses.create({ input: 'Write a haiku about queues.', background: true });
console.log(`started ${queued.id} (${queued.status})`);
const done = await client.responses.poll(queued.id, { intervalMs: 200 });
console.log(`${done.status}: ${outputText(done)}`);
if (done.status !== 'completed') process.exit(1);
