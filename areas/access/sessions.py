"""Privileges live in the session: what the person's roles grant beyond plain membership counts
only in a session that passed the second factor (docs/decisions.md, "Privileges live in the
session").

The rules take a user, not a request, so the request's user carries its session
(`attach_session`, by `areas.middleware.SessionPrivilegesMiddleware`). A user loaded outside a
request (a Celery task, a digest) has no session attached and keeps every role: it acts for
nobody logged in.
"""

from types import SimpleNamespace

from allauth.account.authentication import get_authentication_records
from django.contrib.auth import get_user
from django.utils.functional import SimpleLazyObject

_SESSION_ATTRIBUTE = "_tsunagu_session"


def attach_session(request) -> None:
    """Give the request's user (loaded lazily, as Django does) the session it acts in."""

    def load():
        user = get_user(request)
        setattr(user, _SESSION_ATTRIBUTE, request.session)
        return user

    request.user = SimpleLazyObject(load)


def session_passed_second_factor(request) -> bool:
    """Whether this session, not only the account, passed the second factor (allauth keeps a record
    of every authentication step of the session)."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def acts_without_second_factor(user) -> bool:
    """Whether the user acts in a session that has not passed the second factor; False for a user
    with no session (outside a request)."""
    session = getattr(user, _SESSION_ATTRIBUTE, None)
    if session is None:
        return False
    return not session_passed_second_factor(SimpleNamespace(session=session, user=user))
