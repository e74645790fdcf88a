"""会计专业技术人员基本信息表 (LN 10): the record as filled in, printed, signed at the bottom right
(and sealed by the unit when employed), photographed and uploaded as a material."""

from __future__ import annotations

import datetime
from typing import Any

from fpdf.fonts import FontFace

from accreg.accounts.models import Person
from accreg.accounts.people import id_number_of, mobile_of
from accreg.codelists.registry import code_list
from accreg.collection.display import section_rows
from accreg.collection.models import Record
from accreg.provinces.schema import Province

from .pdf import chinese_pdf

HEADING = FontFace(fill_color=(236, 239, 241))  # one weight embedded: labels are shaded, not bold


def basic_info_pdf(profile: Province, person: Person, record: Record, *, today: datetime.date) -> bytes:
    """The form; when the signature would land alone on a new page, the last section moves to that
    page with it (LN 10: 本人签字 at the bottom right of the form, not on a page of its own)."""
    pdf, alone = _render(profile, person, record, today=today, break_before_last=False)
    if alone:
        pdf, _ = _render(profile, person, record, today=today, break_before_last=True)
    return bytes(pdf.output())


def _render(
    profile: Province, person: Person, record: Record, *, today: datetime.date, break_before_last: bool
) -> tuple[Any, bool]:
    title = profile.materials["basic_info_form"].label.replace("（签字）", "")
    pdf = chinese_pdf(title)
    pdf.set_font_size(17)
    pdf.cell(0, 10, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font_size(9)
    pdf.cell(
        0, 6, f"{profile.texts.portal_title}　打印日期：{today:%Y年%m月%d日}", align="C", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(2)
    pdf.set_font_size(10.5)
    _table(pdf, "注册信息", _registration(person))
    for index, key in enumerate(profile.section_steps):
        if break_before_last and index == len(profile.section_steps) - 1:
            pdf.add_page()
        groups = section_rows(key, record.sections.get(key), profile)
        rows = [(row.label, row.value) for group in groups for row in group]
        if len(groups) > 1 and key != "education":
            rows = [(f"第{i + 1}条 {row.label}", row.value) for i, group in enumerate(groups) for row in group]
        _table(pdf, profile.sections[key].title, rows or [("", "未填写")])
    alone = _signatures(pdf, employed=_employed(profile, record))
    return pdf, alone


def _registration(person: Person) -> list[tuple[str, str]]:
    id_type = code_list("id_types").label(person.id_type) or person.id_type
    # The person's own form, to sign as theirs: the full numbers, as on the ID card and the phone.
    return [
        ("姓名", person.name),
        ("证件类型", id_type),
        ("证件号码", id_number_of(person)),
        ("手机号码", mobile_of(person)),
    ]


def _table(pdf: Any, title: str, rows: list[tuple[str, str]]) -> None:
    pdf.set_font_size(12)
    pdf.cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font_size(10)
    with pdf.table(col_widths=(38, 142), first_row_as_headings=False, line_height=6.5) as table:
        for label, value in rows:
            row = table.row()
            row.cell(label, style=HEADING)
            row.cell(value)
    pdf.ln(2)


def _employed(profile: Province, record: Record) -> bool:
    status = profile.employment_status((record.sections.get("work") or {}).get("employment", ""))
    return status is not None and status.kind == "employed"


def _signatures(pdf: Any, *, employed: bool) -> bool:
    """The commitment and the signature lines; true when they had to start a page of their own."""
    alone = pdf.will_page_break(40)
    if alone:
        pdf.add_page()
    pdf.ln(4)
    pdf.set_font_size(10.5)
    pdf.multi_cell(
        0,
        6,
        "本人承诺：以上信息及上传的材料真实、准确、完整，如有虚假，愿承担相应责任。",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(8)
    x = pdf.w - pdf.r_margin - 80
    if employed:
        pdf.set_x(pdf.l_margin)
        pdf.cell(80, 8, "单位（盖章）：")
    pdf.set_x(x)
    pdf.cell(80, 8, "本人签字：＿＿＿＿＿＿＿＿", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(x)
    pdf.cell(80, 8, "日　　期：＿＿＿＿年＿＿月＿＿日", new_x="LMARGIN", new_y="NEXT")
    return alone
