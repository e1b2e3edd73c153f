"""aiogram's Bot API models, built when first used instead of all at import.

``aiogram.types`` ends by calling ``model_rebuild`` on each of its ~400 models, so pydantic
builds a complete validator for every one of them at import: ~148 MB of memory for a bot that
validates a handful (Update and the few results it reads). The models are declared with
``defer_build=True``; only that closing loop forces the build. ``load()`` imports
``aiogram.types`` with the loop's rebuilds skipped, and gives every aiogram module the names
the loop would have resolved its forward references with (they are imported under
``TYPE_CHECKING`` only), so pydantic builds a model, completely and with the same result, the
first time it validates with it. bench/conversations_rss.py measures the difference.

Importing this module does it; import it before anything imports aiogram
(bot/adapters/aiogram_adapter.py does, and tests/conftest.py, so the tests run on the models as
the bot builds them). When aiogram was imported already it changes nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

_loaded = False


def load() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    if "aiogram.types" in sys.modules:  # someone was first: models are built already
        return
    namespaces: dict[str, Mapping[str, Any]] = {}
    rebuild = BaseModel.model_rebuild.__func__  # type: ignore[attr-defined]

    def deferred(cls: type[BaseModel], /, **kw: Any) -> bool | None:
        ns = kw.get("_types_namespace")
        if ns is not None and not kw.get("force") and cls.__module__.startswith("aiogram."):
            namespaces[cls.__module__] = ns
            return None
        kw.setdefault("_parent_namespace_depth", 3)  # the caller's frame, past this one
        return rebuild(cls, **kw)  # type: ignore[no-any-return]

    BaseModel.model_rebuild = classmethod(deferred)  # type: ignore[method-assign,assignment]
    try:
        import aiogram.types  # noqa: F401
    finally:
        BaseModel.model_rebuild = classmethod(rebuild)  # type: ignore[method-assign,assignment]
    for module, ns in namespaces.items():
        scope = sys.modules[module].__dict__
        for name, value in ns.items():
            scope.setdefault(name, value)


load()
