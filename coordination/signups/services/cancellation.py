"""A page called off (an event 中止): everyone holding, waiting for or entered for a date yet to
come is told by e-mail, through the outbox; those who applied by telephone are on the organisers'
list, which stays."""

from django.db.models import Q
from django.utils import timezone

from coordination.signups.emails import email_applicant
from coordination.signups.models import Applicant, Signup


def applicants_tell_cancelled(*, page, reason: str, now=None) -> int:
    """E-mail each applicant of `page` with an active signup on a date not yet begun; returns how
    many. The caller tells a cancellation once (it claims it first), so each is told once."""
    now = now or timezone.now()
    coming = Q(signups__slot__starts_at__isnull=True) | Q(signups__slot__starts_at__gt=now)
    applicants = (
        Applicant.objects.filter(page=page, signups__status__in=Signup.ACTIVE)
        .filter(coming)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    told = 0
    for applicant in applicants:
        email_applicant(applicant, "cancelled", reason=reason)
        told += 1
    return told
