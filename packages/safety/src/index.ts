export { PII_LABELS, type PiiFinding, type PiiType } from './rules/pii/pii-finding.js';
export { redactPii } from './rules/pii/redact-pii.js';
export { scanPii } from './rules/pii/scan-pii.js';
