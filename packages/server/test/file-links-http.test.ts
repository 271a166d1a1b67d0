import {
  type AgentdWithFakeModel,
  BACKENDS,
  startAgentdWithFakeModel,
  type TestServer,
} from '@agentd/test-server';
import type { ApiClient, FakeOpenAI } from '@agentd/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

type Output = { type: string; url?: string; file_id?: string; path?: string };

describe.each(BACKENDS)('links in image and file outputs open in a browser, on %s', (backend) => {
  let agentd: AgentdWithFakeModel;
  let fake: FakeOpenAI;
  let server: TestServer;
  let api: ApiClient;
  let image: Output;
  let file: Output;

  /** A plain fetch, as a browser or an <img> tag does it: no Authorization header. */
  const open = async (url: string) => {
    const response = await fetch(url);
    const bytes = Buffer.from(await response.arrayBuffer());
    return {
      status: response.status,
      headers: response.headers,
      bytes,
      json: () => JSON.parse(String(bytes)),
    };
  };
  const withToken = (url: string, token: string) => {
    const next = new URL(url);
    next.searchParams.set('token', token);
    return next.toString();
  };

  beforeAll(async () => {
    agentd = await startAgentdWithFakeModel({ backend, env: { OPENAI_API_KEY: 'sk-upstream' } });
    ({ fake, server, api } = agentd);
    fake.enqueue(
      {
        toolCalls: [
          {
            id: 'call_plot',
            name: 'code_interpreter',
            arguments: JSON.stringify({
              runtime: 'cpython',
              code: [
                'import matplotlib.pyplot as plt',
                'plt.plot([1, 3, 2])',
                "open('/mnt/data/points.csv', 'w').write('x,y\\n1,3\\n')",
              ].join('\n'),
            }),
          },
        ],
      },
      { text: 'Plotted.' },
    );
    const response = await api.post('/v1/responses', {
      input: 'plot it',
      tools: ['code_interpreter'],
      include: ['code_interpreter_call.outputs'],
    });
    expect(response.body.status, JSON.stringify(response.body)).toBe('completed');
    const call = response.body.output.find((item: { type: string }) => item.type === 'code_interpreter_call');
    image = call.outputs.find((output: Output) => output.type === 'image');
    file = call.outputs.find((output: Output) => output.type === 'file');
  }, 180_000);
  afterAll(() => agentd?.close());

  it('gives each output an absolute URL on the request origin, with a token, beside its file_id', () => {
    for (const output of [image, file]) {
      expect(output.file_id).toMatch(/^file_/);
      expect(output.url).toBe(
        `${server.url}/v1/files/${output.file_id}/content?token=${new URL(output.url!).searchParams.get('token')}`,
      );
    }
    expect(file.path).toBe('/mnt/data/points.csv');
  });

  it('serves the bytes to a request with no API key: an image in place, a file as a download', async () => {
    const png = await open(image.url!);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(png.headers.get('content-disposition')).toMatch(/^inline;/);
    expect([...png.bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
    const csv = await open(file.url!);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(String(csv.bytes)).toBe('x,y\n1,3\n');
    // The same bytes as the files API gives the key holder.
    const keyed = await fetch(`${server.url}/v1/files/${image.file_id}/content`, {
      headers: { authorization: `Bearer ${server.adminKey}` },
    });
    expect(Buffer.from(await keyed.arrayBuffer()).equals(png.bytes)).toBe(true);
  });

  it('refuses an altered token, and the token of another file', async () => {
    const token = new URL(image.url!).searchParams.get('token')!;
    const flipped = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const tampered = await open(withToken(image.url!, flipped));
    expect(tampered.status).toBe(403);
    expect(tampered.json().error).toMatchObject({ code: 'file_link_invalid', param: 'token' });
    const borrowed = await open(withToken(file.url!, token));
    expect(borrowed.status).toBe(403);
    expect(borrowed.json().error.code).toBe('file_link_invalid');
    const noToken = await open(`${server.url}/v1/files/${image.file_id}/content`);
    expect(noToken.status).toBe(401);
  });

  it('refuses an expired link with a 401 that says what to do instead', async () => {
    const twoHoursAgo = Date.now() - 2 * 3600 * 1000;
    const stale = server.server.services.fileLinks.url(
      'tenant_default',
      image.file_id!,
      server.url,
      twoHoursAgo,
    );
    const expired = await open(stale);
    expect(expired.status).toBe(401);
    expect(expired.json().error).toMatchObject({ type: 'authentication_error', code: 'file_link_expired' });
    expect(expired.json().error.message).toContain('GET /v1/files/{id}/content');
  });

  it('keeps tokens out of the logs, and a deleted file is gone for its link too', async () => {
    const token = new URL(image.url!).searchParams.get('token')!;
    expect(server.rawLogs()).not.toContain(token);
    expect((await api.delete(`/v1/files/${file.file_id}`)).status).toBe(200);
    const gone = await open(file.url!);
    expect(gone.status).toBe(404);
    expect(gone.json().error.code).toBe('file_not_found');
  });
});
