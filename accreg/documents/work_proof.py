"""工作证明 (CQ appendix 2, YN 12): the province's template filled with the person's name, ID
number and unit as they are in the record, to print, seal and upload. Blanks stay as lines to
fill by hand."""

from __future__ import annotations

import datetime
import string
from typing import Any

from accreg.accounts.models import Person
from accreg.accounts.people import id_number_of
from accreg.codelists.registry import code_list
from accreg.collection.display import region_name
from accreg.collection.models import Record
from accreg.provinces.schema import DocumentTemplate, Province
from accreg.regions.models import Department

from .pdf import chinese_pdf

BLANK = "＿＿＿＿＿＿"


class _Blanks(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return BLANK


def template_values(person: Person, record: Record) -> dict[str, str]:
    work = record.sections.get("work") or {}
    department = Department.objects.filter(code=work.get("department", "")).first()
    post = code_list("accounting_posts").label(work.get("accounting_post", "")) or ""
    values = {
        "name": person.name,
        "id_number": id_number_of(person),
        "unit_name": work.get("unit_name", ""),
        "credit_code": work.get("unit_credit_code", ""),
        "district": region_name(work["unit_region"]).split(" ")[-1] if work.get("unit_region") else "",
        "department": department.name if department else "",
        "post": post if post and post != "无" else "",
    }
    return {k: v for k, v in values.items() if v}


def fill(text: str, values: dict[str, str]) -> str:
    return string.Formatter().vformat(text, (), _Blanks(values))


def work_proof_pdf(profile: Province, person: Person, record: Record, *, today: datetime.date) -> bytes:
    template: DocumentTemplate = profile.documents["work_proof"]
    values = template_values(person, record)
    pdf = chinese_pdf(template.title)
    pdf.set_font_size(20)
    pdf.cell(0, 16, template.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font_size(12)
    for paragraph in template.body:
        pdf.multi_cell(0, 9, "　　" + fill(paragraph, values), new_x="LMARGIN", new_y="NEXT")
    if template.post_checklist:
        _checklist(pdf, template, (record.sections.get("work") or {}).get("accounting_post", ""))
    for paragraph in template.closing:
        pdf.multi_cell(0, 9, "　　" + fill(paragraph, values), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(16)
    x = pdf.w - pdf.r_margin - 90
    pdf.set_x(x)
    pdf.multi_cell(90, 9, fill(template.signature, values), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_x(x)
    pdf.cell(90, 9, "＿＿＿＿年＿＿月＿＿日", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _checklist(pdf: Any, template: DocumentTemplate, chosen: str) -> None:
    """The manual's own list of posts, the person's ticked."""
    for item in template.post_checklist:
        mark = "■" if chosen and chosen in item.posts else "□"
        pdf.cell(0, 8, f"　　{mark} {item.label}", new_x="LMARGIN", new_y="NEXT")
