import time

import factory
from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.test import Client

from areas.models import Membership, PartnerOrganisation
from cms.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.jp")
    password = factory.PostGenerationMethodCall("set_password", "kosodate-2026-asahi")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerOrganisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"あさひ保育園{n}")
    kind = PartnerOrganisation.Kind.NURSERY

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas.add(*extracted)
            self.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.MEMBER

    @factory.post_generation
    def coordinated_areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.coordinated_areas.add(*extracted)


def coordinator_of(area):
    """A person coordinating `area` through an organisation that serves it."""
    return MembershipFactory(
        organisation=OrganisationFactory(areas=[area]),
        role=Membership.Role.COORDINATOR,
        coordinated_areas=[area],
    ).user


def log_in_with_second_factor(client, user) -> None:
    """Log in as allauth does after the password and the TOTP code: the account has an authenticator
    and the session records that it passed the second factor."""
    authenticator, _created = Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "x"}}
    )
    client.force_login(user)
    session = client.session
    now = time.time()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "id": authenticator.pk, "type": "totp"},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session.save()


def session_of(user, *, second_factor: bool = True) -> str:
    """The key of a session logged in as `user`, made by `log_in_with_second_factor` (or, with
    `second_factor=False`, by a plain `force_login`) and kept in the database: for a module's world
    to log each person in once, and each test to take the session up with `use_session`, as a
    browser coming back with its cookie does. Each test's writes (the session's too) roll back."""
    client = Client()
    if second_factor:
        log_in_with_second_factor(client, user)
    else:
        client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def use_session(client, session_key: str):
    """The test client sends the session cookie of `session_of`: it is logged in as that person."""
    client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    return client


def forget_session(client):
    """The test client sends no session cookie: a visitor who is not logged in, as `client.logout()`
    leaves it, but without ending the session, which the world keeps for the next test."""
    client.cookies.pop(settings.SESSION_COOKIE_NAME, None)
    return client
