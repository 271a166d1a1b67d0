import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Keyring, ObjectStoreError } from '../src/index.js';

const idOf = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 16);

describe('Keyring', () => {
  it('names each key by the first 16 hex characters of its SHA-256', () => {
    const current = randomBytes(32);
    const previous = randomBytes(32);
    const keyring = new Keyring(current, [previous]);
    expect(keyring.current.id).toBe(idOf(current));
    expect(keyring.current.key.equals(current)).toBe(true);
    expect(keyring.find(idOf(current))).toBe(keyring.current);
    expect(keyring.find(idOf(previous))?.key.equals(previous)).toBe(true);
    expect(keyring.find('0000000000000000')).toBeUndefined();
  });

  it('takes previous keys as comma-separated base64, ignoring blanks and spaces', () => {
    const [a, b] = [randomBytes(32), randomBytes(32)];
    const keyring = Keyring.fromConfig({
      current: randomBytes(32),
      previous: ` ${a.toString('base64')}, ,${b.toString('base64')},`,
    });
    expect(keyring.find(idOf(a))?.key.equals(a)).toBe(true);
    expect(keyring.find(idOf(b))?.key.equals(b)).toBe(true);
    expect(Keyring.fromConfig({ current: randomBytes(32) }).find(idOf(a))).toBeUndefined();
  });

  it('refuses keys that are not 32 bytes, without echoing them', () => {
    expect(() => new Keyring(randomBytes(16))).toThrow(/current master key must be 32 bytes/);
    const short = randomBytes(31).toString('base64');
    const error = (() => {
      try {
        Keyring.fromConfig({
          current: randomBytes(32),
          previous: `${randomBytes(32).toString('base64')},${short}`,
        });
      } catch (caught) {
        return caught as ObjectStoreError;
      }
    })();
    expect(error).toBeInstanceOf(ObjectStoreError);
    expect(error?.code).toBe('invalid_config');
    expect(error?.message).toMatch(/previous master key #2 must be 32 bytes in base64/);
    expect(error?.message).not.toContain(short);
  });

  it('refuses previous keys that are not clean base64', () => {
    const key = randomBytes(32).toString('base64');
    expect(() => Keyring.fromConfig({ current: randomBytes(32), previous: `${key}!` })).toThrow(/in base64/);
  });
});
