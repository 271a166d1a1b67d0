import type { ApiClient } from '@agentd/testing';
import { expect } from 'vitest';

/** What POST /v1/files answers: the file object, or (on a 4xx) an error naming what was wrong. */
export interface UploadBody {
  id: string;
  bytes: number;
  filename: string;
  error?: { code: string; message: string; param?: string };
}

export interface UploadOptions {
  /** The form's `purpose`; `null` sends none. Default 'assistants'. */
  purpose?: string | null;
  /** The file part's content type. */
  type?: string;
}

/** Uploads bytes as multipart/form-data, the way OpenAI's SDKs do; the status and body as they came. */
export async function upload(
  api: ApiClient,
  content: string | Uint8Array,
  filename: string,
  options: UploadOptions = {},
): Promise<{ status: number; body: UploadBody }> {
  const form = new FormData();
  if (options.purpose !== null) form.append('purpose', options.purpose ?? 'assistants');
  const part = typeof content === 'string' ? content : new Uint8Array(content);
  form.append('file', new Blob([part], options.type ? { type: options.type } : {}), filename);
  const response = await fetch(`${api.baseUrl}/v1/files`, {
    method: 'POST',
    headers: { authorization: `Bearer ${api.apiKey}` },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as UploadBody };
}

/** Uploads a file that must be accepted (200); its id. */
export async function uploadedId(
  api: ApiClient,
  content: string | Uint8Array,
  filename: string,
  options: UploadOptions = {},
): Promise<string> {
  const created = await upload(api, content, filename, options);
  expect(created.status).toBe(200);
  return created.body.id;
}
