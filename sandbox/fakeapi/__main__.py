"""Run the fake Bot API standalone:  python -m sandbox.fakeapi --port 8081 --user 1001:李伟

Point a bot at http://127.0.0.1:PORT (GONGZHI_TELEGRAM_API_BASE) and drive it through the
/_fake HTTP API (see control_http.py).  Runs until interrupted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from sandbox.fakeapi.limits import Limits
from sandbox.fakeapi.server import FakeBotApi


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m sandbox.fakeapi", description=__doc__)
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default="123456:TEST")
    parser.add_argument("--no-limits", action="store_true", help="switch the flood limits off")
    parser.add_argument("--user", action="append", default=[], metavar="ID:NAME")
    parser.add_argument("--group", action="append", default=[], metavar="ID:TITLE[:forum]")
    return parser.parse_args()


async def _run(args: argparse.Namespace) -> None:
    api = FakeBotApi(args.token, limits=None if args.no_limits else Limits())
    for spec in args.user:
        user_id, _, name = spec.partition(":")
        api.add_user(int(user_id), name or f"user{user_id}")
    for spec in args.group:
        chat_id, _, rest = spec.partition(":")
        title, _, forum = rest.partition(":")
        api.add_group(
            int(chat_id), title or f"group{chat_id}", is_forum=forum == "forum", members=list(api.world.users)
        )
    await api.start(port=args.port)
    print(f"fake Bot API at {api.base_url} (token {api.token}); control API at {api.base_url}/_fake/")
    try:
        await asyncio.Event().wait()
    finally:
        await api.stop()


def main() -> None:
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_run(_parse()))


if __name__ == "__main__":
    main()
