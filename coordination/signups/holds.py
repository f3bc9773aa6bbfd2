"""What an application not yet confirmed from its e-mail may hold, and for how long.

A place is held at once so that the page can say "you have a place", but a stranger can type
any address. So an unconfirmed application holds its places only for `SIGNUP_CONFIRM_WITHIN`
(the e-mail arrives in seconds), counts as nothing once that is over even before the job marks
it expired, and one connection or one address may have only a few waiting at once.
"""

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils.crypto import salted_hmac

from coordination.signups.models import Applicant, Signup


def cutoff(now):
    """Unconfirmed applications made before this no longer hold anything."""
    return now - settings.SIGNUP_CONFIRM_WITHIN


def holding(now, prefix="") -> Q:
    """Signups that take a place now: confirmed, or still within their time to confirm."""
    return Q(**{f"{prefix}status__in": Signup.HOLDING}) & (
        Q(**{f"{prefix}applicant__confirmed_at__isnull": False})
        | Q(**{f"{prefix}applicant__created_at__gte": cutoff(now)})
    )


def stale(now) -> Q:
    """Signups still in play whose application was never confirmed in time."""
    return Q(
        status__in=Signup.ACTIVE,
        applicant__confirmed_at__isnull=True,
        applicant__created_at__lt=cutoff(now),
    )


def client_key(ip: str) -> str:
    """A keyed hash of the connection's address: it can be compared, not read back."""
    return salted_hmac("tsunagu.signups.client", ip).hexdigest()


def pending(now):
    """Applications still waiting for confirmation that hold something."""
    return Applicant.objects.filter(
        confirmed_at__isnull=True,
        created_at__gte=cutoff(now),
        signups__status__in=Signup.ACTIVE,
    ).distinct()


def pending_from(key: str, now) -> int:
    return pending(now).filter(client_key=key).count()


def pending_for(email: str, now):
    return pending(now).filter(email__iexact=email)


def may_tell(email: str) -> bool:
    """At most one e-mail per confirmation window to an address someone else may have typed in:
    the form must not become a way to flood a stranger's mailbox."""
    key = "signups:told:" + salted_hmac("tsunagu.signups.told", email.lower()).hexdigest()
    return cache.add(key, True, timeout=int(settings.SIGNUP_CONFIRM_WITHIN.total_seconds()))
