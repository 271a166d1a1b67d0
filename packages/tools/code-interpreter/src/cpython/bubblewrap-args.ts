import { existsSync, lstatSync, readlinkSync } from 'node:fs';
import { basename } from 'node:path';

/** Paths inside the sandbox. */
export const SANDBOX_PYTHON = '/usr/bin/python3';
export const SANDBOX_CODE_DIR = '/opt/agentd';
export const SANDBOX_INPUTS_DIR = '/mnt/inputs';
/** The unprivileged user the code runs as, inside its user namespace. */
export const SANDBOX_UID = 65534;

export interface BubblewrapLayout {
  /** The host's python binary, resolved (e.g. /usr/bin/python3.11): the only program in the sandbox. */
  pythonBinary: string;
  /** The package's python/ folder: the driver, the cell runner, the matplotlib backend. */
  codeDir: string;
  /** A host folder of this session's input files, mounted read-only. */
  inputsDir: string;
  dataQuotaBytes: number;
  tmpQuotaBytes: number;
  /** The fd bubblewrap reads the seccomp program from, or null for none. */
  seccompFd: number | null;
  /** The driver's configuration, passed as its argument. */
  driverConfig: string;
}

/** Host files under /etc that Python and the scientific stack read; nothing else of /etc is visible. */
function etcEntries(pythonBinary: string): string[] {
  return [
    '/etc/ld.so.cache',
    '/etc/alternatives',
    '/etc/localtime',
    '/etc/mime.types',
    '/etc/fonts',
    '/etc/matplotlibrc',
    '/etc/python3',
    `/etc/${basename(pythonBinary)}`,
  ];
}

/**
 * The bubblewrap command line: every namespace unshared (so no network at
 * all), an unprivileged uid, a read-only /usr with no programs but Python,
 * size-capped tmpfs for /mnt/data and /tmp, no host environment.
 */
export function bubblewrapArgs(layout: BubblewrapLayout): string[] {
  const args = [
    '--unshare-all',
    '--unshare-user',
    '--disable-userns',
    '--die-with-parent',
    '--new-session',
    '--uid',
    String(SANDBOX_UID),
    '--gid',
    String(SANDBOX_UID),
    '--hostname',
    'sandbox',
    '--ro-bind',
    '/usr',
    '/usr',
  ];
  // Programs other than Python are hidden: os.system and subprocess find no shell or tools.
  const hidden = ['/usr/bin', '/usr/sbin', '/usr/local', '/usr/games', '/usr/libexec'].filter(
    isRealDirectory,
  );
  for (const dir of hidden) args.push('--tmpfs', dir);
  args.push('--ro-bind', layout.pythonBinary, SANDBOX_PYTHON);
  for (const dir of hidden) args.push('--remount-ro', dir);
  for (const dir of ['/lib', '/lib64', '/lib32', '/libx32', '/bin', '/sbin']) {
    if (!existsSync(dir)) continue;
    if (lstatSync(dir).isSymbolicLink()) args.push('--symlink', readlinkSync(dir), dir);
    else if (dir.startsWith('/lib')) args.push('--ro-bind', dir, dir);
  }
  for (const path of etcEntries(layout.pythonBinary)) {
    if (existsSync(path)) args.push('--ro-bind', path, path);
  }
  args.push(
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    // /dev is a tmpfs without a size: make it read-only (devices still work) and give /dev/shm a small one.
    '--size',
    String(16 * 1024 * 1024),
    '--tmpfs',
    '/dev/shm',
    '--remount-ro',
    '/dev',
    '--size',
    String(layout.dataQuotaBytes),
    '--tmpfs',
    '/mnt/data',
    '--size',
    String(layout.tmpQuotaBytes),
    '--tmpfs',
    '/tmp',
    '--ro-bind',
    layout.inputsDir,
    SANDBOX_INPUTS_DIR,
    '--ro-bind',
    layout.codeDir,
    SANDBOX_CODE_DIR,
    '--remount-ro',
    '/',
    '--chdir',
    '/mnt/data',
    '--clearenv',
  );
  const env: Record<string, string> = {
    PATH: '/usr/bin',
    HOME: '/tmp',
    TMPDIR: '/tmp',
    USER: 'sandbox',
    LANG: 'C.UTF-8',
    MPLBACKEND: 'module://agentd_mpl_backend',
    MPLCONFIGDIR: '/tmp/matplotlib',
    OPENBLAS_NUM_THREADS: '1',
    OMP_NUM_THREADS: '1',
    MKL_NUM_THREADS: '1',
  };
  for (const [key, value] of Object.entries(env)) args.push('--setenv', key, value);
  if (layout.seccompFd !== null) args.push('--seccomp', String(layout.seccompFd));
  args.push(SANDBOX_PYTHON, '-I', '-B', `${SANDBOX_CODE_DIR}/agentd_driver.py`, layout.driverConfig);
  return args;
}

function isRealDirectory(path: string): boolean {
  return existsSync(path) && lstatSync(path).isDirectory();
}
