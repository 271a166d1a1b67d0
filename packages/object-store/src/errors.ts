import { AgentdError, type ErrorCategory } from '@agentd/spec';

/**
 * The errors of the object store. `ObjectStoreError` is the one base class,
 * an AgentdError whose category follows from its code; the storage service's
 * own failures are left as the SDK's errors. The subclasses exist so callers
 * can `instanceof` the cases they handle.
 */

export type ObjectStoreErrorCode =
  | 'invalid_key'
  | 'object_not_found'
  | 'object_tampered'
  | 'unknown_master_key'
  | 'invalid_config';

const CATEGORY: Record<ObjectStoreErrorCode, ErrorCategory> = {
  invalid_key: 'invalid_request',
  object_not_found: 'not_found',
  object_tampered: 'integrity',
  // The keyring lacks a key its operator removed: a configuration fault, mended by configuration.
  // Nothing says the bytes were altered, so it does not raise the integrity alarm.
  unknown_master_key: 'internal',
  invalid_config: 'internal',
};

export class ObjectStoreError extends AgentdError {
  declare readonly code: ObjectStoreErrorCode;

  constructor(code: ObjectStoreErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(CATEGORY[code], code, message, options);
    this.name = 'ObjectStoreError';
  }
}

export class InvalidObjectKeyError extends ObjectStoreError {
  readonly key: string;

  constructor(key: string, problem: string) {
    super('invalid_key', `invalid object key ${JSON.stringify(key)}: ${problem}`);
    this.name = 'InvalidObjectKeyError';
    this.key = key;
  }
}

export class ObjectNotFoundError extends ObjectStoreError {
  readonly key: string;

  constructor(key: string, options: { cause?: unknown } = {}) {
    super('object_not_found', `no object with key ${JSON.stringify(key)}`, options);
    this.name = 'ObjectNotFoundError';
    this.key = key;
  }
}

/**
 * An encrypted object failed authentication. Nothing of the failing part was
 * released to the reader.
 */
export class ObjectTamperedError extends ObjectStoreError {
  readonly key: string;
  /** The master key the object's data key is wrapped with, when the sidecar got that far. */
  readonly masterKeyId: string | undefined;

  constructor(key: string, problem: string, masterKeyId?: string) {
    const keyNote = masterKeyId === undefined ? '' : ` with master key '${masterKeyId}'`;
    super(
      'object_tampered',
      `object ${JSON.stringify(key)} cannot be trusted: ${problem}. It was altered or truncated, ` +
        `or it was not written under this key${keyNote}.`,
    );
    this.name = 'ObjectTamperedError';
    this.key = key;
    this.masterKeyId = masterKeyId;
  }
}

/** An object's data key is wrapped with a master key the keyring does not hold. */
export class UnknownMasterKeyError extends ObjectStoreError {
  readonly key: string;
  readonly masterKeyId: string;

  constructor(key: string, masterKeyId: string, currentId: string) {
    super(
      'unknown_master_key',
      `object ${JSON.stringify(key)} was written with master key '${masterKeyId}', which is not in the ` +
        `keyring (current key '${currentId}'); add that key to the previous master keys to read it.`,
    );
    this.name = 'UnknownMasterKeyError';
    this.key = key;
    this.masterKeyId = masterKeyId;
  }
}
