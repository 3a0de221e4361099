"""ASGI middleware that bounds request bodies before anything parses them."""

from __future__ import annotations

import json


class BodyLimitMiddleware:
    """Answer 413 for bodies over ``max_bytes``; file uploads (multipart, or raw
    ``application/octet-stream`` such as a ``.keras`` import) get ``upload_bytes``."""

    def __init__(self, app, max_bytes: int, upload_bytes: int):
        self.app = app
        self.max_bytes = max_bytes
        self.upload_bytes = upload_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        content_type = headers.get(b"content-type", b"").decode("latin-1")
        is_file = content_type.startswith(("multipart/", "application/octet-stream"))
        limit = self.upload_bytes if is_file else self.max_bytes
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            return await _reject(send, limit)
        seen = 0
        rejected = False

        async def limited_receive():
            nonlocal seen, rejected
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    rejected = True
                    raise _TooLarge()
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _TooLarge:
            await _reject(send, limit)


class _TooLarge(Exception):
    pass


async def _reject(send, limit: int) -> None:
    body = json.dumps({"detail": f"Request body is larger than {limit:,} bytes (NC_MAX_BODY_BYTES).",
                       "field": "body"}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
