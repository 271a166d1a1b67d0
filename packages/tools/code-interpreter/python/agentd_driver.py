"""The CPython sandbox's REPL: one process per session, inside bubblewrap.

Started as `python3 -I -B /opt/agentd/agentd_driver.py '<config json>'`. It
first applies its resource limits (before any user code exists), then reads
one JSON request per line on stdin and answers one JSON line on stdout:

  request:  {"id": 1, "code": "...", "inputs": ["sales.csv"], "cpu_seconds": 30}
  response: {"id": 1, "stdout": "...", "stderr": "...", "result": "..." | null,
             "error": {...} | null, "files": [{"path", "data"}], "images": ["<base64 png>"],
             "truncated": false}

Everything here runs as the sandbox's unprivileged user and can be tampered
with by the user's code; the host treats every answer as untrusted.
"""

import base64
import io
import json
import os
import resource
import signal
import sys

CONFIG = json.loads(sys.argv[1])
DATA_DIR = "/mnt/data"
INPUTS_DIR = "/mnt/inputs"
SANDBOX_DIR = os.path.dirname(os.path.abspath(__file__))


def apply_limits():
    limits = CONFIG["rlimits"]
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_NPROC, (limits["nproc"], limits["nproc"]))
    resource.setrlimit(resource.RLIMIT_AS, (limits["address_space"], limits["address_space"]))
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits["file_size"], limits["file_size"]))
    resource.setrlimit(resource.RLIMIT_NOFILE, (limits["open_files"], limits["open_files"]))
    resource.setrlimit(resource.RLIMIT_CPU, (limits["cpu_seconds"], limits["cpu_seconds"]))


apply_limits()

# The protocol gets private copies of fds 0 and 1; the real fds 0-2 then point
# at /dev/null and capture files, so that nothing the code or its children
# write at the fd level can corrupt the protocol.
_proto_in = os.fdopen(os.dup(0), "rb")
_proto_out = os.fdopen(os.dup(1), "wb")
_devnull = os.open(os.devnull, os.O_RDONLY)
os.dup2(_devnull, 0)
_fd_capture = {}
for fd, name in ((1, "stdout"), (2, "stderr")):
    path = f"/tmp/.agentd-fd{fd}"
    capture = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC, 0o600)
    os.dup2(capture, fd)
    _fd_capture[name] = capture

sys.path.insert(0, SANDBOX_DIR)
import agentd_runner  # noqa: E402

sys.stdin = io.StringIO("")


class CappedWriter(io.TextIOBase):
    """sys.stdout/sys.stderr for one cell: keeps the first `limit` characters."""

    def __init__(self, limit, fd):
        self.limit, self.fd, self.parts, self.kept, self.dropped = limit, fd, [], 0, 0

    def writable(self):
        return True

    def write(self, text):
        text = str(text)
        room = self.limit - self.kept
        if room > 0:
            self.parts.append(text[:room])
            self.kept += min(room, len(text))
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def fileno(self):
        return self.fd

    @property
    def encoding(self):
        return "utf-8"

    def isatty(self):
        return False

    def text(self, extra=""):
        text = "".join(self.parts) + extra
        if len(text) > self.limit:
            self.dropped += len(text) - self.limit
            text = text[: self.limit]
        if self.dropped:
            text += f"\n[… {self.dropped} characters truncated …]"
        return text


def drain_fd_capture(name, limit):
    capture = _fd_capture[name]
    os.lseek(capture, 0, os.SEEK_SET)
    data = os.read(capture, limit * 4)
    os.ftruncate(capture, 0)
    return data.decode("utf-8", "replace")


def snapshot_files():
    state = {}

    def visit(directory, prefix):
        try:
            entries = list(os.scandir(directory))
        except OSError:
            return
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    visit(entry.path, f"{prefix}{entry.name}/")
                elif entry.is_file(follow_symlinks=False):
                    info = entry.stat(follow_symlinks=False)
                    state[f"{prefix}{entry.name}"] = (info.st_ino, info.st_mtime_ns, info.st_size)
            except OSError:
                continue

    visit(DATA_DIR, "")
    return state


def collect_files(before, after):
    """The files new or changed under /mnt/data, base64-encoded; notes on any left out."""
    files, notes, budget = [], "", CONFIG["max_file_bytes"]
    for path, state in sorted(after.items()):
        if before.get(path) == state:
            continue
        try:
            with open(os.path.join(DATA_DIR, path), "rb") as handle:
                data = handle.read(budget + 1)
            if len(data) > budget:
                notes += f"[file {path} not returned: over the size budget]\n"
                continue
            files.append({"path": path, "data": base64.b64encode(data).decode("ascii")})
            budget -= len(data)
        except (OSError, MemoryError) as error:
            notes += f"[file {path} not returned: {type(error).__name__}]\n"
    return files, notes


def link_inputs(inputs):
    """Input files live read-only under /mnt/inputs; /mnt/data gets a link to each."""
    for relative in inputs:
        target = os.path.join(DATA_DIR, relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if os.path.lexists(target):
            if os.path.isdir(target) and not os.path.islink(target):
                continue
            os.unlink(target)
        os.symlink(os.path.join(INPUTS_DIR, relative), target)


def capture_figures():
    if "matplotlib.pyplot" not in sys.modules:
        return []
    try:
        import agentd_mpl_backend

        agentd_mpl_backend.capture_open_figures()
        return agentd_mpl_backend.take()
    except Exception as error:  # a broken figure must not lose the cell's other output
        sys.stderr.write(f"[figure capture failed: {type(error).__name__}: {error}]\n")
        return []


class CpuLimitExceeded(Exception):
    pass


def _on_sigxcpu(signum, frame):
    raise CpuLimitExceeded("the call exceeded its CPU time limit")


def run(request, namespace):
    limits = CONFIG["output"]
    used = resource.getrusage(resource.RUSAGE_SELF)
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    soft = int(used.ru_utime + used.ru_stime) + int(request.get("cpu_seconds", 60)) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (min(soft, hard), hard))
    link_inputs(request.get("inputs", []))
    before = snapshot_files()
    stdout = CappedWriter(limits["stdout_chars"], 1)
    stderr = CappedWriter(limits["stderr_chars"], 2)
    sys.stdout, sys.stderr = stdout, stderr
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGXCPU, _on_sigxcpu)
    try:
        outcome = agentd_runner.run_cell(request["code"], namespace, limits["result_chars"])
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGXCPU, signal.SIG_IGN)
    images = capture_figures()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            pass
    sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    after = snapshot_files()
    files, notes = collect_files(before, after)
    out = stdout.text(drain_fd_capture("stdout", limits["stdout_chars"]))
    err = stderr.text(drain_fd_capture("stderr", limits["stderr_chars"]) + notes)
    return {
        "id": request["id"],
        "stdout": out,
        "stderr": err,
        "result": outcome["result"],
        "error": outcome["error"],
        "files": files,
        "images": [base64.b64encode(png).decode("ascii") for png in images],
        "truncated": stdout.dropped > 0 or stderr.dropped > 0,
    }


def send(message):
    _proto_out.write(json.dumps(message).encode("utf-8") + b"\n")
    _proto_out.flush()


def main():
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGXCPU, signal.SIG_IGN)
    os.chdir(DATA_DIR)
    # Warm the call path (compile, exec, repr, tracebacks, file scan) so a session's first call is fast.
    run({"id": 0, "code": "import math\nvalue = [math.sqrt(2)] * 3\nvalue", "inputs": []}, {})
    run({"id": 0, "code": "1 / 0", "inputs": []}, {})
    agentd_runner._cells = 0
    namespace = agentd_runner.new_main_namespace()
    send({"type": "ready"})
    for line in _proto_in:
        request = json.loads(line)
        try:
            response = run(request, namespace)
        except BaseException as error:  # the driver's own failure: report it, keep serving
            sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
            response = {"id": request.get("id"), "failed": f"{type(error).__name__}: {error}"}
        send(response)


main()
