"""The publication rules that differ between sectors and jurisdictions, read from settings.

Every number here is a *setting* with the national default beside its source:

``ZHIFA_PUBLICITY_WORKDAYS``
    working days from the decision to publication, per kind of decision; ``"*"`` for the
    others. Default ``{"penalty": 7, "licensing": 7, "*": 20}`` (国办发〔2018〕118号: 行政许可 and
    行政处罚 within 7 working days, other decisions within 20).
``ZHIFA_PUBLICITY_SECTORS``
    per domain code (``Domain.code``), overrides of the above and of the online period:
    ``{"workdays": {kind: n}, "online_years": n, "short_online_months": n,
    "short_kinds": [...], "small_fine": "amount"}``. Default: market regulation (``market``)
    publishes penalties within 20 working days and keeps a decision of only 通报批评 or a fine
    of at most ``small_fine`` online for 3 months, others 3 years (《市场监督管理行政处罚信息
    公示规定》; the province fixes the "较低数额", so ``small_fine`` is a placeholder to set).
``ZHIFA_PUBLICITY_ONLINE_YEARS``
    years a decision stays online where no sector says otherwise (default 3).
``ZHIFA_PUBLICITY_PERSON_NAME``
    how the penalised natural person is named: ``"surname"`` (surname + 某, the default),
    ``"full"`` or ``"hidden"`` (某某); or a dict from a division-code prefix to one of these
    (longest prefix wins, ``""`` the default) — a jurisdiction's setting.

Pure functions below take the values; the ``*_setting`` readers are the only Django part.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings

from zhifa.law.periods import Period, Unit, add_months

GUIDELINE = "国办发〔2018〕118号"
PENALTY_LAW_48 = "《中华人民共和国行政处罚法》第四十八条"
MARKET_RULE = "《市场监督管理行政处罚信息公示规定》"

DEFAULT_WORKDAYS: dict[str, int] = {"penalty": 7, "licensing": 7, "*": 20}
DEFAULT_SECTORS: dict[str, dict[str, Any]] = {
    "market": {
        "workdays": {"penalty": 20},
        "short_online_months": 3,
        "short_kinds": ["circulated_criticism", "fine"],
        "small_fine": "3000",
    },
}
DEFAULT_ONLINE_YEARS = 3
CHANGE_WORKDAYS = 3  # 《行政处罚法》第四十八条第二款: withdraw within 3 working days
PERSON_NAME_MODES = ("surname", "full", "hidden")

# 复姓: a penalised person named 欧阳某某 is shown as 欧阳某, not 欧某.
_COMPOUND_SURNAMES_LINE = (
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 钟离 "
    "闾丘 端木 南宫 西门 百里 呼延 澹台 公冶 太史 申屠 独孤 万俟 司空 东郭 南门 羊舌 "
    "微生 左丘 公羊 梁丘 赫连 拓跋 鲜于 濮阳 淳于 单于 太叔 仲孙 谷梁 乐正 漆雕 壤驷 "
    "颛孙 子车 亓官 司寇 巫马 公西 公良 第五"
)
COMPOUND_SURNAMES = frozenset(_COMPOUND_SURNAMES_LINE.split())


@dataclass(frozen=True)
class Sector:
    """The publication rules of one sector (domain)."""

    workdays: Mapping[str, int]
    online_years: int
    short_online_months: int | None
    short_kinds: frozenset[str]
    small_fine: Decimal | None
    basis: str

    def publication_period(self, kind: str) -> Period:
        days = int(self.workdays.get(kind, self.workdays["*"]))
        return Period(days, Unit.WORKING_DAYS, self.basis, "行政执法决定公示")

    def online_until(
        self, published_on: date, *, penalty_kinds: Sequence[str], fine: Decimal | None
    ) -> date:
        """The last day online: the short period for a light penalty where the sector has one
        (only 通报批评, or a fine of at most ``small_fine``), else ``online_years``."""
        if self.short_online_months is not None and is_light_penalty(
            penalty_kinds, fine, self.short_kinds, self.small_fine
        ):
            return add_months(published_on, self.short_online_months)
        return add_months(published_on, 12 * self.online_years)


def is_light_penalty(
    kinds: Sequence[str], fine: Decimal | None, light: frozenset[str], small_fine: Decimal | None
) -> bool:
    """Only light kinds, and any fine at most ``small_fine`` (no limit set: no fine is light)."""
    if not kinds or not set(kinds) <= light:
        return False
    if "fine" in kinds:
        return fine is not None and small_fine is not None and fine <= small_fine
    return True


def sector_rules(
    domain_code: str,
    *,
    workdays: Mapping[str, int] | None = None,
    sectors: Mapping[str, Mapping[str, Any]] | None = None,
    online_years: int = DEFAULT_ONLINE_YEARS,
) -> Sector:
    """The rules of ``domain_code`` from the given settings values (pure)."""
    base = dict(DEFAULT_WORKDAYS if workdays is None else workdays)
    base.setdefault("*", DEFAULT_WORKDAYS["*"])
    table = DEFAULT_SECTORS if sectors is None else sectors
    own = dict(table.get(domain_code, {}))
    days = {**base, **{k: int(v) for k, v in own.get("workdays", {}).items()}}
    small = own.get("small_fine")
    months = own.get("short_online_months")
    return Sector(
        workdays=days,
        online_years=int(own.get("online_years", online_years)),
        short_online_months=None if months is None else int(months),
        short_kinds=frozenset(own.get("short_kinds", ("circulated_criticism",))),
        small_fine=None if small is None else Decimal(str(small)),
        basis=f"{GUIDELINE}；{MARKET_RULE}" if own.get("workdays") else GUIDELINE,
    )


def sector_setting(domain_code: str) -> Sector:
    """The rules of a sector as the settings say."""
    return sector_rules(
        domain_code,
        workdays=getattr(settings, "ZHIFA_PUBLICITY_WORKDAYS", None),
        sectors=getattr(settings, "ZHIFA_PUBLICITY_SECTORS", None),
        online_years=int(getattr(settings, "ZHIFA_PUBLICITY_ONLINE_YEARS", DEFAULT_ONLINE_YEARS)),
    )


def change_period() -> Period:
    return Period(
        CHANGE_WORKDAYS, Unit.WORKING_DAYS, f"{PENALTY_LAW_48}第二款", "撤回或更新已公开的决定"
    )


# -- the penalised natural person's name ------------------------------------------------------


def person_name_mode(division_code: str, setting: str | Mapping[str, str] | None) -> str:
    """The mode for an agency of ``division_code`` (longest matching prefix of a dict)."""
    if setting is None:
        return "surname"
    if isinstance(setting, str):
        mode = setting
    else:
        matches = [p for p in setting if division_code.startswith(p)]
        mode = setting[max(matches, key=len)] if matches else "surname"
    if mode not in PERSON_NAME_MODES:
        raise ValueError(f"ZHIFA_PUBLICITY_PERSON_NAME: unknown mode {mode!r}")
    return mode


def person_name_setting(division_code: str) -> str:
    return person_name_mode(division_code, getattr(settings, "ZHIFA_PUBLICITY_PERSON_NAME", None))


def surname(name: str) -> str:
    """The surname of a Chinese name: a compound surname when the name starts with one."""
    name = name.strip()
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return name[:2]
    return name[:1]


def public_person_name(name: str, mode: str) -> str:
    """How the penalised natural person appears: 刘某 (surname), the full name, or 某某."""
    if mode == "full":
        return name.strip()
    if mode == "hidden" or not name.strip():
        return "某某"
    return f"{surname(name)}某"
