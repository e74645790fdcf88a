"""Reads the code lists: data/*.toml, countries from pycountry (GB/T 2659 = ISO 3166-1), and the
employment statuses from the province rules (they differ by province)."""

from __future__ import annotations

import gettext
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pycountry

from accreg.errors import DomainError, NotFoundError
from accreg.provinces.loader import all_profiles, served_profile

DATA_DIR = Path(__file__).resolve().parent / "data"

# The names of API.md; every one must be served.
NAMES = (
    "id_types",
    "genders",
    "ethnicities",
    "political_statuses",
    "countries",
    "employment_statuses",
    "unit_types",
    "accounting_posts",
    "admin_posts",
    "technical_posts",
    "abacus_grades",
    "education_levels",
    "degrees",
    "majors",
    "qualification_types",
    "qualification_levels",
    "qualification_methods",
    "talent_categories",
    "leading_talent_levels",
    "leading_talent_kinds",
    "award_levels",
    "penalty_kinds",
    "return_reasons",
)
PROVINCE_LISTS = frozenset({"employment_statuses"})

# GB/T 2659 names these regions of China this way; the ISO translation words them differently.
# Where iso-codes' Chinese names differ from the short names of GB/T 2659 and of China's Ministry
# of Foreign Affairs (issue 14, item 19: 柬埔塞, 马尔他, 吉尔吉斯坦, 瓜地马拉 were wrong; the long
# official forms such as 大韩民国 or 伊朗伊斯兰共和国 are not what a person looks for in a list).
_COUNTRY_LABELS = {
    "CHN": "中国",
    "HKG": "中国香港",
    "MAC": "中国澳门",
    "TWN": "中国台湾",
    "KHM": "柬埔寨",
    "MLT": "马耳他",
    "KGZ": "吉尔吉斯斯坦",
    "GTM": "危地马拉",
    "BGD": "孟加拉国",
    "BOL": "玻利维亚",
    "CAF": "中非",
    "COD": "刚果（金）",
    "COG": "刚果（布）",
    "IRN": "伊朗",
    "KOR": "韩国",
    "LAO": "老挝",
    "MDA": "摩尔多瓦",
    "PRK": "朝鲜",
    "PYF": "法属波利尼西亚",
    "SYR": "叙利亚",
    "VEN": "委内瑞拉",
    # Checked line by line against GB/T 2659's short names (issue 14, item 19): iso-codes'
    # translations differ for these, and write half-width brackets.
    "ATF": "法属南部领地",
    "BVT": "布维岛",
    "CCK": "科科斯（基林）群岛",
    "FLK": "福克兰群岛（马尔维纳斯）",
    "FSM": "密克罗尼西亚联邦",
    "HMD": "赫德岛和麦克唐纳岛",
    "IMN": "马恩岛",
    "SGS": "南乔治亚岛和南桑德韦奇岛",
    "SHN": "圣赫勒拿",
    "SJM": "斯瓦尔巴岛和扬马延岛",
    "TTO": "特立尼达和多巴哥",
}


@dataclass(frozen=True)
class Code:
    code: str
    label: str


@dataclass(frozen=True)
class CodeList:
    name: str
    title: str
    standard: str
    source: str
    items: tuple[Code, ...]

    def label(self, code: str) -> str | None:
        return next((item.label for item in self.items if item.code == code), None)

    def __contains__(self, code: object) -> bool:
        return any(item.code == code for item in self.items)


def _read(path: Path) -> CodeList:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    items = tuple(Code(code=str(item["code"]), label=item["label"]) for item in data["items"])
    return CodeList(data["name"], data["title"], data.get("standard", ""), data.get("source", ""), items)


@cache
def _file_lists() -> dict[str, CodeList]:
    return {path.stem: _read(path) for path in sorted(DATA_DIR.glob("*.toml"))}


@cache
def _countries() -> CodeList:
    chinese = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
    items = [
        Code(c.alpha_3, _COUNTRY_LABELS.get(c.alpha_3) or chinese.gettext(c.name))
        for c in sorted(pycountry.countries, key=lambda c: c.alpha_3)
    ]
    items.sort(key=lambda item: item.code != "CHN")  # China first: nearly everyone picks it
    return CodeList(
        "countries",
        "国家（地区）",
        "GB/T 2659-2000（ISO 3166-1 三字母代码）",
        "pycountry 的 ISO 3166-1 数据及其简体中文译名",
        tuple(items),
    )


def _employment_statuses(province: str | None) -> CodeList:
    if province is None:
        msg = "请指定省份（?province=），各省的在岗状态不同"
        raise DomainError("invalid", msg, fields={"province": [msg]})
    profile = served_profile(province)
    if profile is None:
        raise NotFoundError("unknown_province", f"未开通省份：{province}")
    items = tuple(Code(s.code, s.label) for s in profile.employment_statuses)
    return CodeList("employment_statuses", "在岗状态", "", f"provinces/{province}.toml", items)


def code_list(name: str, *, province: str | None = None) -> CodeList:
    """The code list `name` (API.md); employment statuses need the province portal's code."""
    if name == "countries":
        return _countries()
    if name in PROVINCE_LISTS:
        return _employment_statuses(province)
    lists = _file_lists()
    if name not in lists:
        raise NotFoundError("unknown_code_list", f"没有名为 {name} 的代码表")
    return lists[name]


def all_employment_codes() -> set[str]:
    """Every employment status code in any profile on disk (for validating imported data)."""
    return {s.code for p in all_profiles().values() for s in p.employment_statuses}
