from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def num(value):
    """A figure with thousands separators (in every language) and at most two decimals; a dash when missing."""
    if value is None or value == "":
        return "—"
    rounded = round(float(value), 2)
    return f"{int(rounded):,}" if rounded == int(rounded) else f"{rounded:,.2f}"


@register.filter
def pct(value):
    return "—" if value is None or value == "" else f"{value * 100:.1f}%"


@register.filter
def target_text(evaluation):
    """The target as the plan states it: 'reach 20 件 by 2020', '≥ 10% a year'."""
    value = num(evaluation.target)
    if evaluation.kind == "growth_rate":
        return _("%(value)s%% a year") % {"value": value}
    sign = {"exceed": ">", "reach": "≥", "count_to_build": "≥"}[evaluation.kind]
    return f"{sign} {value} {evaluation.unit} ({evaluation.target_year})"
