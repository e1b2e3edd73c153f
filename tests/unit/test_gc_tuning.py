"""A serving process settles its garbage collector once started (bot/gc_tuning.py): what
start-up built is frozen out of later collections and the youngest generation is collected
less often. Run in a clean interpreter: freezing is process-wide."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import asyncio, gc, json, os, signal
from bot.serving import run_until_signalled
from bot.gc_tuning import THRESHOLDS
seen = {}
async def start():
    seen["frozen_before"] = gc.get_freeze_count()
    seen["threshold_before"] = list(gc.get_threshold())
    asyncio.get_running_loop().call_soon(os.kill, os.getpid(), signal.SIGTERM)
async def graceful():
    seen["frozen_serving"] = gc.get_freeze_count()
    seen["threshold_serving"] = list(gc.get_threshold())
async def stop():
    pass
asyncio.run(run_until_signalled(start, graceful, stop))
seen["expected"] = list(THRESHOLDS)
print(json.dumps(seen))
"""


def test_a_started_process_freezes_start_up_and_collects_less_often() -> None:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["frozen_before"] == 0 and seen["threshold_before"] == [700, 10, 10]
    assert seen["frozen_serving"] > 10_000  # the modules, models and mappers start-up made
    assert seen["threshold_serving"] == seen["expected"] != seen["threshold_before"]
