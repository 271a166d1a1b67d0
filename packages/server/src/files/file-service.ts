import { createHash } from 'node:crypto';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import type { ObjectStore } from '@agentd/object-store';
import { AgentdError } from '../errors.js';
import { newId } from '../ids.js';
import type { Database } from '../storage/database.js';
import { FileRepository, type StoredFile } from './file-repository.js';
import { safeFilename } from './safe-filename.js';

export interface FileLimits {
  /** Largest single file, in bytes. */
  maxFileBytes: number;
  /** Everything a tenant may store, in bytes. */
  tenantQuotaBytes: number;
}

export interface NewFile {
  filename: string;
  /** May settle after the bytes (a form field that follows the file); a rejection discards the upload. */
  purpose: string | Promise<string>;
  contentType?: string | undefined;
  body: Readable;
  /** The request's Content-Length, an upper bound of the file's size, when known. */
  sizeHint?: number | undefined;
  responseId?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** How long an upload's quota reservation lasts if its process dies mid-way. */
const RESERVATION_TTL_SECONDS = 3600;

/**
 * How much of a multipart body may be other than the file's bytes: the other
 * fields, part headers and boundaries, well above what the form parser lets
 * through (20 fields of 4 KiB, 30 parts).
 */
const MULTIPART_OVERHEAD_BYTES = 1024 * 1024;

/**
 * Files: bytes streamed into the (encrypted) object store, rows in the
 * database. An upload never sits whole in memory; it is counted as it
 * streams and stopped at the size limit or the tenant's remaining quota.
 */
export class FileService {
  readonly repository: FileRepository;

  constructor(
    private readonly db: Database,
    private readonly store: ObjectStore,
    private readonly limits: FileLimits,
  ) {
    this.repository = new FileRepository(db);
  }

  async upload(tenantId: string, file: NewFile): Promise<StoredFile> {
    const purpose = Promise.resolve(file.purpose);
    purpose.catch(() => undefined); // awaited after the bytes; must not count as unhandled meanwhile
    const id = newId('file');
    const reservationId = newId('upload');
    const allowance = await this.reserve(tenantId, reservationId, file.sizeHint);
    const objectKey = `tenants/${tenantId}/files/${id}`;
    const meter = new ByteMeter(allowance.bytes, allowance.reason, this.limits);
    // A body over the limit can fail before the store starts reading (a buffer flows at once):
    // the error is kept in meter.error and thrown below, never left as an unhandled 'error' event.
    meter.on('error', () => undefined);
    try {
      await this.store.put(objectKey, file.body.pipe(meter), {
        ...(file.contentType ? { contentType: file.contentType } : {}),
        ...(file.signal ? { signal: file.signal } : {}),
      });
      if (meter.error) throw meter.error;
      return await this.repository.insert(tenantId, {
        id,
        filename: safeFilename(file.filename),
        purpose: await purpose,
        bytes: meter.bytes,
        contentType: file.contentType ?? null,
        sha256: meter.digest(),
        objectKey,
        responseId: file.responseId ?? null,
      });
    } catch (error) {
      await this.store.delete(objectKey).catch(() => undefined);
      throw meter.error ?? error;
    } finally {
      await this.repository.release(reservationId).catch(() => undefined);
    }
  }

  /**
   * Refuses an upload whose declared body size already cannot fit, before a
   * byte of it is read: over the file size limit or the tenant's remaining
   * quota even after allowing for the form's other parts.
   */
  async admit(tenantId: string, declaredBytes: number | undefined): Promise<void> {
    if (declaredBytes === undefined) return;
    const { maxFileBytes, tenantQuotaBytes } = this.limits;
    const least = declaredBytes - MULTIPART_OVERHEAD_BYTES;
    if (least > maxFileBytes) {
      throw new AgentdError(
        'too_large',
        'file_too_large',
        `The upload is ${declaredBytes} bytes (Content-Length), more than a file may be: ${maxFileBytes} bytes (AGENTD_FILE_MAX_BYTES).`,
        { param: 'file' },
      );
    }
    const room = tenantQuotaBytes - (await this.repository.usage(tenantId));
    if (least > room) {
      throw new AgentdError(
        'too_large',
        'storage_quota_exceeded',
        `The upload is ${declaredBytes} bytes (Content-Length); your tenant has ${Math.max(room, 0)} of its ${tenantQuotaBytes} bytes left (AGENTD_TENANT_STORAGE_QUOTA_BYTES). Delete files to make room.`,
      );
    }
  }

  /** A file's bytes, decrypted as they stream. */
  async content(tenantId: string, id: string): Promise<{ file: StoredFile; body: Readable }> {
    const file = await this.repository.get(tenantId, id);
    return { file, body: await this.store.get(file.objectKey) };
  }

  /** A file and its bytes in one buffer, for extraction; refuses files larger than `maxBytes`. */
  async readAll(
    tenantId: string,
    id: string,
    maxBytes = this.limits.maxFileBytes,
  ): Promise<{ file: StoredFile; bytes: Buffer }> {
    const { file, body } = await this.content(tenantId, id);
    if (file.bytes > maxBytes) {
      body.destroy();
      throw new AgentdError(
        'too_large',
        'file_too_large',
        `The file ${id} is larger than ${maxBytes} bytes.`,
      );
    }
    const parts: Buffer[] = [];
    for await (const part of body) parts.push(part as Buffer);
    return { file, bytes: Buffer.concat(parts) };
  }

  /** Removes the file, its chunks in every vector store, and its bytes. */
  async delete(tenantId: string, id: string): Promise<void> {
    const file = await this.repository.delete(tenantId, id);
    await this.store.delete(file.objectKey);
  }

  /**
   * Reserves quota for an upload (its declared size, else as much as a file
   * may be, within what is left) and returns how many bytes it may stream.
   */
  private async reserve(
    tenantId: string,
    reservationId: string,
    sizeHint: number | undefined,
  ): Promise<{ bytes: number; reason: 'file' | 'quota' }> {
    const { maxFileBytes, tenantQuotaBytes } = this.limits;
    return this.db.transaction(async (tx) => {
      const repository = new FileRepository(tx);
      await repository.lockQuota(tenantId);
      const used = await repository.usage(tenantId);
      const room = tenantQuotaBytes - used;
      if (room <= 0) throw quotaExceeded(used, tenantQuotaBytes);
      const allowance = Math.min(maxFileBytes, room);
      await repository.reserve(
        tenantId,
        reservationId,
        Math.min(sizeHint ?? allowance, allowance),
        RESERVATION_TTL_SECONDS,
      );
      return { bytes: allowance, reason: allowance < maxFileBytes ? 'quota' : 'file' };
    });
  }
}

function fileTooLarge(limit: number): AgentdError {
  return new AgentdError(
    'too_large',
    'file_too_large',
    `The file is larger than ${limit} bytes (AGENTD_FILE_MAX_BYTES).`,
    { param: 'file' },
  );
}

function quotaExceeded(used: number, quota: number): AgentdError {
  return new AgentdError(
    'too_large',
    'storage_quota_exceeded',
    `Your tenant's storage quota is used up: ${used} of ${quota} bytes (AGENTD_TENANT_STORAGE_QUOTA_BYTES). Delete files to make room.`,
  );
}

/** Counts and hashes bytes as they pass; fails the stream past `limit`. */
class ByteMeter extends Transform {
  bytes = 0;
  error: AgentdError | undefined;
  private readonly hash = createHash('sha256');

  constructor(
    private readonly limit: number,
    private readonly reason: 'file' | 'quota',
    private readonly limits: FileLimits,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) {
      this.error =
        this.reason === 'file'
          ? fileTooLarge(this.limits.maxFileBytes)
          : quotaExceeded(
              this.limits.tenantQuotaBytes - this.limit + this.bytes,
              this.limits.tenantQuotaBytes,
            );
      callback(this.error);
      return;
    }
    this.hash.update(chunk);
    callback(null, chunk);
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}
