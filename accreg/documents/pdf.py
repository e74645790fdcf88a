"""A4 PDFs in Chinese: Noto Sans SC (SIL OFL, from the pylopdf-fonts-zh-cn wheel) embedded as a
subset, so the file prints the same on any computer, with or without Chinese fonts."""

from __future__ import annotations

from django.http import HttpResponse
from fpdf import FPDF
from pylopdf_fonts_zh_cn import sans_path

FONT = "NotoSansSC"


def chinese_pdf(title: str) -> FPDF:
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(title)
    pdf.set_creator("会计人员信息采集与管理平台")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_font(FONT, fname=str(sans_path()))
    pdf.set_font(FONT, size=10.5)
    pdf.add_page()
    return pdf


def private_pdf_response(pdf: bytes, name: str) -> HttpResponse:
    """A PDF made for the signed-in person only: shown in the browser, never cached by others."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{name}.pdf"
    response["Cache-Control"] = "private, no-store"
    return response
