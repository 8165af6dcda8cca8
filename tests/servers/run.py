#!/usr/bin/env python3
"""Runs one of Sextant's test servers as a child process and ties its life to ours.

    python run.py demo    --port 8000    # FastAPI demo API under uvicorn (one worker)
    python run.py httpbin --port 8001    # httpbin under gunicorn (gthread, 1 worker, 4 threads)
    python run.py ws      --port 8002    # the WebSocket test server (ws_server.py, websockets)

Run it with the venv's interpreter (tests/servers/.venv/bin/python, made by
scripts/setup-python.sh): the server is started with this same interpreter.

The server stops (SIGTERM, then SIGKILL after 3 s) when any of these happens:
  - our stdin reaches EOF: the process that started us closed the pipe or died, however it
    died, since the kernel closes its end of the pipe. This is how the Rust tests' servers never
    outlive the test binary. Pass --no-watch-stdin when starting it by hand in the background.
  - we get SIGTERM, SIGINT or SIGHUP.
  - (Linux) we die ourselves, even by SIGKILL: the child gets SIGTERM from the kernel
    (PR_SET_PDEATHSIG).
If the server exits on its own, we exit with its exit code.
"""

import argparse
import os
import signal
import subprocess
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
KILL_AFTER = 3.0


def log(msg: str) -> None:
    print(f"run.py[{os.getpid()}]: {msg}", file=sys.stderr, flush=True)


def server_command(kind: str, host: str, port: int) -> list[str]:
    py = sys.executable
    if kind == "demo":
        return [
            py, "-m", "uvicorn", "demo_api.app:app",
            "--app-dir", HERE,
            "--host", host, "--port", str(port),
            "--workers", "1",
            "--timeout-graceful-shutdown", "2",
        ]
    if kind == "httpbin":
        return [
            py, "-m", "gunicorn",
            "-k", "gthread", "--threads", "4", "-w", "1",
            "-b", f"{host}:{port}",
            "--graceful-timeout", "2",
            # gunicorn >= 25 opens a control socket at one fixed path per user; several servers
            # at once would fight over it, and we do not use it.
            "--no-control-socket",
            "--access-logfile", "-",
            "httpbin:app",
        ]
    if kind == "ws":
        return [py, os.path.join(HERE, "ws_server.py"), "--host", host, "--port", str(port)]
    raise ValueError(kind)


def _die_with_parent() -> None:
    """In the child, before exec: ask Linux to SIGTERM it when we (its parent) die."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except Exception:  # not Linux, or no libc: stdin watching still covers the normal cases
        pass


def stop_child(child: subprocess.Popen) -> int:
    if child.poll() is None:
        try:
            child.send_signal(signal.SIGTERM)
            child.wait(timeout=KILL_AFTER)
        except subprocess.TimeoutExpired:
            log(f"server pid {child.pid} still running after {KILL_AFTER:.0f} s, sending SIGKILL")
            child.kill()
            child.wait()
        except ProcessLookupError:
            pass
    return child.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=["demo", "httpbin", "ws"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--no-watch-stdin",
        action="store_true",
        help="do not stop the server when stdin reaches EOF (for starting it by hand with &)",
    )
    args = parser.parse_args()

    stop = threading.Event()
    reason: list[str] = []

    def request_stop(why: str) -> None:
        if not reason:
            reason.append(why)
        stop.set()

    # Install handlers before starting the child, so a signal that comes early is not lost.
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda signum, _frame: request_stop(signal.Signals(signum).name))

    cmd = server_command(args.kind, args.host, args.port)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    child = subprocess.Popen(
        cmd,
        cwd=HERE,
        env=env,
        stdin=subprocess.DEVNULL,
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
    )
    log(f"started {args.kind} server pid {child.pid} on {args.host}:{args.port}")

    if not args.no_watch_stdin:

        def watch_stdin() -> None:
            try:
                while os.read(sys.stdin.fileno(), 4096):
                    pass
            except OSError:
                pass
            request_stop("stdin closed")

        threading.Thread(target=watch_stdin, name="stdin-watch", daemon=True).start()

    while not stop.is_set():
        code = child.poll()
        if code is not None:
            log(f"server exited by itself with code {code}")
            return code if code >= 0 else 128 - code
        stop.wait(0.2)

    log(f"stopping server ({reason[0]})")
    code = stop_child(child)
    log(f"server stopped (code {code})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
