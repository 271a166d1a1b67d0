import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AgentdError } from '../errors.js';

/**
 * PGlite keeps its database in one process; two servers on one data
 * directory would corrupt it. The lock file holds the owner's pid, and a lock
 * left by a process that is gone is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'agentd.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    // The pid is written to a private file first and then linked into place,
    // so the lock never exists without its owner's pid in it.
    const staged = `${path}.${process.pid}`;
    writeFileSync(staged, String(process.pid), { mode: 0o600 });
    try {
      linkSync(staged, path);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new AgentdError(
          'conflict',
          'data_dir_locked',
          `The data directory ${dataDir} is in use by another agentd process (pid ${owner}). Stop it, or set AGENTD_DATA_DIR to another directory.`,
        );
      }
      rmSync(path, { force: true });
    } finally {
      rmSync(staged, { force: true });
    }
  }
  throw new AgentdError('conflict', 'data_dir_locked', `Could not lock the data directory ${dataDir}.`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
