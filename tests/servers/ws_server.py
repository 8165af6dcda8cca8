#!/usr/bin/env python3
"""A WebSocket test server on the `websockets` library, for Sextant's engine, app and CLI tests.

    python ws_server.py --port 8002

Every path echoes text and binary messages back, except these text commands:
  close:CODE:REASON   the server closes with CODE and REASON (e.g. close:4000:goodbye)
  ping:PAYLOAD        the server sends a ping; when the pong arrives it sends "pong:PAYLOAD",
                      or "no-pong:PAYLOAD" if none came within 1 s
  burst:N[:SIZE]      the server sends N text messages ("burst 0", ...; padded to SIZE bytes)
  big:N               the server sends one text message of N bytes
  fragments:N:SIZE    the server sends one text message in N fragments of SIZE characters
                      ("part 0 ....", "part 1 ....", ...; compressed when permessage-deflate is on)
  whoami              a JSON text: the request's path, headers and the chosen subprotocol
  last-close:PATH     a JSON text: the close code and reason the last connection to PATH that
                      ended received from its client ({"code": null, ...} when none yet)
Paths /status/NNN refuse the upgrade with HTTP NNN and a JSON body. The subprotocols offered
are matched against chat.v2 and chat.v1 (the server's preference order); none is fine too.
"""

import argparse
import asyncio
import json
from http import HTTPStatus

from websockets.asyncio.server import serve
from websockets.exceptions import ConnectionClosed

SUBPROTOCOLS = ["chat.v2", "chat.v1"]
CLOSES = {}  # path -> the close frame the last connection to it received


def select_subprotocol(connection, offered):
    for protocol in SUBPROTOCOLS:
        if protocol in offered:
            return protocol
    return None


def process_request(connection, request):
    if request.path.startswith("/status/"):
        code = int(request.path.split("/")[2])
        body = json.dumps({"detail": f"refused with {code}", "path": request.path})
        response = connection.respond(HTTPStatus(code), body + "\n")
        del response.headers["Content-Type"]
        response.headers["Content-Type"] = "application/json"
        return response
    return None


async def command(ws, text):
    """Runs a text command; False when the text is not one (it is echoed)."""
    name, _, rest = text.partition(":")
    if name == "close":
        code, _, reason = rest.partition(":")
        await ws.close(int(code), reason)
    elif name == "ping":
        waiter = await ws.ping(rest.encode())
        try:
            await asyncio.wait_for(waiter, 1.0)
            await ws.send(f"pong:{rest}")
        except asyncio.TimeoutError:
            await ws.send(f"no-pong:{rest}")
    elif name == "burst":
        count, _, size = rest.partition(":")
        width = int(size) if size else 0
        for i in range(int(count)):
            await ws.send(f"burst {i}".ljust(width, "."))
    elif name == "big":
        await ws.send("x" * int(rest))
    elif name == "fragments":
        count, _, size = rest.partition(":")
        await ws.send([f"part {i} ".ljust(int(size), ".") for i in range(int(count))])
    elif text == "whoami":
        await ws.send(
            json.dumps(
                {
                    "path": ws.request.path,
                    "headers": {k.lower(): v for k, v in ws.request.headers.raw_items()},
                    "subprotocol": ws.subprotocol,
                }
            )
        )
    elif name == "last-close":
        await ws.send(json.dumps(CLOSES.get(rest, {"code": None, "reason": None})))
    else:
        return False
    return True


async def handler(ws):
    try:
        async for message in ws:
            if isinstance(message, str) and await command(ws, message):
                continue
            await ws.send(message)
    except ConnectionClosed:
        pass
    finally:
        received = ws.protocol.close_rcvd
        CLOSES[ws.request.path] = {
            "code": received.code if received else None,
            "reason": received.reason if received else None,
        }


async def main(host, port):
    async with serve(
        handler,
        host,
        port,
        subprotocols=SUBPROTOCOLS,
        select_subprotocol=select_subprotocol,
        process_request=process_request,
        max_size=64 * 1024 * 1024,
        ping_interval=None,
    ) as server:
        await server.serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    asyncio.run(main(args.host, args.port))
