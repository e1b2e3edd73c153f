"""Plain JSON calls to the Bot API for the calls on the hot path (send a text, edit it,
answer a button, create a topic): one POST and a dict back, without building the chat
library's model classes for every response (bench/throughput.py: that was about a tenth of
an update's cost). Uploads and albums still go through the library."""

from __future__ import annotations

from typing import Any

import aiohttp

from bot.channel import SendError


class BotApi:
    """``await api.call("sendMessage", {...})`` → the result, or SendError by kind."""

    def __init__(self, base: str, token: str, *, timeout: float = 60.0) -> None:
        self.url = f"{base.rstrip('/')}/bot{token}/"
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None
        self._closed = False

    def _client(self) -> aiohttp.ClientSession:
        if self._closed:  # a late call after the runtime stopped: fails like a network error
            raise aiohttp.ClientConnectionError("the Bot API client is closed")
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self.timeout)
        return self._session

    async def call(self, method: str, payload: dict[str, Any]) -> Any:
        body = {k: v for k, v in payload.items() if v is not None}
        try:
            async with self._client().post(self.url + method, json=body) as resp:
                status = resp.status
                data = await resp.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as e:
            raise SendError("transient", f"{method}: {e!r}") from e
        if isinstance(data, dict) and data.get("ok"):
            return data.get("result")
        data = data if isinstance(data, dict) else {}
        code = int(data.get("error_code") or status)
        description = str(data.get("description") or f"HTTP {status}")
        if code == 429:
            retry = (data.get("parameters") or {}).get("retry_after") or 1
            raise SendError("retry_after", description, float(retry))
        if code >= 500:
            raise SendError("transient", description)
        raise SendError("permanent", description)

    async def close(self) -> None:
        self._closed = True
        if self._session is not None:
            await self._session.close()
            self._session = None
