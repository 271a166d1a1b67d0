import { describe, expect, it } from 'vitest';
import { applyPiiPolicy, type PiiType, redactPii, scanPii } from '../src/index.js';

/** Each value must be found whole, as the one finding of its type, inside a sentence. */
const POSITIVES: Array<[PiiType, string]> = [
  ['email', 'alice@example.com'],
  ['email', 'first.last+tag@mail.example.co.uk'],
  ['email', 'ALICE_B@EXAMPLE.ORG'],
  ['phone', '+44 20 7946 0958'],
  ['phone', '+1 (415) 555-2671'],
  ['phone', '+33 1 23 45 67 89'],
  ['phone', '+4915123456789'],
  ['phone', '+44 (0)20 7946 0958'],
  ['phone', '(415) 555-2671'],
  ['phone', '415-555-2671'],
  ['phone', '415.555.2671'],
  ['phone', '1-800-555-0199'],
  ['phone', '020 7946 0958'],
  ['phone', '07700 900123'],
  ['phone', '01 23 45 67 89'],
  ['phone', '030 12345678'],
  ['phone', '06-12345678'],
  ['card', '4111 1111 1111 1111'],
  ['card', '4111-1111-1111-1111'],
  ['card', '4111111111111111'],
  ['card', '5500 0000 0000 0004'],
  ['card', '3782 822463 10005'],
  ['card', '6011 1111 1111 1117'],
  ['card', '3530111333300000'],
  ['government_id', '123-45-6789'],
  ['government_id', '536 22 1234'],
  ['government_id', 'AB 12 34 56 C'],
  ['government_id', 'AB123456C'],
  ['government_id', 'DE89 3704 0044 0532 0130 00'],
  ['government_id', 'GB82 WEST 1234 5698 7654 32'],
  ['government_id', 'FR14 2004 1010 0505 0001 3M02 606'],
  ['government_id', 'NL91ABNA0417164300'],
  ['api_key', 'sk-proj-abc123DEF456ghi789JKL012mno345pqr'],
  ['api_key', 'sk-agentd-Qm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdo'],
  ['api_key', 'sk-abcdefghijklmnopqrstuvwxyz0123456789ABCD'],
  ['api_key', 'ghp_1234567890abcdefghijklmnopqrstuvwxyz'],
  ['api_key', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRS'],
  ['api_key', 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx'],
  ['api_key', 'AKIAIOSFODNN7EXAMPLE'],
  ['api_key', 'AIzaSyA-1234567890abcdefghijklmnopqrstu'],
  ['api_key', 'glpat-Ab12Cd34Ef56Gh78Ij90'],
  ['api_key', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
  ['api_key', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
  ['api_key', 'Zx8Qp2Lm7Rt4Vb9Nc1Kd6Hs3Jf5Gw0Ye'],
];

/** Text that must pass untouched: dates, versions, order numbers, identifiers, hashes. */
const NEGATIVES: string[] = [
  '2024-01-15',
  '15/01/2024',
  '01.02.2024',
  '2024-01-15T10:30:00Z',
  'Jan 15, 2024 at 10:30',
  'v1.2.3',
  '10.0.19045.3803',
  'node 20.19.43',
  '192.168.1.100 and 10.0.0.1',
  'Order #123456789',
  'invoice INV-2024-000123',
  'order 1234567890',
  'ORD-2024-07-15-0042',
  'ticket 4567-1234',
  '123e4567-e89b-12d3-a456-426614174000',
  'commit e83c5163316f89bfbde7d9ab23ca2e25604af290',
  'sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  '42 apples, 3.14159, 1,234,567 and $1,299.99',
  'pages 100-200',
  'ISBN 978-0-306-40615-7',
  'card-like but not Luhn: 4111 1111 1111 1112',
  '1234 5678 9012 3456',
  '123-456-7890',
  '000-12-3456, 666-12-3456, 900-12-3456, 123-00-4567, 123-45-0000',
  'GB 12 34 56 A and QQ123456C',
  'DE89 3704 0044 0532 0130 01',
  'icon@2x.png',
  '@scope/package',
  'user@localhost',
  'sk-learn-model-selection-tools',
  'my-very-long-kebab-case-identifier-name-here',
  'getUserAccountSettingsForTenantHandlerV2',
  '/usr/local/lib/node_modules/typescript/lib/tsc.js',
  'https://example.com/docs/getting-started?page=2',
  'ZIP 94103-1234',
  'coordinates 37.7749, -122.4194',
  'population 8045311447',
  'at 12:45:30 on 2023/10/05',
  'SGVsbG8gd29ybGQ=',
  'supercalifragilisticexpialidocious',
  'room 0.5 by 0.25',
  'Call extension 1234',
];

describe('scanPii', () => {
  it.each(POSITIVES)('finds the %s in "%s"', (type, value) => {
    const text = `Before ${value} after.`;
    expect(scanPii(text)).toEqual([{ type, start: 7, end: 7 + value.length }]);
  });

  it.each(NEGATIVES)('finds nothing in "%s"', (text) => {
    expect(scanPii(text)).toEqual([]);
  });

  it('finds several kinds in one text, in order and without overlaps', () => {
    const text =
      'Mail bob@example.com or call +44 20 7946 0958; card 4111 1111 1111 1111; key AKIAIOSFODNN7EXAMPLE.';
    expect(scanPii(text).map(({ type, start, end }) => [type, text.slice(start, end)])).toEqual([
      ['email', 'bob@example.com'],
      ['phone', '+44 20 7946 0958'],
      ['card', '4111 1111 1111 1111'],
      ['api_key', 'AKIAIOSFODNN7EXAMPLE'],
    ]);
  });

  it('takes a grouped card number as a card, not as phone numbers', () => {
    expect(scanPii('pay with 5500-0000-0000-0004 now').map((finding) => finding.type)).toEqual(['card']);
  });

  it('finds two IBANs in a row', () => {
    const text = 'DE89 3704 0044 0532 0130 00 NL91ABNA0417164300';
    expect(scanPii(text).map(({ start, end }) => text.slice(start, end))).toEqual([
      'DE89 3704 0044 0532 0130 00',
      'NL91ABNA0417164300',
    ]);
  });
});

describe('redactPii', () => {
  it('replaces each finding with its kind and reports offsets in the original text', () => {
    const text = 'Email alice@example.com, SSN 123-45-6789, key sk-proj-abc123DEF456ghi789JKL012mno345pqr.';
    const result = redactPii(text);
    expect(result.text).toBe('Email [redacted email], SSN [redacted government id], key [redacted api key].');
    expect(result.findings.map(({ start, end }) => text.slice(start, end))).toEqual([
      'alice@example.com',
      '123-45-6789',
      'sk-proj-abc123DEF456ghi789JKL012mno345pqr',
    ]);
  });

  it('labels phones and cards', () => {
    expect(redactPii('call 415-555-2671 with 4111111111111111').text).toBe(
      'call [redacted phone] with [redacted card]',
    );
  });

  it('leaves clean text as it is', () => {
    expect(redactPii('Meeting on 2024-01-15 about v2.3.1.')).toEqual({
      text: 'Meeting on 2024-01-15 about v2.3.1.',
      findings: [],
    });
  });
});

describe('applyPiiPolicy', () => {
  const text = 'Reach me at alice@example.com or bob@example.org, card 4111 1111 1111 1111.';

  it('redacts in redact mode', () => {
    const result = applyPiiPolicy(text, 'redact');
    expect(result).toMatchObject({
      ok: true,
      text: 'Reach me at [redacted email] or [redacted email], card [redacted card].',
    });
    expect(result.findings).toHaveLength(3);
  });

  it('refuses in refuse mode, naming the kinds and counts but not the values', () => {
    const result = applyPiiPolicy(text, 'refuse');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.findings).toHaveLength(3);
    expect(result.message).toBe(
      "The text contains personal data or secrets (2 emails, 1 card); this server's policy is to refuse it. " +
        'Remove them and try again.',
    );
    expect(result.message).not.toContain('alice');
  });

  it('passes clean text unchanged in both modes', () => {
    for (const mode of ['redact', 'refuse'] as const)
      expect(applyPiiPolicy('I prefer tea.', mode)).toEqual({
        ok: true,
        text: 'I prefer tea.',
        findings: [],
      });
  });
});
