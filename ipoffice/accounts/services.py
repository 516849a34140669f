"""Accounts: enterprise users register and ask to act for an entity; officers confirm or reject."""

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ipoffice.core.errors import DataError
from ipoffice.entities.credit_code import credit_code_problem
from ipoffice.entities.models import Entity

from .models import Representative
from .roles import ENTERPRISE, assign_role


def entity_by_credit_code(code: str) -> Entity:
    code = (code or "").strip().upper()
    problem = credit_code_problem(code)
    if problem:
        raise DataError.single(f"{code}: {problem}", field="credit_code")
    entity = Entity.objects.filter(credit_code=code).first()
    if entity is None:
        raise DataError.single(f"no entity with credit code {code} is registered", field="credit_code")
    return entity


@transaction.atomic
def register_enterprise_user(*, username: str, password: str, email: str, credit_code: str, note: str = ""):
    """Create an enterprise user and a pending request to act for the entity with that credit code."""
    users = get_user_model()
    if users.objects.filter(username=username).exists():
        raise DataError.single(f"the user name '{username}' is taken", field="username")
    entity = entity_by_credit_code(credit_code)
    user = users(username=username, email=email)
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise DataError.single(" ".join(error.messages), field="password") from error
    user.set_password(password)
    user.save()
    assign_role(user, ENTERPRISE)
    request = Representative.objects.create(user=user, entity=entity, status=Representative.Status.PENDING,
                                            note=note[:300])
    return user, request


def decide(request: Representative, *, officer, confirm: bool) -> Representative:
    """Confirm or reject a pending request; the decision records who and when."""
    if request.status != Representative.Status.PENDING:
        raise DataError.single(f"the request is already {request.get_status_display()}", field="status")
    request.status = Representative.Status.CONFIRMED if confirm else Representative.Status.REJECTED
    request.decided_by, request.decided_at = officer, timezone.now()
    request.save()
    return request


def acts_for(user, entity: Entity) -> bool:
    """Whether the user is a confirmed representative of the entity."""
    return user.is_authenticated and Representative.objects.filter(
        user=user, entity=entity, status=Representative.Status.CONFIRMED).exists()
