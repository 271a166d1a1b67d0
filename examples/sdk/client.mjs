// The client every example uses: AGENTD_URL (default http://127.0.0.1:8787) and AGENTD_API_KEY.
import { Agentd } from '@agentd/sdk';

const apiKey = process.env.AGENTD_API_KEY;
if (!apiKey) {
  console.error('Set AGENTD_API_KEY (and AGENTD_URL if the server is not on http://127.0.0.1:8787).');
  process.exit(2);
}

export const client = new Agentd({ baseURL: process.env.AGENTD_URL ?? 'http://127.0.0.1:8787', apiKey });
