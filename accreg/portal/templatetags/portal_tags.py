"""Template helpers for the portal forms."""

from typing import Any

from django import template
from django.template import Context

from accreg.provinces.schema import Province

register = template.Library()


@register.filter
def get(mapping: dict[str, Any] | None, key: str) -> Any:
    """`values|get:"mobile"`: a dict lookup by a name held in a variable."""
    return (mapping or {}).get(key, "")


@register.filter
def status_word(status: str, province: Province) -> str:
    """`record.status|status_word:province`: the province's word for a status (YN 11: 审核中)."""
    return province.status_word(str(status))


# Where each page a navigation bar may name lives under /<province>/.
NAV_PATHS = {"home": "", "notices": "notices/?kind=notice", "guides": "notices/?kind=guide", "directory": "directory/"}


def _current_page(context: Context) -> str:
    """Which page of the bar the person is on ("" on a page the bar does not name)."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if request is None or match is None or match.namespace != "portal":
        return ""
    if match.url_name == "notices":
        return "guides" if request.GET.get("kind") == "guide" else "notices"
    if match.url_name == "notice":
        notice = context.get("notice")
        return "guides" if getattr(notice, "kind", "") == "guide" else "notices"
    return match.url_name if match.url_name in ("home", "directory") else ""


@register.inclusion_tag("portal/_nav.html", takes_context=True)
def portal_nav(context: Context) -> dict[str, Any]:
    """The province's navigation bar (LN 1, 12), the current page marked; nothing when its file
    declares none, or on a page that is not a province's."""
    province = context.get("province")
    if not isinstance(province, Province) or not province.navigation:
        return {"items": []}
    current = _current_page(context)
    items = [
        {"label": item.label, "url": f"/{province.code}/{NAV_PATHS[item.page]}", "current": item.page == current}
        for item in province.navigation
    ]
    return {"items": items, "name": f"{province.texts.portal_title}导航"}
