// A question, an answer: the shortest agent there is.
//   node examples/sdk/chat.mjs "How tall is Mount Fuji?"
import { Agent } from '@agentd/sdk';
import { client } from './client.mjs';

const agent = new Agent({ client, instructions: 'Answer in one sentence.' });
const question = process.argv[2] ?? 'How tall is Mount Fuji?';
console.log(await agent.chat(question));
// The agent keeps the thread: a follow-up sees the first answer.
console.log(await agent.chat('And in feet?'));
