"""The division tree in memory: 3,212 rows read once per process, so every check of a region
field and every department proposal costs no query. `sync_regions` clears it; other processes
see a reload after their restart (divisions change about once a year)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from .models import Region


@dataclass(frozen=True)
class Node:
    code: str
    name: str
    level: str
    parent: str | None
    has_children: bool


@cache
def _nodes() -> dict[str, Node]:
    rows = list(Region.objects.values_list("code", "name", "level", "parent_id"))
    parents = {parent for *_rest, parent in rows if parent}
    return {code: Node(code, name, level, parent, code in parents) for code, name, level, parent in rows}


def region_node(code: str) -> Node | None:
    return _nodes().get(code)


def ancestry(code: str) -> list[str]:
    """The division and its ancestors, nearest first (county, city, province)."""
    chain: list[str] = []
    node = _nodes().get(code)
    while node is not None:
        chain.append(node.code)
        node = _nodes().get(node.parent) if node.parent else None
    return chain


def clear_region_tree() -> None:
    _nodes.cache_clear()


def division_groups(province: str) -> list[tuple[str, list[Node]]]:
    """The divisions a person picks in a province, grouped for a two-step picker: each city with
    its counties, and the counties directly under the province (Chongqing's districts) together."""
    nodes = _nodes()
    children = sorted((n for n in nodes.values() if n.parent == province), key=lambda n: n.code)
    groups: list[tuple[str, list[Node]]] = []
    direct = [n for n in children if not n.has_children]
    if direct:
        groups.append((nodes[province].name if province in nodes else "", direct))
    for city in children:
        if city.has_children:
            counties = sorted((n for n in nodes.values() if n.parent == city.code), key=lambda n: n.code)
            groups.append((city.name, counties))
    return groups
