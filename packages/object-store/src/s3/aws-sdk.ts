import { createRequire } from 'node:module';
import type * as ClientS3 from '@aws-sdk/client-s3';
import type * as LibStorage from '@aws-sdk/lib-storage';

export interface AwsSdk {
  s3: typeof ClientS3;
  storage: typeof LibStorage;
}

let loaded: AwsSdk | undefined;

/**
 * The AWS SDK, loaded when an S3 store is first made: it takes most of a
 * second to load, which a server on the local object store should not pay.
 */
export function awsSdk(): AwsSdk {
  if (!loaded) {
    const require = createRequire(import.meta.url);
    loaded = {
      s3: require('@aws-sdk/client-s3') as typeof ClientS3,
      storage: require('@aws-sdk/lib-storage') as typeof LibStorage,
    };
  }
  return loaded;
}
