import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FileLinks, ownUrl } from '../src/files/file-links.js';

const HOUR = 3600;
const NOW = Date.UTC(2025, 0, 1);

function links(options: { publicUrl?: string; masterKey?: Buffer } = {}) {
  return new FileLinks({
    masterKey: options.masterKey ?? Buffer.alloc(32, 7),
    ttlSeconds: HOUR,
    publicUrl: options.publicUrl,
    fallbackUrl: 'http://localhost:8787',
  });
}

const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;
const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error as { code: string; category: string };
  }
  throw new Error('not refused');
};

describe('signed file links', () => {
  it('are absolute: the configured public URL first, then the request origin, then the server itself', () => {
    expect(links().url('tenant_a', 'file_1', 'https://chat.example', NOW)).toMatch(
      /^https:\/\/chat\.example\/v1\/files\/file_1\/content\?token=v1\.\d+\./,
    );
    expect(
      links({ publicUrl: 'https://agents.example/base/' }).url('tenant_a', 'file_1', 'http://x', NOW),
    ).toMatch(/^https:\/\/agents\.example\/base\/v1\/files\/file_1\/content\?token=/);
    expect(links().url('tenant_a', 'file_1', undefined, NOW)).toMatch(
      /^http:\/\/localhost:8787\/v1\/files\//,
    );
    expect(ownUrl('0.0.0.0', 80)).toBe('http://localhost:80');
    expect(ownUrl('::1', 8787)).toBe('http://[::1]:8787');
  });

  it('open the one file of the one tenant they were made for, until they expire', () => {
    const signer = links();
    const token = tokenOf(signer.url('tenant_a', 'file_1', undefined, NOW));
    expect(signer.verify(token, 'file_1', NOW)).toBe('tenant_a');
    expect(signer.verify(token, 'file_1', NOW + (HOUR - 1) * 1000)).toBe('tenant_a');
    expect(refusal(() => signer.verify(token, 'file_1', NOW + HOUR * 1000))).toMatchObject({
      code: 'file_link_expired',
      category: 'authentication',
    });
    expect(refusal(() => signer.verify(token, 'file_2', NOW))).toMatchObject({
      code: 'file_link_invalid',
      category: 'permission',
    });
  });

  it('refuse a token that was altered in any part, or made with another master key', () => {
    const signer = links();
    const token = signer.sign('tenant_a', 'file_1', NOW);
    const [version, expires, tenant, mac] = token.split('.') as [string, string, string, string];
    const forged = [
      [version, String(Number(expires) + HOUR), tenant, mac],
      [version, expires, Buffer.from('tenant_b').toString('base64url'), mac],
      [version, expires, tenant, `${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BB' : 'AA'}`],
      ['v2', expires, tenant, mac],
      [version, expires, tenant],
      [version, '12e3', tenant, mac],
    ].map((parts) => parts.join('.'));
    for (const bad of [...forged, '', 'garbage', `${token}.extra`])
      expect(refusal(() => signer.verify(bad, 'file_1', NOW)).code, bad).toBe('file_link_invalid');
    const other = links({ masterKey: randomBytes(32) });
    expect(refusal(() => other.verify(token, 'file_1', NOW)).code).toBe('file_link_invalid');
  });
});
