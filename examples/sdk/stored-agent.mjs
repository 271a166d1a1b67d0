// A stored agent with the code interpreter: defined once on the server, run by name; the code runs there.
//   node examples/sdk/stored-agent.mjs
import { Agent } from '@agentd/sdk';
import { client } from './client.mjs';

const definition = {
  instructions: 'You are a careful analyst. Compute with Python; never guess a number.',
  tools: ['code_interpreter'],
};
// Defined once, updated on later runs (each change is a new version of the agent).
const existing = await client.agents.findByName('analyst');
if (existing) await client.agents.update(existing.id, definition);
else await client.agents.create({ name: 'analyst', ...definition });

// `include` asks for the code's output in the events (left out by default, as OpenAI does).
const agent = new Agent({
  client,
  agent: 'analyst',
  request: { include: ['code_interpreter_call.outputs'] },
});
const stream = agent.stream('What is the sum of the squares of 1 to 10?');
for await (const event of stream) {
  if (event.type === 'response.code_interpreter_call_code.done') console.log(`[running]\n${event.code}`);
  if (event.type === 'response.output_item.done' && event.item.type === 'code_interpreter_call')
    for (const output of event.item.outputs ?? [])
      if (output.type === 'logs') console.log(`[output] ${output.logs}`);
}
console.log(await stream.text());
