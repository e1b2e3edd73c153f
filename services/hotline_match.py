"""Finding a hotline order's compound (by code, else by the caller's address) and category
(by keywords); see services/hotline.py for the rules."""

from __future__ import annotations

from services.categories import BY_KEY
from storage.models import OrgNode

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


def map_category(text: str) -> str:
    """A hotline category (or complaint text) → our category key; unknown → "other"."""
    s = text.strip()
    if s.lower() in BY_KEY:
        return s.lower()
    for key, words in KEYWORDS:
        if any(w in s for w in words):
            return key
    return "other"


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
                best = max(
                    (len(t) for t in terms(c) if len(t) >= 2 and "".join(t.split()) in text), default=0
                )
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
