import type { Artifact, ArtifactStore, ToolScope } from '@agentd/spec';
import { describe, expect, it } from 'vitest';

/** One store for the suite, and how to read back what it kept, for stores that keep artifacts. */
export interface ArtifactStoreSubject {
  store: ArtifactStore;
  /** Two tenants that exist for the suite. */
  tenants: readonly [string, string];
  /**
   * The artifact as the tenant's file, or undefined when the tenant has no
   * file of that id. Absent for a store that keeps nothing.
   */
  read?(tenantId: string, fileId: string): Promise<Artifact | undefined>;
  /** The largest artifact the store takes, when it has a limit (larger ones fail with category too_large). */
  maxBytes?: number;
}

function scopeOf(tenantId: string, responseId = 'resp_contract'): ToolScope {
  return { tenantId, responseId, sessionKey: responseId, publicUrl: 'http://agentd.test' };
}

/** Every byte value, then a PNG signature: binary content, not text. */
const BINARY = Buffer.concat([
  Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
]);

/**
 * The behaviour the built-in tools (code interpreter outputs, browser
 * screenshots) rely on from every ArtifactStore, run against each
 * implementation (the discarding store; the files-backed store on PGlite and
 * PostgreSQL): each save gets its own id, any link it gives is an http(s) URL
 * naming that id, and a store that keeps artifacts gives back the same bytes,
 * name and type to the saving tenant only, keeps concurrent saves apart, takes
 * an empty artifact, and refuses one over its limit with a too_large error
 * (an error, not a crash of the process).
 */
export function describeArtifactStoreContract(
  name: string,
  make: () => ArtifactStoreSubject | Promise<ArtifactStoreSubject>,
): void {
  describe(`ArtifactStore contract: ${name}`, () => {
    it('gives each save its own id, and any link names that id', async () => {
      const { store, tenants } = await make();
      const artifact = { filename: 'plot.png', contentType: 'image/png', bytes: BINARY };
      const first = await store.save(scopeOf(tenants[0]), artifact);
      const second = await store.save(scopeOf(tenants[0]), artifact);
      expect(first.fileId).toMatch(/^file[-_]\w+/);
      expect(second.fileId).not.toBe(first.fileId);
      for (const saved of [first, second]) {
        if (saved.url === undefined) continue;
        const url = new URL(saved.url);
        expect(['http:', 'https:']).toContain(url.protocol);
        expect(decodeURIComponent(url.pathname)).toContain(saved.fileId);
      }
    });

    it('gives back the same bytes, filename and content type to the saving tenant', async (context) => {
      const { store, tenants, read } = await make();
      if (!read) return context.skip('this store keeps nothing');
      const artifact = { filename: 'résumé data.csv', contentType: 'text/csv', bytes: BINARY };
      const { fileId } = await store.save(scopeOf(tenants[0]), artifact);
      const back = await read(tenants[0], fileId);
      expect(back?.filename).toBe(artifact.filename);
      expect(back?.contentType).toBe(artifact.contentType);
      expect(back && Buffer.from(back.bytes).equals(BINARY)).toBe(true);
    });

    it("does not show one tenant's artifact to another", async (context) => {
      const { store, tenants, read } = await make();
      if (!read) return context.skip('this store keeps nothing');
      const { fileId } = await store.save(scopeOf(tenants[0]), {
        filename: 'secret.txt',
        contentType: 'text/plain',
        bytes: Buffer.from('tenant zero only'),
      });
      expect(await read(tenants[1], fileId)).toBeUndefined();
      expect(Buffer.from((await read(tenants[0], fileId))?.bytes ?? []).toString()).toBe('tenant zero only');
    });

    it('keeps concurrent saves apart', async (context) => {
      const { store, tenants, read } = await make();
      const saves = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          store.save(scopeOf(tenants[i % 2]!, `resp_${i}`), {
            filename: `shot-${i}.png`,
            contentType: 'image/png',
            bytes: Buffer.from(`screenshot ${i}`),
          }),
        ),
      );
      expect(new Set(saves.map((saved) => saved.fileId)).size).toBe(6);
      if (!read) return context.skip('ids checked; this store keeps nothing to read back');
      for (const [i, saved] of saves.entries()) {
        const back = await read(tenants[i % 2]!, saved.fileId);
        expect(back?.filename).toBe(`shot-${i}.png`);
        expect(Buffer.from(back?.bytes ?? []).toString()).toBe(`screenshot ${i}`);
      }
    });

    it('takes an empty artifact', async () => {
      const { store, tenants, read } = await make();
      const { fileId } = await store.save(scopeOf(tenants[1]), {
        filename: 'empty.txt',
        contentType: 'text/plain',
        bytes: Buffer.alloc(0),
      });
      expect(fileId).toMatch(/\w/);
      if (read) expect((await read(tenants[1], fileId))?.bytes.byteLength).toBe(0);
    });

    it('refuses an artifact over its limit with a too_large error, and takes one at the limit', async (context) => {
      const { store, tenants, maxBytes, read } = await make();
      if (maxBytes === undefined) return context.skip('this store has no size limit');
      const saving = store.save(scopeOf(tenants[0]), {
        filename: 'huge.bin',
        contentType: 'application/octet-stream',
        bytes: Buffer.alloc(maxBytes + 1, 7),
      });
      await expect(saving).rejects.toMatchObject({ category: 'too_large' });
      // An artifact at the limit is still taken.
      const atLimit = await store.save(scopeOf(tenants[0]), {
        filename: 'fits.bin',
        contentType: 'application/octet-stream',
        bytes: Buffer.alloc(maxBytes, 7),
      });
      expect(atLimit.fileId).toMatch(/\w/);
      if (read) expect((await read(tenants[0], atLimit.fileId))?.bytes.byteLength).toBe(maxBytes);
    });
  });
}
