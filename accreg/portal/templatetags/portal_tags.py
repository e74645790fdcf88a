"""Template helpers for the portal forms."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def get(mapping: dict[str, Any] | None, key: str) -> Any:
    """`values|get:"mobile"`: a dict lookup by a name held in a variable."""
    return (mapping or {}).get(key, "")
