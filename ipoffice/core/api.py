"""API plumbing shared by every module: pagination and errors that always say why."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.pagination import PageNumberPagination
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import DataError


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def exception_handler(exc, context):
    """Turn the project's ``DataError`` and Django validation errors into 400 answers with the reason."""
    if isinstance(exc, DataError):
        detail = {"detail": str(exc), "problems": [
            {"record": p.record, "field": p.field, "reason": p.reason} for p in exc.problems]}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    return drf_exception_handler(exc, context)


class TokenView(ObtainAuthToken):
    """``POST /api/token/`` (username, password) → a token; throttled so that passwords cannot be guessed."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"
