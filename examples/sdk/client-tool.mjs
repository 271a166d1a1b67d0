// A client-side tool: the model asks for it, this process runs it, the run goes on with its output.
//   node examples/sdk/client-tool.mjs
import { Agent, tool } from '@agentd/sdk';
import { z } from 'zod';
import { client } from './client.mjs';

const add = tool({
  name: 'add',
  description: 'Adds two numbers exactly.',
  parameters: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => a + b,
});

const agent = new Agent({ client, instructions: 'Use the add tool for sums.', tools: [add] });
for await (const event of agent.stream('What is 1234 + 5678?')) {
  if (event.type === 'client_tool_call.completed')
    console.log(`[ran ${event.name}(${event.arguments}) here: ${event.output}]`);
  if (event.type === 'response.output_text.delta') process.stdout.write(event.delta);
}
process.stdout.write('\n');
