"""Formatted text (parse_mode) -> plain text + entities, rejecting what Telegram rejects.

HTML follows the documented tag set; MarkdownV2 enforces escaping of reserved characters;
legacy Markdown is parsed loosely.  Offsets are in UTF-16 code units like Telegram's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sandbox.fakeapi.errors import ApiError, bad_request

HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
MD2_RESERVED = set("_*[]()~`>#+-=|{}.!")
MD2_MARKERS = {
    "*": "Bold",
    "_": "Italic",
    "__": "Underline",
    "~": "Strikethrough",
    "||": "Spoiler",
    "`": "Code",
    "```": "PreCode",
}
_ENTITY_RE = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);")
_ATTR_RE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _fail(reason: str) -> ApiError:
    return bad_request(f"can't parse entities: {reason}")


@dataclass
class _Builder:
    src: str
    out: list[str] = field(default_factory=list)
    pos: int = 0  # UTF-16 offset of the output so far
    entities: list[dict[str, Any]] = field(default_factory=list)

    def add(self, text: str) -> None:
        self.out.append(text)
        self.pos += utf16_len(text)

    def entity(self, kind: str, start: int, **extra: Any) -> None:
        if self.pos > start:
            self.entities.append({"type": kind, "offset": start, "length": self.pos - start, **extra})

    def byte_offset(self, index: int) -> int:
        return len(self.src[:index].encode())

    def result(self) -> tuple[str, list[dict[str, Any]]]:
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.out), self.entities


def parse_text(text: str, parse_mode: str | None, entities: Any = None) -> tuple[str, list[dict[str, Any]]]:
    """Return (plain text, entities) for ``text`` sent with ``parse_mode``; strips the text."""
    if not parse_mode:
        plain, ents = text, [dict(e) for e in entities or [] if isinstance(e, dict)]
    else:
        mode = parse_mode.lower()
        if mode == "html":
            plain, ents = _html(text)
        elif mode == "markdownv2":
            plain, ents = _markdown(text, v2=True)
        elif mode == "markdown":
            plain, ents = _markdown(text, v2=False)
        else:
            raise bad_request("unsupported parse_mode")
    lead = utf16_len(plain) - utf16_len(plain.lstrip())
    plain = plain.strip()
    size = utf16_len(plain)
    kept = []
    for ent in ents:
        start = max(0, ent.get("offset", 0) - lead)
        end = min(size, ent.get("offset", 0) + ent.get("length", 0) - lead)
        if end > start:
            kept.append({**ent, "offset": start, "length": end - start})
    return plain, kept


def _html(src: str) -> tuple[str, list[dict[str, Any]]]:
    b = _Builder(src)
    stack: list[tuple[str, int, dict[str, str]]] = []
    i = 0
    while i < len(src):
        ch = src[i]
        if ch == "<":
            j = src.find(">", i)
            if j < 0:
                raise _fail(f"Unclosed start tag at byte offset {b.byte_offset(i)}")
            body = src[i + 1 : j].strip()
            if body.startswith("/"):
                name = body[1:].strip().lower()
                if not stack:
                    raise _fail(f"Unexpected end tag at byte offset {b.byte_offset(i)}")
                top, start, attrs = stack.pop()
                if top != name:
                    raise _fail(
                        f"Unmatched end tag at byte offset {b.byte_offset(i)}, "
                        f'expected "</{top}>", found "</{name}>"'
                    )
                _close_html(b, stack, top, start, attrs)
            else:
                m = re.match(r"([a-zA-Z][\w-]*)(.*)$", body, re.S)
                name = m[1].lower() if m else body
                attrs = {k: v1 or v2 or v3 for k, v1, v2, v3 in _ATTR_RE.findall(m[2])} if m else {}
                if name not in HTML_TAGS or (name == "span" and attrs.get("class") != "tg-spoiler"):
                    raise _fail(f'Unsupported start tag "{name}" at byte offset {b.byte_offset(i)}')
                stack.append((name, b.pos, attrs))
            i = j + 1
        elif ch == "&" and (m := _ENTITY_RE.match(src, i)):
            ref = m[1]
            if ref.startswith("#"):
                b.add(chr(int(ref[2:], 16) if ref[1] in "xX" else int(ref[1:])))
            else:
                b.add(NAMED_ENTITIES.get(ref, m[0]))
            i = m.end()
        else:
            b.add(ch)
            i += 1
    if stack:
        raise _fail(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    return b.result()


def _close_html(
    b: _Builder, stack: list[tuple[str, int, dict[str, str]]], name: str, start: int, attrs: dict[str, str]
) -> None:
    kind = HTML_TAGS[name]
    if kind == "text_link":
        if attrs.get("href"):
            b.entity(kind, start, url=attrs["href"])
    elif kind == "code" and stack and stack[-1][0] == "pre":
        language = attrs.get("class", "").removeprefix("language-")
        if language:
            stack[-1][2]["language"] = language
        else:
            b.entity(kind, start)
    elif kind == "pre" and attrs.get("language"):
        b.entity(kind, start, language=attrs["language"])
    elif kind == "custom_emoji":
        b.entity(kind, start, custom_emoji_id=attrs.get("emoji-id", ""))
    elif kind == "blockquote" and "expandable" in attrs:
        b.entity("expandable_blockquote", start)
    else:
        b.entity(kind, start)


def _markdown(src: str, v2: bool) -> tuple[str, list[dict[str, Any]]]:
    b = _Builder(src)
    stack: list[tuple[str, int, int]] = []  # marker, output start, source index
    kinds = {
        "*": "bold",
        "_": "italic",
        "__": "underline",
        "~": "strikethrough",
        "||": "spoiler",
        "`": "code",
        "```": "pre",
    }
    i = 0
    while i < len(src):
        ch = src[i]
        top = stack[-1][0] if stack else ""
        if ch == "\\" and i + 1 < len(src) and (v2 or src[i + 1] in "_*`["):
            b.add(src[i + 1])
            i += 2
            continue
        if top in ("`", "```"):
            if src.startswith(top, i):
                marker, start, _ = stack.pop()
                b.entity(kinds[marker], start)
                i += len(marker)
            else:
                b.add(ch)
                i += 1
            continue
        marker = next((m for m in ("```", "||", "__") if v2 and src.startswith(m, i)), "")
        if not marker and src.startswith("```", i):
            marker = "```"
        if not marker and ch in ("*_`~" if v2 else "*_`"):
            marker = ch
        if marker:
            if marker == top:
                _, start, _ = stack.pop()
                b.entity(kinds[marker], start)
            else:
                stack.append((marker, b.pos, i))
                if marker == "```":
                    newline = src.find("\n", i + 3)
                    i = newline + 1 if newline >= 0 and src[i + 3 : newline].strip().isidentifier() else i + 3
                    continue
            i += len(marker)
        elif ch == "[":
            stack.append(("[", b.pos, i))
            i += 1
        elif ch == "]" and top == "[":
            if not src.startswith("(", i + 1):
                raise _fail(f"Can't find end of a url at byte offset {b.byte_offset(i)}")
            end = src.find(")", i + 2)
            while v2 and end > 0 and src[end - 1] == "\\":
                end = src.find(")", end + 1)
            if end < 0:
                raise _fail(f"Can't find end of a url at byte offset {b.byte_offset(i)}")
            _, start, _ = stack.pop()
            b.entity("text_link", start, url=re.sub(r"\\(.)", r"\1", src[i + 2 : end]))
            i = end + 1
        elif v2 and ch == ">" and (i == 0 or src[i - 1] == "\n"):
            i += 1  # blockquote marker
        elif v2 and ch in MD2_RESERVED:
            raise _fail(f"Character '{ch}' is reserved and must be escaped with the preceding '\\'")
        else:
            b.add(ch)
            i += 1
    if stack:
        marker, _, index = stack[-1]
        if v2:
            name = "a url" if marker == "[" else f"{MD2_MARKERS[marker]} entity"
            raise _fail(f"Can't find end of {name} at byte offset {b.byte_offset(index)}")
        raise _fail(f"Can't find end of the entity starting at byte offset {b.byte_offset(index)}")
    return b.result()
