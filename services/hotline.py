"""12345 hotline intake: a CSV export of dispatched orders becomes tickets (source=hotline).

Columns (header row required, any order; extra columns are ignored)::

    order_no,received_at,address,compound_code,category,content,caller_phone

* ``order_no``      the hotline order number (工单编号), ≤ 64 characters; stored as the ticket's
                    ``external_ref``: an order already imported, or repeated further up in the
                    same file, is a duplicate and is skipped;
* ``received_at``   when the hotline received the call: ISO 8601 (``2026-11-20T09:31:00+08:00``)
                    or ``2026-11-20 09:31`` / ``2026-11-20 09:31:05`` / ``2026/11/20 09:31``;
                    without a zone it is Asia/Shanghai time; it must not be in the future;
* ``address``       the address the caller gave (used when ``compound_code`` is empty);
* ``compound_code`` our compound code (e.g. ``XGY``); when empty the compound is found from the
                    address: equal to a compound's address, else containing a compound's
                    address, else containing a compound's name (or the name without a trailing
                    小区); the longest match wins, two different compounds with an equally long
                    match are ambiguous;
* ``category``      the hotline's category text, mapped by keywords (漏水/渗水 → leak,
                    供暖/暖气 → heating, 电梯 → elevator, 噪音/扰民 → noise, …, see KEYWORDS);
                    our own keys (``leak``) are accepted as well; unknown → ``other``; when the
                    column is empty the content is searched for the keywords;
* ``content``       the complaint text, required, ≤ ``max_content`` characters (default 2000);
* ``caller_phone``  optional; digits, spaces, ``+`` and ``-`` only; shown masked (138****1234).

Row numbers in the report are spreadsheet rows: the header is row 1. A rejected row stores
nothing; the valid rows are stored in the caller's transaction (one commit for the file). A
ticket's ``created_at`` is ``received_at`` and its due times are computed from it
(services.deadlines.refresh), so an order already past its deadline is escalated by the next
tick like any overdue ticket. Files are read as UTF-8 (with or without BOM), else GB18030.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from services import deadlines
from services.categories import BY_KEY
from services.errors import DomainError
from services.routing import community_of
from services.tickets import NewTicket, create_ticket
from storage.models import OrgKind, OrgNode, Source
from storage.uow import UnitOfWork

COLUMNS = ("order_no", "received_at", "address", "compound_code", "category", "content", "caller_phone")
# ordered: the first category whose word appears in the text wins
KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ev_charging", ("飞线充电", "充电桩", "充电")),
    ("fire_lane", ("消防通道", "堆物", "楼道堆放")),
    ("heating", ("供暖", "暖气", "采暖", "供热")),
    ("leak", ("漏水", "渗水", "渗漏", "漏雨")),
    ("drain", ("下水", "堵塞", "返水", "化粪池")),
    ("elevator", ("电梯",)),
    ("power_water", ("停水", "停电", "断电", "水压")),
    ("sanitation", ("垃圾", "卫生", "保洁")),
    ("greenery", ("绿化", "树木", "修剪")),
    ("parking", ("停车", "车位")),
    ("fees", ("物业费", "收费")),
    ("renovation", ("装修",)),
    ("noise", ("噪音", "噪声", "扰民")),
    ("dogs", ("养犬", "遛狗", "犬只")),
    ("illegal_building", ("违建", "违章建筑", "私搭乱建")),
    ("group_rental", ("群租",)),
)
_PHONE = re.compile(r"^[0-9+\- ]{3,32}$")
_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S")


@dataclass(frozen=True)
class RowIssue:
    row: int
    order_no: str
    reason: str  # missing_order_no, order_no_too_long, bad_date, future_date, unknown_compound,
    # no_compound, ambiguous_address, empty_content, content_too_long, bad_phone, duplicate_in_file,
    # already_imported
    detail: str = ""


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)  # ticket numbers
    duplicates: list[RowIssue] = field(default_factory=list)
    rejected: list[RowIssue] = field(default_factory=list)


@dataclass(frozen=True)
class _Order:
    row: int
    order_no: str
    received_at: datetime
    compound: OrgNode
    category: str
    content: str
    phone: str | None


def map_category(text: str) -> str:
    """A hotline category (or complaint text) → our category key; unknown → "other"."""
    s = text.strip()
    if s.lower() in BY_KEY:
        return s.lower()
    for key, words in KEYWORDS:
        if any(w in s for w in words):
            return key
    return "other"


def parse_received(text: str, tz: str = "Asia/Shanghai") -> datetime | None:
    s = text.strip()
    if not s:
        return None
    try:
        dt = datetime.fromisoformat(s)
    except ValueError:
        for fmt in _FORMATS:
            try:
                dt = datetime.strptime(s, fmt)
                break
            except ValueError:
                continue
        else:
            return None
    return dt.replace(tzinfo=ZoneInfo(tz)) if dt.tzinfo is None else dt


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DomainError("hotline_bad_encoding")


class CompoundMatcher:
    def __init__(self, compounds: list[OrgNode]) -> None:
        self.by_code = {c.code.upper(): c for c in compounds}
        self.compounds = compounds

    def by_address(self, address: str) -> tuple[OrgNode | None, str]:
        text = "".join(address.split())
        if not text:
            return None, "no_compound"
        exact = [c for c in self.compounds if c.address and "".join(c.address.split()) == text]
        if len(exact) == 1:
            return exact[0], ""
        for terms in (lambda c: [c.address or ""], _names):
            hits: dict[int, tuple[int, OrgNode]] = {}
            for c in self.compounds:
                best = max((len(t) for t in terms(c) if len(t) >= 2 and "".join(t.split()) in text), default=0)
                if best and c.id is not None:
                    hits[c.id] = (best, c)
            if hits:
                top = max(n for n, _ in hits.values())
                winners = [c for n, c in hits.values() if n == top]
                return (winners[0], "") if len(winners) == 1 else (None, "ambiguous_address")
        return None, "no_compound"


def _names(c: OrgNode) -> list[str]:
    names = [c.name]
    if c.name.endswith("小区") and len(c.name) > 4:
        names.append(c.name[:-2])
    return names


async def _check(uow: UnitOfWork, row: int, rec: dict[str, str], match: CompoundMatcher,
                 now: datetime, max_content: int, tz: str) -> _Order | RowIssue:
    order = rec["order_no"]
    if not order:
        return RowIssue(row, "", "missing_order_no")
    if len(order) > 64:
        return RowIssue(row, order[:64], "order_no_too_long")
    received = parse_received(rec["received_at"], tz)
    if received is None:
        return RowIssue(row, order, "bad_date", rec["received_at"][:40])
    if received > now:
        return RowIssue(row, order, "future_date", rec["received_at"][:40])
    code = rec["compound_code"]
    if code:
        compound = match.by_code.get(code.upper())
        if compound is None:
            return RowIssue(row, order, "unknown_compound", code[:64])
    else:
        found, why = match.by_address(rec["address"])
        if found is None:
            return RowIssue(row, order, why, rec["address"][:100])
        compound = found
    content = rec["content"]
    if not content:
        return RowIssue(row, order, "empty_content")
    if len(content) > max_content:
        return RowIssue(row, order, "content_too_long", str(len(content)))
    phone = rec["caller_phone"] or None
    if phone is not None and not _PHONE.match(phone):
        return RowIssue(row, order, "bad_phone", phone[:32])
    await community_of(uow, compound)  # routing needs one; a broken org tree fails the import
    category = map_category(rec["category"] or content)
    return _Order(row, order, received.astimezone(now.tzinfo), compound, category, content, phone)


def read_rows(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header's missing columns and the data rows with their spreadsheet row numbers
    (values stripped; rows with every cell empty are not orders and are skipped)."""
    records = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(records, [])]
    missing = [c for c in COLUMNS if c not in header]
    pos = {c: header.index(c) for c in COLUMNS if c in header}
    rows = []
    for number, rec in enumerate(records, start=2):
        if any(cell.strip() for cell in rec):
            rows.append((number, {c: (rec[i].strip() if i < len(rec) else "") for c, i in pos.items()}))
    return missing, rows


async def import_orders(uow: UnitOfWork, text: str, *, max_content: int = 2000,
                        tz: str = "Asia/Shanghai") -> ImportReport:
    """Validate every row, then create the tickets of the valid ones (caller commits)."""
    missing, rows = read_rows(text)
    if missing:
        raise DomainError("hotline_bad_header", missing=",".join(missing))
    report = ImportReport()
    now = uow.clock.now()
    match = CompoundMatcher(list(await uow.org.all(OrgKind.compound)))
    seen: dict[str, int] = {}
    orders: list[_Order] = []
    for i, rec in rows:
        checked = await _check(uow, i, rec, match, now, max_content, tz)
        if isinstance(checked, RowIssue):
            report.rejected.append(checked)
        elif checked.order_no in seen:
            report.duplicates.append(RowIssue(i, checked.order_no, "duplicate_in_file",
                                              str(seen[checked.order_no])))
        elif await uow.tickets.by_external_ref(checked.order_no) is not None:
            report.duplicates.append(RowIssue(i, checked.order_no, "already_imported"))
        else:
            seen[checked.order_no] = i
            orders.append(checked)
    for o in orders:
        assert o.compound.id is not None
        ticket = await create_ticket(uow, None, NewTicket(
            compound_id=o.compound.id, category=o.category, description=o.content,
            source=Source.hotline, external_ref=o.order_no, caller_phone=o.phone))
        ticket.created_at, ticket.sla_checked_at = o.received_at, None
        await deadlines.refresh(uow, ticket)
        report.created.append(ticket.number)
    await uow.flush()
    return report
