"""Maps commands, button data and conversation steps to handler functions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from handlers.buttons import ButtonData
from handlers.context import Ctx

Handler = Callable[[Ctx], Awaitable[None]]
# the "step" of a private message that no command, reply, step or topic claimed
IDLE = "idle"


class Router:
    def __init__(self) -> None:
        self.commands: dict[str, Handler] = {}
        self.callbacks: dict[str, Handler] = {}
        self.steps: dict[str, Handler] = {}

    def command(self, *names: str) -> Callable[[Handler], Handler]:
        def deco(fn: Handler) -> Handler:
            for n in names:
                self.commands[n] = fn
            return fn

        return deco

    def callback(self, *kinds: type[ButtonData]) -> Callable[[Handler], Handler]:
        """Button data of these kinds ("prefix:…") goes to the decorated function, which
        unpacks it with ``Kind.unpack(ctx.inc.callback_data)``."""

        def deco(fn: Handler) -> Handler:
            for kind in kinds:
                self.callbacks[kind.prefix] = fn
            return fn

        return deco

    def step(self, name: str) -> Callable[[Handler], Handler]:
        """Text/photo/location sent while the conversation is at `name`."""

        def deco(fn: Handler) -> Handler:
            self.steps[name] = fn
            return fn

        return deco

    def include(self, other: Router) -> None:
        for attr in ("commands", "callbacks", "steps"):
            mine, theirs = getattr(self, attr), getattr(other, attr)
            clash = set(mine) & set(theirs)
            if clash:
                raise ValueError(f"duplicate {attr}: {sorted(clash)}")
            mine.update(theirs)
