"""Conversation flows: channel-neutral handlers over the services."""
from __future__ import annotations

import importlib

from handlers.router import Router

FEATURES = ("handlers.start", "handlers.report", "handlers.mine", "handlers.staff", "handlers.queue")
# modules that only add notification renderers or commands when present
OPTIONAL = ("handlers.notices_deadlines", "handlers.digest", "handlers.stats", "handlers.plans")


def build_router() -> Router:
    root = Router()
    for name in FEATURES:
        root.include(importlib.import_module(name).router)
    for name in OPTIONAL:
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError as err:
            if err.name != name:
                raise
            continue
        if hasattr(mod, "router"):
            root.include(mod.router)
    return root
