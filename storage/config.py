"""The domain's typed configuration, carried by every unit of work.

Built once by the composition root from the settings (``bot.app.domain_config``) and passed,
typed, to the services through ``UnitOfWork.config`` and to the handlers. It lives at the
bottom layer only so that storage (which builds the unit of work) can name its type without
importing services; it holds plain values and no behaviour.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from fractions import Fraction


@dataclass(frozen=True)
class DomainConfig:
    # display zone, and the calendar zone of a district node that names none
    timezone: str = "Asia/Shanghai"
    # the catalogue used when a person has chosen none and their client said nothing
    locale: str = "zh_CN"
    # YAML with holidays / make-up working days the ``holidays`` package does not know yet
    holidays_file: str | None = None
    # a resolved ticket the resident does not answer closes itself after this (24×7 time)
    auto_close_after: timedelta = timedelta(days=3)
    # the reopen that raises the escalation level (the second one by default)
    escalate_after_reopens: int = 2
    # reminders to the assignee at these fractions of each deadline
    reminder_fractions: tuple[float, ...] = (0.5, 0.8)
    # limits of what a person may send
    max_description: int = 2000
    max_photos: int = 5
    max_text: int = 2000
    page_size: int = 5
    # a map link for a report's location ({lat}, {lon} are WGS-84, as a phone sends them)
    map_url: str = "https://uri.amap.com/marker?position={lon},{lat}&coordinate=wgs84"
    # processed update ids are kept this long (Telegram reuses ids after a quiet week)
    processed_update_ttl: timedelta = timedelta(days=7)
    # ticket numbers: PG-2026-000123 when the district names no prefix
    default_ticket_prefix: str = "PG"
    # owners' decisions (民法典 Art. 278): quorum ≥ 2/3 of area and owners; special ≥ 3/4,
    # ordinary > 1/2 of the participating area and owners (services/tally.py)
    vote_quorum: Fraction = Fraction(2, 3)
    vote_special: Fraction = Fraction(3, 4)
    vote_ordinary: Fraction = Fraction(1, 2)
    # Beijing Property Management Regulation: notice 15 days before, results within 3 days
    matter_notice_days: int = 15
    matter_results_days: int = 3
    # maintenance fund: public notice days (ordinary use: no source found; emergency: 3 days,
    # the 2023 Beijing roof-leak procedure)
    fund_notice_days: int = 7
    fund_emergency_notice_days: int = 3
    # 议事: the agenda is posted to the invitees this many days before the council
    council_agenda_days: int = 3
    # PIPL: personal fields of tickets closed longer than this are erased (services/privacy.py)
    retention: timedelta = timedelta(days=3 * 365)
    # invite brute force: this many refused codes per account within the window, then a pause
    invite_attempts: int = 5
    invite_attempt_window: timedelta = timedelta(minutes=10)
