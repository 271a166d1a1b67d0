import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMasterKey } from './master-key.js';
import { SecretBox } from './secret-box.js';

describe('the secret box', () => {
  const box = new SecretBox(randomBytes(32));

  it('seals and opens a value, never storing it in the clear', () => {
    const sealed = box.seal('sk-live-123', 'tenant_a/weather');
    expect(sealed).not.toContain('sk-live-123');
    expect(box.open(sealed, 'tenant_a/weather')).toBe('sk-live-123');
    expect(box.seal('sk-live-123', 'tenant_a/weather')).not.toBe(sealed);
  });

  it('refuses a tampered value, one moved to another tenant, and one sealed under another key', () => {
    const sealed = box.seal('sk-live-123', 'tenant_a/weather');
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[3]!, 'base64url');
    flipped[0]! ^= 1;
    const tampered = [...parts.slice(0, 3), flipped.toString('base64url')].join('.');
    expect(() => box.open(tampered, 'tenant_a/weather')).toThrow(/failed to decrypt/);
    expect(() => box.open(sealed, 'tenant_b/weather')).toThrow(/failed to decrypt/);
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'tenant_a/weather')).toThrow(
      /failed to decrypt/,
    );
  });
});

describe('the master key', () => {
  it('is generated once into a 0600 file, or taken from AGENTD_MASTER_KEY', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agentd-key-'));
    try {
      const generated: string[] = [];
      const first = loadMasterKey({ dataDir: dir, onGenerate: (file) => generated.push(file) });
      expect(first.length).toBe(32);
      expect(statSync(join(dir, 'master-key')).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(dir, 'master-key'), 'utf8').trim()).toBe(first.toString('base64'));
      expect(loadMasterKey({ dataDir: dir }).equals(first)).toBe(true);
      expect(generated).toEqual([join(dir, 'master-key')]);
      const configured = randomBytes(32).toString('base64');
      expect(loadMasterKey({ dataDir: dir, configured }).toString('base64')).toBe(configured);
      expect(() => loadMasterKey({ dataDir: dir, configured: 'c2hvcnQ=' })).toThrow(
        /expected 32 bytes in base64/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
