"""A warm interpreter that runs `biblio` commands in forked children and kills them on request.

The crash test sends one JSON request per line: {"args": [...], "kill_after": seconds or null}.
The server forks a child that runs the biblio command line with those arguments; after
`kill_after` seconds it sends the child SIGKILL unless it has finished, reaps it, and
answers {"killed": bool, "code": exit code or null, "seconds": how long the child ran}.
Forking after the imports means each run costs biblio's work, not Python's start-up, so
a test can afford many kills; the child is still a separate process with its own
database connections, killed without warning.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time

from biblio.cli import main  # imported once, before any fork (no database is open here)


def _child(args: list[str]) -> None:
    """Run one command in the child and leave with its exit code (never returns)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    code = 0
    sys.argv = ["biblio", *args]
    try:
        main()
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else 1
    except BaseException:
        code = 99
    os._exit(code)


def _run(args: list[str], kill_after: float | None) -> dict[str, object]:
    """Fork, wait up to `kill_after`, kill if still running; the child is always reaped here."""
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        _child(args)
    deadline = None if kill_after is None else start + kill_after
    while True:
        done, status = os.waitpid(pid, 0 if deadline is None else os.WNOHANG)
        if done:
            return {"killed": False, "code": os.waitstatus_to_exitcode(status), "seconds": time.monotonic() - start}
        assert deadline is not None
        if time.monotonic() >= deadline:
            os.kill(pid, signal.SIGKILL)  # our own child, not yet reaped: the pid cannot have been reused
            _, status = os.waitpid(pid, 0)
            code = os.waitstatus_to_exitcode(status)
            return {"killed": code == -signal.SIGKILL, "code": code, "seconds": time.monotonic() - start}
        time.sleep(0.002)


def serve() -> None:
    """Answer requests until standard input closes."""
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        print(json.dumps(_run(request["args"], request.get("kill_after"))), flush=True)


if __name__ == "__main__":
    serve()
