"""Runs a command on a pseudo-terminal, as a user at a real terminal would: the command's stdin, stdout and stderr are
the terminal (so kubectl's -t takes effect), the window has the given size, and each line to type is typed (ending with
the Enter key's CR) once the prompt has appeared one more time. Writes everything the terminal showed to stdout and
exits with the command's exit code (124 if it did not end within the timeout).

Usage: run-in-pty.py SPEC.json, SPEC = {"argv": [...], "env": {...}, "prompt": "...", "typed": [...], "cols": 80,
"rows": 24, "timeout": 60}
"""
import fcntl, json, os, select, struct, subprocess, sys, termios, time

spec = json.load(open(sys.argv[1]))
master, slave = os.openpty()
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", spec["rows"], spec["cols"], 0, 0))
env = dict(os.environ)
env.update(spec.get("env", {}))
child = subprocess.Popen(spec["argv"], stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
os.close(slave)
prompt = spec["prompt"].encode()
typed = [line.encode() + b"\r" for line in spec["typed"]]
shown = b""
deadline = time.monotonic() + spec.get("timeout", 60)
while time.monotonic() < deadline:
    if typed and shown.count(prompt) > len(spec["typed"]) - len(typed):
        os.write(master, typed.pop(0))
    ready, _, _ = select.select([master], [], [], 0.1)
    if ready:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: every process holding the terminal has ended
            data = b""
        if not data:
            break
        shown += data
    elif child.poll() is not None:
        break
sys.stdout.buffer.write(shown)
sys.stdout.flush()
try:
    sys.exit(child.wait(timeout=max(0.0, deadline - time.monotonic())))
except subprocess.TimeoutExpired:
    child.kill()
    sys.exit(124)
