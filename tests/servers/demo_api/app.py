"""Sextant demo API: a small FastAPI service of the kind our users build.

Served by uvicorn with one worker (see ``tests/servers/run.py``); it keeps its data in memory.
Its OpenAPI 3.1 document (``/openapi.json``) is what Sextant's import and "try every operation"
tests read, so every operation carries a summary, a tag and examples, and calling any operation
with the example values from its schema succeeds (2xx; ``GET /redirect`` answers with the 3xx
it is asked for, and following it leads to ``GET /items``, a 200).

Seed items
    Items 1, 2 and 3 always exist. ``DELETE /items/{item_id}`` on a seed item answers 204 and
    restores the item to its seed state instead of removing it, and ``PUT`` on it changes it
    only until such a DELETE. So example calls with ``item_id=1`` work in any order, any number
    of times. Items created with ``POST /items`` (ids from 4 up) are really deleted, after which
    they give 404 ``{"detail": "Item not found"}``.

Logging in
    ``POST /token`` is FastAPI's OAuth2 password login. Its ``username`` and ``password`` have
    no examples (credentials are the caller's to type); any non-empty pair is accepted and
    answered with ``{"access_token": "token-<username>", "token_type": "bearer"}``.

Short-lived tokens
    ``POST /auth/token`` is a stricter OAuth2 password login for the token refresh tests: only
    ``alice`` / ``wonderland`` gets in, and the access token is an HS256 JWT that expires after
    ``DEMO_TOKEN_TTL`` seconds (default 3), with a refresh token that
    ``grant_type=refresh_token`` on the same endpoint trades for a new pair (the old refresh
    token stops working). ``GET /auth/me`` needs a valid, unexpired access token. Both are left
    out of the operations (their example calls could not succeed); the security scheme
    ``DemoPassword`` describes them.
"""

import asyncio
import base64
import copy
import hashlib
import hmac
import itertools
import json
import os
import secrets
import time
from enum import IntEnum
from typing import Annotated, Any, Literal

from fastapi import (
    Body,
    Depends,
    FastAPI,
    File,
    Form,
    HTTPException,
    Path,
    Query,
    Request,
    Response,
    UploadFile,
)
from fastapi.responses import JSONResponse, RedirectResponse, StreamingResponse
from fastapi.routing import APIRoute
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, ConfigDict, Field

# --------------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------------

EXAMPLE_ITEM_IN = {
    "name": "Widget",
    "price": 9.99,
    "tags": ["tools"],
    "description": "A small, useful widget",
}


class ItemIn(BaseModel):
    """What a client sends to create or replace an item."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_ITEM_IN]})

    name: str = Field(min_length=1, description="Display name.", examples=["Widget"])
    price: float = Field(gt=0, description="Unit price, greater than 0.", examples=[9.99])
    tags: list[str] = Field(default=[], description="Free-form labels.", examples=[["tools"]])
    description: str | None = Field(
        default=None, description="Longer text, optional.", examples=["A small, useful widget"]
    )


class Item(ItemIn):
    """An item as stored, with its id."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"id": 1, **EXAMPLE_ITEM_IN}]})

    id: int = Field(description="Server-assigned id.", examples=[1])


class ErrorDetail(BaseModel):
    """Error body, as FastAPI's HTTPException writes it."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"detail": "Item not found"}]})

    detail: str = Field(examples=["Item not found"])


class UploadResult(BaseModel):
    """What the server saw of an uploaded file."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "filename": "hello.txt",
                    "contentType": "text/plain",
                    "size": 5,
                    "sha256": "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
                    "note": "greeting",
                }
            ]
        }
    )

    filename: str | None = Field(description="File name sent by the client.")
    contentType: str | None = Field(description="Content type of the file part.")
    size: int = Field(description="Size of the file in bytes.")
    sha256: str = Field(description="SHA-256 of the file content, lowercase hex.")
    note: str = Field(description="The `note` form field.")


class Token(BaseModel):
    """An OAuth2 bearer token."""

    access_token: str = Field(examples=["token-alice"])
    token_type: str = Field(examples=["bearer"])


class CookiesSet(BaseModel):
    set: dict[str, str] = Field(examples=[{"session": "abc123"}])


class CookiesSeen(BaseModel):
    cookies: dict[str, str] = Field(examples=[{"session": "abc123"}])


class Slept(BaseModel):
    slept: float = Field(description="Seconds slept.", examples=[0.5])


class EchoResult(BaseModel):
    """The request as the server received it. A query parameter or header that appears more
    than once is given as a list of its values; header names are lowercase. The body is decoded
    as UTF-8 (invalid bytes replaced)."""

    method: str = Field(examples=["POST"])
    path: str = Field(examples=["/echo"])
    query: dict[str, str | list[str]] = Field(examples=[{"q": "1"}])
    headers: dict[str, str | list[str]] = Field(examples=[{"content-type": "application/json"}])
    body: str = Field(examples=['{"hello": "world"}'])


class Health(BaseModel):
    status: Literal["ok"] = Field(examples=["ok"])


class CustomHeaderBody(BaseModel):
    message: str = Field(examples=["This response carries the header X-Demo: yes"])
    headers: dict[str, str] = Field(examples=[{"X-Demo": "yes"}])


# --------------------------------------------------------------------------------------------
# In-memory store
# --------------------------------------------------------------------------------------------

SEED_ITEMS: dict[int, dict[str, Any]] = {
    1: {"id": 1, **EXAMPLE_ITEM_IN},
    2: {
        "id": 2,
        "name": "Gadget",
        "price": 24.5,
        "tags": ["tools", "electronics"],
        "description": "Does gadget things",
    },
    3: {"id": 3, "name": "Field guide", "price": 12.0, "tags": ["books"], "description": None},
}

# Handlers are all `async def`, so they run one at a time on the event loop: no lock needed.
_items: dict[int, Item] = {i: Item(**copy.deepcopy(v)) for i, v in SEED_ITEMS.items()}
_next_id = itertools.count(max(SEED_ITEMS) + 1)


def _get_or_404(item_id: int) -> Item:
    item = _items.get(item_id)
    if item is None:
        raise HTTPException(status_code=404, detail="Item not found")
    return item


# --------------------------------------------------------------------------------------------
# App
# --------------------------------------------------------------------------------------------

TAGS = [
    {"name": "items", "description": "CRUD on an in-memory item store. Items 1-3 always exist."},
    {"name": "files", "description": "Multipart uploads."},
    {"name": "streaming", "description": "Responses that arrive in pieces over time."},
    {"name": "cookies", "description": "Setting and reading cookies."},
    {"name": "redirects", "description": "Redirects with a chosen status code."},
    {"name": "misc", "description": "Health, delays, echo and custom headers."},
    {"name": "auth", "description": "OAuth2 password login."},
]


def _operation_id(route: APIRoute) -> str:
    # Clean operationIds (`list_items`, not `list_items_items_get`): the handler names are unique.
    return route.name


app = FastAPI(
    title="Sextant Demo API",
    version="1.0.0",
    summary="A small demo API that Sextant's tests import and call.",
    description=__doc__,
    openapi_tags=TAGS,
    license_info={"name": "MIT", "identifier": "MIT"},
    generate_unique_id_function=_operation_id,
)

NOT_FOUND = {404: {"model": ErrorDetail, "description": "No item with that id."}}
ItemBody = Annotated[
    ItemIn,
    Body(
        openapi_examples={
            "widget": {"summary": "A tagged item with a description", "value": EXAMPLE_ITEM_IN},
            "minimal": {
                "summary": "Only the required fields",
                "value": {"name": "Pen", "price": 1.5},
            },
        }
    ),
]
ItemId = Annotated[int, Path(description="Id of an item; 1, 2 and 3 always exist.", examples=[1])]


@app.get("/", include_in_schema=False)
async def root() -> RedirectResponse:
    return RedirectResponse("/docs")


# ---- items --------------------------------------------------------------------------------


@app.get("/items", tags=["items"], summary="List items", response_model=list[Item])
async def list_items(
    limit: Annotated[
        int, Query(ge=1, le=100, description="Return at most this many items.", examples=[20])
    ] = 20,
    tag: Annotated[
        str | None, Query(description="Only items that carry this tag.", examples=["tools"])
    ] = None,
) -> list[Item]:
    """Items in id order, optionally only those with a given tag."""
    found = [it for _, it in sorted(_items.items()) if tag is None or tag in it.tags]
    return found[:limit]


@app.post(
    "/items",
    tags=["items"],
    summary="Create an item",
    status_code=201,
    response_model=Item,
    responses={201: {"description": "The created item, with its new id."}},
)
async def create_item(item: ItemBody) -> Item:
    """Stores a new item and returns it with its id. An invalid body gets FastAPI's 422."""
    new = Item(id=next(_next_id), **item.model_dump())
    _items[new.id] = new
    return new


@app.get(
    "/items/{item_id}",
    tags=["items"],
    summary="Get an item",
    response_model=Item,
    responses=NOT_FOUND,
)
async def get_item(item_id: ItemId) -> Item:
    """One item by id, or 404 `{"detail": "Item not found"}`."""
    item = _get_or_404(item_id)
    if "items" in DEMO_BREAK:
        return item.model_copy(update={"name": item.name + " (broken)"})
    return item


# DEMO_BREAK=items (a comma-separated list) breaks GET /items/{id}: the name it answers gains
# " (broken)". Tests of exported suites start the demo with it to see them fail readably.
DEMO_BREAK = {part.strip() for part in os.environ.get("DEMO_BREAK", "").split(",") if part.strip()}


@app.put(
    "/items/{item_id}",
    tags=["items"],
    summary="Replace an item",
    response_model=Item,
    responses=NOT_FOUND,
)
async def replace_item(item_id: ItemId, item: ItemBody) -> Item:
    """Replaces every field of an existing item and returns it."""
    _get_or_404(item_id)
    updated = Item(id=item_id, **item.model_dump())
    _items[item_id] = updated
    return updated


@app.delete(
    "/items/{item_id}",
    tags=["items"],
    summary="Delete an item",
    status_code=204,
    response_class=Response,
    responses={204: {"description": "Deleted (a seed item is reset instead)."}, **NOT_FOUND},
)
async def delete_item(item_id: ItemId) -> Response:
    """Deletes an item. Seed items 1-3 are not removed but reset to their seed values (still
    204), so that they always exist; items created with POST are really removed."""
    _get_or_404(item_id)
    if item_id in SEED_ITEMS:
        _items[item_id] = Item(**copy.deepcopy(SEED_ITEMS[item_id]))
    else:
        del _items[item_id]
    return Response(status_code=204)


# ---- files --------------------------------------------------------------------------------


@app.post("/upload", tags=["files"], summary="Upload a file", response_model=UploadResult)
async def upload_file(
    file: Annotated[UploadFile, File(description="Any file.")],
    note: Annotated[str, Form(description="Free text sent along.", examples=["greeting"])] = "",
) -> UploadResult:
    """Reads a multipart upload and returns its name, type, size and SHA-256."""
    digest = hashlib.sha256()
    size = 0
    while chunk := await file.read(64 * 1024):
        digest.update(chunk)
        size += len(chunk)
    return UploadResult(
        filename=file.filename,
        contentType=file.content_type,
        size=size,
        sha256=digest.hexdigest(),
        note=note,
    )


# ---- auth ---------------------------------------------------------------------------------


@app.post("/token", tags=["auth"], summary="Log in (OAuth2 password)", response_model=Token)
async def login(form: Annotated[OAuth2PasswordRequestForm, Depends()]) -> Token:
    """Accepts any non-empty username and password and returns a bearer token naming the user."""
    if not form.username or not form.password:
        raise HTTPException(status_code=401, detail="Incorrect username or password")
    return Token(access_token=f"token-{form.username}", token_type="bearer")


# ---- short-lived tokens (password flow + refresh) -----------------------------------------

DEMO_USERS = {"alice": "wonderland"}
TOKEN_TTL = int(os.environ.get("DEMO_TOKEN_TTL", "3"))
_JWT_KEY = secrets.token_bytes(32)  # new at every start: older tokens never verify
_refresh_tokens: dict[str, str] = {}  # refresh token -> username


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(signing_input: bytes) -> str:
    return _b64url(hmac.new(_JWT_KEY, signing_input, hashlib.sha256).digest())


def _issue_tokens(username: str) -> JSONResponse:
    now = int(time.time())
    header = _b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    claims = {"sub": username, "iat": now, "exp": now + TOKEN_TTL, "jti": secrets.token_hex(8)}
    payload = _b64url(json.dumps(claims, separators=(",", ":")).encode())
    signing_input = f"{header}.{payload}"
    refresh = secrets.token_urlsafe(24)
    _refresh_tokens[refresh] = username
    body = {
        "access_token": f"{signing_input}.{_sign(signing_input.encode())}",
        "token_type": "bearer",
        "expires_in": TOKEN_TTL,
        "refresh_token": refresh,
    }
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


def _oauth_error(status: int, error: str, description: str) -> JSONResponse:
    return JSONResponse(
        {"error": error, "error_description": description},
        status_code=status,
        headers={"Cache-Control": "no-store"},
    )


@app.post("/auth/token", tags=["auth"], include_in_schema=False)
async def auth_token(
    grant_type: Annotated[str, Form()] = "password",
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    refresh_token: Annotated[str, Form()] = "",
    scope: Annotated[str, Form()] = "",
) -> JSONResponse:
    """OAuth2 password login (alice / wonderland) and refresh (RFC 6749 sections 4.3 and 6)."""
    if grant_type == "password":
        expected = DEMO_USERS.get(username)
        if expected is None or not hmac.compare_digest(expected, password):
            return _oauth_error(401, "invalid_grant", "Incorrect username or password")
        return _issue_tokens(username)
    if grant_type == "refresh_token":
        owner = _refresh_tokens.pop(refresh_token, None)
        if owner is None:
            return _oauth_error(400, "invalid_grant", "Unknown or used refresh token")
        return _issue_tokens(owner)
    return _oauth_error(400, "unsupported_grant_type", f"grant_type {grant_type!r}")


def _bearer_error(description: str) -> JSONResponse:
    return JSONResponse(
        {"error": "invalid_token", "error_description": description},
        status_code=401,
        headers={
            "WWW-Authenticate": f'Bearer error="invalid_token", error_description="{description}"'
        },
    )


@app.get("/auth/me", tags=["auth"], include_in_schema=False)
async def auth_me(request: Request) -> JSONResponse:
    """Who the bearer token belongs to, while it has not expired."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return JSONResponse(
            {"detail": "Not authenticated"}, status_code=401, headers={"WWW-Authenticate": "Bearer"}
        )
    parts = token.strip().split(".")
    if len(parts) != 3 or not hmac.compare_digest(
        _sign(f"{parts[0]}.{parts[1]}".encode()), parts[2]
    ):
        return _bearer_error("token not valid")
    try:
        claims = json.loads(_b64url_decode(parts[1]))
    except ValueError:
        return _bearer_error("token not valid")
    if int(claims.get("exp", 0)) <= time.time():
        return _bearer_error("token expired")
    return JSONResponse({"username": claims["sub"], "exp": claims["exp"]})


# ---- streaming ----------------------------------------------------------------------------


@app.get(
    "/stream",
    tags=["streaming"],
    summary="Stream NDJSON lines",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": 'N lines `{"line": i}` (i from 0), about 10 ms apart.',
            "content": {
                "application/x-ndjson": {
                    "schema": {"type": "string"},
                    "example": '{"line": 0}\n{"line": 1}\n',
                }
            },
        }
    },
)
async def stream_lines(
    lines: Annotated[
        int, Query(ge=0, le=1000, description="How many lines to send.", examples=[5])
    ] = 5,
) -> StreamingResponse:
    """Sends `lines` newline-delimited JSON objects, sleeping 10 ms between them."""

    async def body():
        for i in range(lines):
            if i:
                await asyncio.sleep(0.01)
            yield (json.dumps({"line": i}) + "\n").encode()

    return StreamingResponse(body(), media_type="application/x-ndjson")


# Server-sent events (text/event-stream with a charset parameter, as sse-starlette and most
# frameworks send it), by GET and by POST with a JSON body like an LLM's streaming endpoint.
SSE_MEDIA_TYPE = "text/event-stream; charset=utf-8"
SSE_RESPONSE = {
    200: {
        "description": "Server-sent events.",
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
    }
}


def sse_event(data: Any, event: str | None = None, event_id: int | None = None) -> bytes:
    lines = []
    if event_id is not None:
        lines.append(f"id: {event_id}")
    if event is not None:
        lines.append(f"event: {event}")
    lines.append(f"data: {json.dumps(data)}")
    return ("\n".join(lines) + "\n\n").encode()


@app.get(
    "/sse/ticks",
    tags=["streaming"],
    summary="Stream server-sent events",
    response_class=StreamingResponse,
    responses=SSE_RESPONSE,
)
async def sse_ticks(
    count: Annotated[int, Query(ge=0, le=10000, description="How many events.", examples=[5])] = 5,
    delay_ms: Annotated[
        int, Query(ge=0, le=5000, description="Pause between events (ms).", examples=[50])
    ] = 50,
) -> StreamingResponse:
    """Sends `count` `tick` events (`id` from 1, data `{"n": id}`), `delay_ms` apart."""

    async def body():
        yield b": ticks follow\n\n"
        for n in range(1, count + 1):
            if n > 1 and delay_ms:
                await asyncio.sleep(delay_ms / 1000)
            yield sse_event({"n": n}, event="tick", event_id=n)

    return StreamingResponse(body(), media_type=SSE_MEDIA_TYPE)


class CompletionRequest(BaseModel):
    prompt: str = Field(examples=["Tell me about sextants"])
    count: int = Field(default=5, ge=0, le=10000, description="How many token events.")
    delay_ms: int = Field(default=50, ge=0, le=5000, description="Pause between tokens (ms).")


COMPLETION_WORDS = "A sextant measures the angle between a celestial body and the horizon".split()


@app.post(
    "/chat/stream",
    tags=["streaming"],
    summary="Stream completion tokens as server-sent events",
    response_class=StreamingResponse,
    responses=SSE_RESPONSE,
)
async def chat_stream(completion: CompletionRequest) -> StreamingResponse:
    """LLM style: `count` `token` events (data `{"index", "token", "prompt"}`), `delay_ms`
    apart, then a `done` event with the number of tokens."""

    async def body():
        for i in range(completion.count):
            if i and completion.delay_ms:
                await asyncio.sleep(completion.delay_ms / 1000)
            token = COMPLETION_WORDS[i % len(COMPLETION_WORDS)]
            yield sse_event(
                {"index": i, "token": token, "prompt": completion.prompt},
                event="token",
                event_id=i + 1,
            )
        yield sse_event({"done": True, "tokens": completion.count}, event="done")

    return StreamingResponse(body(), media_type=SSE_MEDIA_TYPE)


# ---- cookies ------------------------------------------------------------------------------


@app.get("/cookies/set", tags=["cookies"], summary="Set a cookie", response_model=CookiesSet)
async def set_cookie(
    response: Response,
    name: Annotated[str, Query(min_length=1, description="Cookie name.", examples=["session"])],
    value: Annotated[str, Query(description="Cookie value.", examples=["abc123"])],
) -> CookiesSet:
    """Answers with `Set-Cookie: name=value; Path=/`."""
    response.set_cookie(name, value, path="/")
    return CookiesSet(set={name: value})


@app.get("/cookies", tags=["cookies"], summary="Show request cookies", response_model=CookiesSeen)
async def get_cookies(request: Request) -> CookiesSeen:
    """The cookies the request carried."""
    return CookiesSeen(cookies=dict(request.cookies))


# ---- redirects ----------------------------------------------------------------------------

class RedirectStatus(IntEnum):
    """Status codes that `GET /redirect` can answer with."""

    moved_permanently = 301
    found = 302
    see_other = 303
    temporary_redirect = 307
    permanent_redirect = 308


@app.get(
    "/redirect",
    tags=["redirects"],
    summary="Redirect somewhere",
    status_code=302,
    response_class=RedirectResponse,
    responses={
        code: {
            "description": f"Redirect with status {code}.",
            "headers": {"Location": {"description": "The `to` URL.", "schema": {"type": "string"}}},
        }
        for code in (301, 302, 303, 307, 308)
    },
)
async def redirect(
    to: Annotated[
        str, Query(min_length=1, description="Location to redirect to.", examples=["/items"])
    ] = "/items",
    status: Annotated[
        RedirectStatus, Query(description="Redirect status code.", examples=[302])
    ] = RedirectStatus.found,
) -> RedirectResponse:
    """Redirects to `to` with the given status (301, 302, 303, 307 or 308)."""
    return RedirectResponse(url=to, status_code=int(status))


# ---- misc ---------------------------------------------------------------------------------


@app.get("/slow", tags=["misc"], summary="Answer after a delay", response_model=Slept)
async def slow(
    delay: Annotated[
        float, Query(ge=0, le=30, description="Seconds to wait before answering.", examples=[0.5])
    ] = 0.5,
) -> Slept:
    """Sleeps `delay` seconds (without blocking other requests), then answers."""
    await asyncio.sleep(delay)
    return Slept(slept=delay)


def _multi_dict(pairs: list[tuple[str, str]]) -> dict[str, str | list[str]]:
    out: dict[str, str | list[str]] = {}
    for key, value in pairs:
        if key not in out:
            out[key] = value
        elif isinstance(out[key], list):
            out[key].append(value)  # type: ignore[union-attr]
        else:
            out[key] = [out[key], value]  # type: ignore[list-item]
    return out


@app.post(
    "/echo",
    tags=["misc"],
    summary="Echo the request",
    response_model=EchoResult,
    openapi_extra={
        "requestBody": {
            "required": False,
            "description": "Any body; it is echoed back as text.",
            "content": {
                "application/json": {"schema": {}, "example": {"hello": "world"}},
                "text/plain": {"schema": {"type": "string"}, "example": "hello"},
            },
        }
    },
)
async def echo(request: Request) -> EchoResult:
    """Returns the method, path, query, headers and body of the request."""
    raw = await request.body()
    return EchoResult(
        method=request.method,
        path=request.url.path,
        query=_multi_dict(request.query_params.multi_items()),
        headers=_multi_dict([(k.lower(), v) for k, v in request.headers.items()]),
        body=raw.decode("utf-8", errors="replace"),
    )


@app.get("/health", tags=["misc"], summary="Health check", response_model=Health)
async def health() -> Health:
    """Always `{"status": "ok"}`."""
    return Health(status="ok")


@app.get(
    "/headers/custom",
    tags=["misc"],
    summary="Response with a custom header",
    response_model=CustomHeaderBody,
    responses={
        200: {
            "description": "JSON body; the response carries `X-Demo: yes`.",
            "headers": {"X-Demo": {"description": "Always `yes`.", "schema": {"type": "string"}}},
        }
    },
)
async def custom_header() -> JSONResponse:
    """A JSON response that carries the header `X-Demo: yes`."""
    body = CustomHeaderBody(
        message="This response carries the header X-Demo: yes", headers={"X-Demo": "yes"}
    )
    return JSONResponse(body.model_dump(), headers={"X-Demo": "yes"})


# ---- contract checks ------------------------------------------------------------------------


@app.get(
    "/contract/broken-items",
    tags=["contract"],
    summary="List items (breaks its own schema)",
    response_model=list[Item],
)
async def broken_items() -> JSONResponse:
    """Declares a list of `Item` but answers with a second item that has no `name`: a response
    that violates its own documented schema, for contract checks (`'name' is a required property
    at /1`)."""
    return JSONResponse(
        [
            {"id": 1, "name": "Widget", "price": 9.99, "tags": ["tools"], "description": None},
            {"id": 2, "price": 1.5, "tags": []},
        ]
    )


# ---- WebSocket ------------------------------------------------------------------------------
# uvicorn serves WebSockets through the `websockets` package (pinned in requirements.txt).
from fastapi import WebSocket, WebSocketDisconnect  # noqa: E402


@app.websocket("/ws/echo")
async def ws_echo(websocket: WebSocket) -> None:
    """Echoes text and binary messages. `close:CODE:REASON` makes the server close with that
    code and reason (`close:4000:goodbye`). Offered subprotocols: the first is accepted."""
    offered = websocket.scope.get("subprotocols") or []
    await websocket.accept(subprotocol=offered[0] if offered else None)
    try:
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
            text = message.get("text")
            if text is not None:
                if text.startswith("close:"):
                    _, code, reason = (text.split(":", 2) + ["", ""])[:3]
                    await websocket.close(int(code or 1000), reason)
                    return
                await websocket.send_text(text)
            elif message.get("bytes") is not None:
                await websocket.send_bytes(message["bytes"])
    except WebSocketDisconnect:
        return


# ---- OpenAPI: the password flow's security scheme --------------------------------------------

_base_openapi = app.openapi


def _openapi_with_password_scheme() -> dict[str, Any]:
    schema = _base_openapi()
    schemes = schema.setdefault("components", {}).setdefault("securitySchemes", {})
    schemes["DemoPassword"] = {
        "type": "oauth2",
        "description": (
            "Used by GET /auth/me (left out of the operations): an OAuth2 password login at "
            "/auth/token (alice / wonderland) gives a JWT that expires after DEMO_TOKEN_TTL "
            "seconds (default 3), refreshed at the same URL with grant_type=refresh_token."
        ),
        "flows": {
            "password": {"tokenUrl": "/auth/token", "refreshUrl": "/auth/token", "scopes": {}}
        },
    }
    return schema


app.openapi = _openapi_with_password_scheme  # type: ignore[method-assign]
