"""The clearance report as a PDF (WeasyPrint, CJK TrueType font "WenQuanYi Micro Hei", as the annual report)."""

from django.template.loader import render_to_string

from ipoffice.indicators.report import render_pdf


def render_clearance_pdf(context: dict) -> bytes:
    return render_pdf(render_to_string("trademarks/clearance_pdf.html", context))
