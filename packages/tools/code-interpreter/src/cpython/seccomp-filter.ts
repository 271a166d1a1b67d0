/**
 * A seccomp-bpf program for bubblewrap's `--seccomp FD`, assembled here so no
 * native dependency (libseccomp) is needed. A deny list on top of the
 * namespaces and the unprivileged uid: it refuses the kernel interfaces a
 * sandboxed Python never needs and that widen the kernel's attack surface
 * (mount, namespaces, ptrace, bpf, keyrings, io_uring, kernel modules, …),
 * and any socket but AF_UNIX. Only x86-64 is described; on other machines
 * `seccompProgram` returns null and the sandbox runs without the filter.
 */

// struct seccomp_data: int nr; __u32 arch; __u64 instruction_pointer; __u64 args[6];
const OFFSET_NR = 0;
const OFFSET_ARCH = 4;
const offsetArg = (index: number) => 16 + index * 8; // the low 32 bits, on little-endian

const BPF_LD_W_ABS = 0x20;
const BPF_JMP_JEQ_K = 0x15;
const BPF_JMP_JGE_K = 0x35;
const BPF_JMP_JSET_K = 0x45;
const BPF_RET_K = 0x06;

const AUDIT_ARCH_X86_64 = 0xc000003e;
const X32_SYSCALL_BIT = 0x40000000;
const SECCOMP_RET_KILL_PROCESS = 0x80000000;
const SECCOMP_RET_ERRNO = 0x00050000;
const SECCOMP_RET_ALLOW = 0x7fff0000;
const EPERM = 1;
const ENOSYS = 38;
const AF_UNIX = 1;
const TIOCSTI = 0x5412;
const TIOCLINUX = 0x541c;
/** CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET | NEWTIME */
const CLONE_NEW_NAMESPACES =
  0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000 | 0x80;

/** x86-64 numbers of the refused system calls (from asm/unistd_64.h). */
export const DENIED_SYSCALLS_X86_64: Readonly<Record<string, number>> = {
  ptrace: 101,
  syslog: 103,
  uselib: 134,
  personality: 135,
  ustat: 136,
  sysfs: 139,
  vhangup: 153,
  pivot_root: 155,
  _sysctl: 156,
  adjtimex: 159,
  chroot: 161,
  acct: 163,
  settimeofday: 164,
  mount: 165,
  umount2: 166,
  swapon: 167,
  swapoff: 168,
  reboot: 169,
  iopl: 172,
  ioperm: 173,
  create_module: 174,
  init_module: 175,
  delete_module: 176,
  get_kernel_syms: 177,
  query_module: 178,
  quotactl: 179,
  nfsservctl: 180,
  lookup_dcookie: 212,
  clock_settime: 227,
  mbind: 237,
  set_mempolicy: 238,
  kexec_load: 246,
  add_key: 248,
  request_key: 249,
  keyctl: 250,
  migrate_pages: 256,
  unshare: 272,
  move_pages: 279,
  perf_event_open: 298,
  name_to_handle_at: 303,
  open_by_handle_at: 304,
  clock_adjtime: 305,
  setns: 308,
  process_vm_readv: 310,
  process_vm_writev: 311,
  kcmp: 312,
  finit_module: 313,
  kexec_file_load: 320,
  bpf: 321,
  userfaultfd: 323,
  io_uring_setup: 425,
  io_uring_enter: 426,
  io_uring_register: 427,
  open_tree: 428,
  move_mount: 429,
  fsopen: 430,
  fsconfig: 431,
  fsmount: 432,
  fspick: 433,
  pidfd_getfd: 438,
  mount_setattr: 442,
  quotactl_fd: 443,
};

const SYSCALL_SOCKET = 41;
const SYSCALL_CLONE = 56;
const SYSCALL_IOCTL = 16;
const SYSCALL_CLONE3 = 435;

type Step =
  | { op: 'load'; offset: number }
  | { op: 'jump-if'; test: 'eq' | 'ge' | 'set'; k: number; to: string }
  | { op: 'return'; k: number }
  | { op: 'label'; name: string };

/** The filter for this machine, or null when its architecture is not described. */
export function seccompProgram(arch: string = process.arch): Uint8Array | null {
  return arch === 'x64' ? assemble(x86_64Steps()) : null;
}

function x86_64Steps(): Step[] {
  const deny = { op: 'return', k: SECCOMP_RET_ERRNO | EPERM } as const;
  const allow = { op: 'return', k: SECCOMP_RET_ALLOW } as const;
  return [
    { op: 'load', offset: OFFSET_ARCH },
    { op: 'jump-if', test: 'eq', k: AUDIT_ARCH_X86_64, to: 'native' },
    { op: 'return', k: SECCOMP_RET_KILL_PROCESS },
    { op: 'label', name: 'native' },
    { op: 'load', offset: OFFSET_NR },
    { op: 'jump-if', test: 'ge', k: X32_SYSCALL_BIT, to: 'deny' },
    { op: 'jump-if', test: 'eq', k: SYSCALL_SOCKET, to: 'socket' },
    { op: 'jump-if', test: 'eq', k: SYSCALL_CLONE, to: 'clone' },
    { op: 'jump-if', test: 'eq', k: SYSCALL_IOCTL, to: 'ioctl' },
    // glibc falls back to clone(), whose flags a classic BPF filter can inspect.
    { op: 'jump-if', test: 'eq', k: SYSCALL_CLONE3, to: 'enosys' },
    ...Object.values(DENIED_SYSCALLS_X86_64).map(
      (nr): Step => ({ op: 'jump-if', test: 'eq', k: nr, to: 'deny' }),
    ),
    allow,
    { op: 'label', name: 'socket' },
    { op: 'load', offset: offsetArg(0) },
    { op: 'jump-if', test: 'eq', k: AF_UNIX, to: 'allow' },
    deny,
    { op: 'label', name: 'clone' },
    { op: 'load', offset: offsetArg(0) },
    { op: 'jump-if', test: 'set', k: CLONE_NEW_NAMESPACES, to: 'deny' },
    allow,
    { op: 'label', name: 'ioctl' },
    { op: 'load', offset: offsetArg(1) },
    { op: 'jump-if', test: 'eq', k: TIOCSTI, to: 'deny' },
    { op: 'jump-if', test: 'eq', k: TIOCLINUX, to: 'deny' },
    allow,
    { op: 'label', name: 'enosys' },
    { op: 'return', k: SECCOMP_RET_ERRNO | ENOSYS },
    { op: 'label', name: 'deny' },
    deny,
    { op: 'label', name: 'allow' },
    allow,
  ];
}

/** Lays out `struct sock_filter` entries (u16 code, u8 jt, u8 jf, u32 k), little-endian. */
function assemble(steps: Step[]): Uint8Array {
  const labels = new Map<string, number>();
  const instructions = steps.filter((step) => step.op !== 'label');
  let index = 0;
  for (const step of steps) {
    if (step.op === 'label') labels.set(step.name, index);
    else index++;
  }
  const out = new DataView(new ArrayBuffer(instructions.length * 8));
  instructions.forEach((step, pc) => {
    let code = 0;
    let jt = 0;
    let k = 0;
    if (step.op === 'load') {
      code = BPF_LD_W_ABS;
      k = step.offset;
    } else if (step.op === 'return') {
      code = BPF_RET_K;
      k = step.k;
    } else if (step.op === 'jump-if') {
      code = step.test === 'eq' ? BPF_JMP_JEQ_K : step.test === 'ge' ? BPF_JMP_JGE_K : BPF_JMP_JSET_K;
      k = step.k;
      const target = labels.get(step.to);
      if (target === undefined) throw new Error(`unknown label ${step.to}`);
      jt = target - (pc + 1);
      if (jt < 0 || jt > 255) throw new Error(`jump to ${step.to} out of range`);
    }
    out.setUint16(pc * 8, code, true);
    out.setUint8(pc * 8 + 2, jt);
    out.setUint8(pc * 8 + 3, 0);
    out.setUint32(pc * 8 + 4, k >>> 0, true);
  });
  return new Uint8Array(out.buffer);
}
