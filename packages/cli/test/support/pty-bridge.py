"""Runs a command in a real pseudo-terminal (Python's pty module), for tests.

Usage: python3 pty-bridge.py COMMAND [ARG...]
What arrives on this process's stdin is typed at the terminal; what the
command writes to the terminal comes out on stdout, as a user's screen would
receive it (with the terminal's echo and CR LF line ends). The terminal is 120
columns by 40 rows. Exits with the command's exit code. node-pty would need a
native build; this needs only python3.
"""

import fcntl
import os
import pty
import select
import struct
import sys
import termios

pid, master = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    os.execvp(sys.argv[1], sys.argv[1:])

typing = True
while True:
    readable, _, _ = select.select([master] + ([0] if typing else []), [], [])
    if master in readable:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the command closed the terminal (it exited)
            data = b""
        if not data:
            break
        os.write(1, data)
    if 0 in readable:
        data = os.read(0, 65536)
        if data:
            os.write(master, data)
        else:
            typing = False

_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
