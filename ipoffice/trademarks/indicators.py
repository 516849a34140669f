"""Plan indicators the register computes itself (shown beside the official figures):

- ``valid_domestic_trademarks`` (商标有效注册量): Chinese marks of owners in the region registered by the end of
  the year whose term runs past it and which are not cancelled, invalidated or expired since;
- ``gi_trademarks`` (地理标志商标): the same, for geographical-indication collective and certification marks;
- ``madrid_registrations`` (马德里商标国际注册): international registrations of owners in the region made by the
  end of the year.

The register keeps each mark's current status, not its status on every past date: a mark cancelled today
is not counted for earlier years either. Figures are as complete as the imported register.
"""

from datetime import date

from django.db.models import Q

from ipoffice.indicators.registry import register

from .models import MadridRole, MarkStatus, Trademark

DEAD = (MarkStatus.CANCELLED, MarkStatus.INVALIDATED, MarkStatus.REFUSED, MarkStatus.WITHDRAWN)


def _in_region(region):
    return Trademark.objects.filter(region__code__startswith=region.code_prefix)


def valid_registrations(region, year: int):
    end = date(year, 12, 31)
    return (_in_region(region).filter(office="CN", registration_date__lte=end)
            .filter(Q(term_end__isnull=True) | Q(term_end__gte=end)).exclude(status__in=DEAD))


@register("valid_domestic_trademarks")
def valid_domestic_trademarks(region, year: int) -> float:
    return valid_registrations(region, year).count()


@register("gi_trademarks")
def gi_trademarks(region, year: int) -> float:
    return valid_registrations(region, year).filter(is_geographical_indication=True).count()


@register("madrid_registrations")
def madrid_registrations(region, year: int) -> float:
    return (_in_region(region).filter(madrid_role=MadridRole.ORIGIN, international_registration_date__lte=date(
        year, 12, 31)).count())
