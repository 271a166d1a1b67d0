import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The training data: AGENTD_SAFETY_DATA, or ../shared/data/safety beside the repository. */
export const DATA_DIR =
  process.env.AGENTD_SAFETY_DATA ??
  fileURLToPath(new URL('../../../../../shared/data/safety', import.meta.url));
export const DATA_FILES = [join(DATA_DIR, 'train.jsonl'), join(DATA_DIR, 'extra', 'train-extra.jsonl')];
