// Approvals: a tool registered with requires_approval runs only once a person says yes.
// The tool is a small HTTP server this script starts; the run asks, `onApproval` answers.
//   node examples/sdk/approvals.mjs          (approves)
//   APPROVE=no node examples/sdk/approvals.mjs
import { createServer } from 'node:http';
import { Agent, paginate } from '@agentd/sdk';
import { client } from './client.mjs';

const payments = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => {
    const { to, amount } = JSON.parse(body);
    console.log(`[payments] sent ${amount} to ${to}`);
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ sent: true, to, amount }));
  });
});
await new Promise((resolve) => payments.listen(0, '127.0.0.1', resolve));

// Registered afresh each run (its URL is this run's server): the old one goes first.
for await (const registered of paginate((after) => client.tools.list({ after })))
  if (registered.name === 'send_payment') await client.tools.del(registered.id);
await client.tools.create({
  name: 'send_payment',
  description: 'Sends money to someone.',
  input_schema: {
    type: 'object',
    properties: { to: { type: 'string' }, amount: { type: 'number' } },
    required: ['to', 'amount'],
  },
  adapter: { type: 'http', url: `http://127.0.0.1:${payments.address().port}/pay` },
  requires_approval: true,
});

const agent = new Agent({
  client,
  tools: ['send_payment'],
  onApproval: (request) => {
    const approve = (process.env.APPROVE ?? 'yes') === 'yes';
    console.log(`[approval] ${request.name}(${request.arguments}): ${approve ? 'approved' : 'denied'}`);
    return approve ? true : { approve: false, reason: 'not today' };
  },
});
try {
  console.log(await agent.chat('Send 20 to Alice.'));
} finally {
  payments.close();
}
