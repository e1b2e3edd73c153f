"""The replies to an update, kept with its processed update id until they were sent.

The dispatcher commits the update's effects and these replies in one transaction; the
pipeline forgets them once they were sent. When the process dies in between, Telegram
redelivers the update (its offset is confirmed only after handling) and the dispatcher
returns the held replies instead of dropping the redelivery: the person gets the answer to
what they did, and nothing is done twice. Text is kept rendered (in the reader's language
at the time), so nothing but plain JSON is stored.
"""

from __future__ import annotations

import base64
from typing import Any

from handlers.types import Button, Outcome, Reply
from locales import Msg, Rendered, render


def _text(locale: str, m: Msg) -> str:
    return render(locale, m)


def _plain(text: str) -> Msg:
    return Rendered(text)


def encode(out: Outcome) -> dict[str, Any]:
    """Plain JSON for an Outcome (raises MissingMessage for a key no catalogue has)."""
    loc = out.locale
    return {
        "locale": loc,
        "answer": _text(loc, out.answer) if out.answer is not None else None,
        "alert": out.alert,
        "drop_buttons": out.drop_buttons,
        "changed": sorted(out.changed_tickets),
        "account": out.account_id,
        "replies": [
            {
                "text": _text(loc, r.text),
                "buttons": [[[_text(loc, b.label), b.data] for b in row] for row in r.buttons],
                "photos": list(r.photos),
                "edit": r.edit,
                "location": r.request_location,
                "ticket": r.ticket_id,
                "card": r.card,
                "files": [[name, base64.b64encode(data).decode()] for name, data in r.files],
            }
            for r in out.replies
        ],
    }


def decode(data: dict[str, Any]) -> Outcome:
    replies = [
        Reply(
            _plain(r["text"]),
            buttons=[[Button(_plain(label), d) for label, d in row] for row in r["buttons"]],
            photos=list(r["photos"]),
            edit=bool(r["edit"]),
            request_location=bool(r["location"]),
            ticket_id=r["ticket"],
            card=bool(r["card"]),
            files=[(name, base64.b64decode(b64)) for name, b64 in r["files"]],
        )
        for r in data["replies"]
    ]
    answer = data.get("answer")
    return Outcome(
        replies=replies,
        answer=_plain(answer) if answer is not None else None,
        alert=bool(data.get("alert")),
        drop_buttons=bool(data.get("drop_buttons")),
        locale=str(data["locale"]),
        changed_tickets={int(i) for i in data.get("changed", [])},
        account_id=data.get("account"),
    )
