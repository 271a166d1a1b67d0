import type { S3Client } from '@aws-sdk/client-s3';
import { ObjectStoreError } from '../errors.js';
import { awsSdk } from './aws-sdk.js';

export interface S3ConnectionOptions {
  region?: string;
  /** An S3-compatible service (MinIO, Ceph, R2, ...); unset means AWS. */
  endpoint?: string;
  /** `https://host/bucket/key` addressing, which most S3-compatible services need. */
  forcePathStyle?: boolean;
  /** With secretAccessKey; both unset means the SDK's default credential chain (environment, profile, instance role). */
  accessKeyId?: string;
  secretAccessKey?: string;
}

/**
 * An S3 client for the options. With a custom endpoint, the region defaults
 * to `us-east-1` (such services ignore it but the signer needs one) and
 * checksums are sent and checked only where the S3 API requires them: the
 * SDK's default CRC32 checksums (since 3.729) are rejected or mishandled by
 * several S3-compatible servers, and encrypted objects carry their own
 * authentication anyway.
 */
export function createS3Client(options: S3ConnectionOptions): S3Client {
  if (Boolean(options.accessKeyId) !== Boolean(options.secretAccessKey)) {
    throw new ObjectStoreError(
      'invalid_config',
      'S3 credentials need both an access key id and a secret access key, or neither (to use the default chain)',
    );
  }
  const custom = options.endpoint !== undefined && options.endpoint !== '';
  return new (awsSdk().s3.S3Client)({
    region: options.region || (custom ? 'us-east-1' : undefined),
    ...(custom ? { endpoint: options.endpoint } : {}),
    forcePathStyle: options.forcePathStyle ?? false,
    ...(options.accessKeyId && options.secretAccessKey
      ? { credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } }
      : {}),
    ...(custom
      ? { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' }
      : {}),
  });
}
