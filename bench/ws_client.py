#!/usr/bin/env python3
"""The peer of `sextant ws` in scripts/bench.sh: the Python `websockets` client on the same server.

    ws_client.py pipe URL            a line client like `sextant ws` when piped: stdin lines are
                                     sent as text, each received message is printed as a JSON
                                     line, stdin's end closes (1000)
    ws_client.py drive N -- CMD...   N sequential echo round trips through a line client's pipes
                                     (CMD is `sextant ws URL` or `ws_client.py pipe URL`): write a
                                     line, read stdout until its echo; prints DRIVE_US=<µs per trip>
    ws_client.py echo URL N          N sequential round trips in one process (the floor);
                                     prints ECHO_US=<µs per trip>
    ws_client.py burst URL N         ask the server for N messages and then its close (`burst:N`,
                                     `close:1000:done`), print each message as a JSON line as
                                     `sextant ws` does, until the server closes

Run with tests/servers/.venv/bin/python (websockets is pinned in tests/servers/requirements.txt).
"""

import asyncio
import json
import subprocess
import sys
import time

from websockets.asyncio.client import connect


def line(direction: str, data) -> str:
    if isinstance(data, bytes):
        op, data = "binary", data.hex()
    else:
        op = "text"
    return json.dumps({"event": "frame", "dir": direction, "op": op, "size": len(data), "data": data})


async def pipe(url: str) -> None:
    loop = asyncio.get_running_loop()
    async with connect(url, max_size=None, compression=None) as ws:
        print(json.dumps({"event": "open", "url": url}), flush=True)

        async def receive() -> None:
            async for message in ws:
                sys.stdout.write(line("in", message) + "\n")
                sys.stdout.flush()

        receiver = asyncio.create_task(receive())
        while True:
            text = await loop.run_in_executor(None, sys.stdin.readline)
            if not text:
                break
            await ws.send(text.rstrip("\n"))
        await ws.close()
        await receiver


def drive(n: int, command: list[str]) -> None:
    child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
    assert child.stdin and child.stdout
    first = child.stdout.readline()
    if '"open"' not in first:
        sys.exit(f"drive: the client did not connect: {first!r}")
    start = time.perf_counter()
    for i in range(n):
        want = f"rt{i}"
        child.stdin.write(want + "\n")
        child.stdin.flush()
        while True:
            got = child.stdout.readline()
            if not got:
                sys.exit(f"drive: the client ended before the echo of {want}")
            if '"dir":"in"' in got.replace(" ", "") and f'"{want}"' in got:
                break
    elapsed = time.perf_counter() - start
    child.stdin.close()
    child.wait(timeout=30)
    print(f"DRIVE_US={elapsed / n * 1e6:.0f}")


async def echo(url: str, n: int) -> None:
    async with connect(url, max_size=None, compression=None) as ws:
        start = time.perf_counter()
        for i in range(n):
            await ws.send(f"rt{i}")
            await ws.recv()
        elapsed = time.perf_counter() - start
    print(f"ECHO_US={elapsed / n * 1e6:.0f}")


async def burst(url: str, n: int) -> None:
    out = sys.stdout
    async with connect(url, max_size=None, compression=None) as ws:
        await ws.send(f"burst:{n}")
        await ws.send("close:1000:done")
        async for message in ws:
            out.write(line("in", message) + "\n")
    out.flush()


def main() -> None:
    mode = sys.argv[1]
    if mode == "pipe":
        asyncio.run(pipe(sys.argv[2]))
    elif mode == "drive":
        drive(int(sys.argv[2]), sys.argv[sys.argv.index("--") + 1 :])
    elif mode == "echo":
        asyncio.run(echo(sys.argv[2], int(sys.argv[3])))
    elif mode == "burst":
        asyncio.run(burst(sys.argv[2], int(sys.argv[3])))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
