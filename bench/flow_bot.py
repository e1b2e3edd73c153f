"""Gongzhi's own runtime for bench/throughput.py, with the project's flood limiter lifted
(only here: `gongzhi run` always keeps Telegram's limits). Settings come from the
environment (GONGZHI_BOT_TOKEN, GONGZHI_TELEGRAM_API_BASE, GONGZHI_DATABASE_URL,
GONGZHI_ADAPTER). SIGTERM stops it cleanly.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.adapters.choice import make_runtime  # noqa: E402
from bot.ratelimit import RateLimiter, SendLimits  # noqa: E402
from bot.settings import Settings  # noqa: E402


async def serve() -> None:
    runtime = make_runtime(Settings(), limiter=RateLimiter(SendLimits.unlimited()))
    task = asyncio.create_task(runtime.run_forever())
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    with contextlib.suppress(asyncio.CancelledError):
        await task


if __name__ == "__main__":
    if os.environ.get("BENCH_PROFILE"):  # a cProfile of the whole run, written at exit
        import cProfile

        prof = cProfile.Profile()
        prof.enable()
        atexit.register(lambda: (prof.disable(), prof.dump_stats(os.environ["BENCH_PROFILE"])))
    if "--uvloop" in sys.argv:
        import uvloop

        uvloop.run(serve())
    else:
        asyncio.run(serve())
