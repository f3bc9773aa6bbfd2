"""Services for who belongs where: invitations, role changes, removal and leaving.

Every change is written to Wagtail's audit log (who, what, when). Groups follow the
memberships by themselves (areas/signals.py).
"""

import hashlib
import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from areas.access import (
    is_network_admin,
    may_give_areas,
    may_manage_membership,
    may_manage_organisation,
)
from areas.models import Invitation, Membership, PartnerOrganisation
from areas.signals import MembershipChange, membership_changed

Role = Membership.Role


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def organisation_create(*, actor, name, kind, areas) -> PartnerOrganisation:
    """A new partner organisation, by a network admin or by a coordinator for their own areas."""
    if not may_give_areas(actor, areas):
        raise PermissionDenied
    organisation = PartnerOrganisation.objects.create(name=name, kind=kind)
    organisation.areas.add(*areas)
    organisation.save()
    log(instance=organisation, action="wagtail.create", user=actor)
    return organisation


def invitation_check(*, inviter, email, organisation, role, areas) -> None:
    """Raise ValidationError, in the inviter's language, when this invitation may not be sent."""
    errors = _role_area_errors(actor=inviter, organisation=organisation, role=role, areas=areas)
    if not may_manage_organisation(inviter, organisation):
        errors["organisation"] = _(
            "You can only invite people into organisations that serve only the areas you coordinate."
        )
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        errors["email"] = _("This person is already a member of the organisation.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def invitation_send(*, inviter, email, organisation, role, areas=(), request=None) -> Invitation:
    """Create an invitation and e-mail its link; the mail leaves after commit through Celery."""
    email = email.strip().lower()
    invitation_check(inviter=inviter, email=email, organisation=organisation, role=role, areas=areas)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        organisation=organisation,
        role=role,
        invited_by=inviter,
        token_hash=_hash(token),
        expires_at=timezone.now() + timedelta(days=Invitation.VALID_FOR_DAYS),
    )
    if role == Role.COORDINATOR:
        invitation.coordinated_areas.set(areas)
    link = settings.SITE_URL + reverse("areas:invitation_accept", args=[token])
    with translation.override(settings.LANGUAGE_CODE):
        context = {"invitation": invitation, "link": link, "inviter": inviter}
        subject = _("[Tsunagu] Invitation to join %(organisation)s") % {"organisation": organisation.name}
        body = render_to_string("areas/email/invitation.txt", context)
    send_mail(subject, body, None, [email])
    log(instance=invitation, action="tsunagu.invitation.send", user=inviter)
    return invitation


class InvitationError(Exception):
    """Why an invitation link cannot be used, in words for the person who opened it."""

    def __init__(self, message, status=410):
        super().__init__(message)
        self.status = status


def invitation_find(token: str) -> Invitation:
    """The pending invitation behind a link, or InvitationError saying why there is none."""
    invitation = Invitation.objects.select_related("organisation").filter(token_hash=_hash(token)).first()
    if invitation is None:
        raise InvitationError(
            _("This invitation link is not valid. Please check that you opened the whole link."), status=404
        )
    if invitation.accepted_at is not None:
        raise InvitationError(_("This invitation has already been used. Log in to see your organisations."))
    if invitation.expires_at <= timezone.now():
        raise InvitationError(
            _("This invitation has expired. Please ask the person who invited you to send a new one.")
        )
    return invitation


def user_may_accept(user, invitation) -> bool:
    """Only the person the invitation was sent to may accept it."""
    return EmailAddress.objects.filter(user=user, email__iexact=invitation.email).exists() or (
        user.email.lower() == invitation.email
    )


@transaction.atomic
def invitation_accept(*, token: str, user) -> Membership:
    """Turn an invitation into a membership for the logged-in person it was sent to."""
    invitation = invitation_find(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise InvitationError(_("This invitation has already been used. Log in to see your organisations."))
    if not user_may_accept(user, invitation):
        raise PermissionDenied
    if not _inviter_may_still_grant(invitation):
        raise InvitationError(
            _("This invitation is no longer valid. Please ask the person who invited you to send a new one.")
        )
    membership, _created = Membership.objects.update_or_create(
        user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
    )
    membership.coordinated_areas.set(invitation.coordinated_areas.all())
    # Opening the link proved the address belongs to this person.
    EmailAddress.objects.update_or_create(
        user=user, email__iexact=invitation.email, defaults={"email": invitation.email, "verified": True}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    log(instance=membership, action="tsunagu.membership.join", user=user)
    membership_changed.send(sender=Membership, membership=membership, change=MembershipChange.JOINED)
    return membership


def _inviter_may_still_grant(invitation) -> bool:
    """An invitation grants what its inviter may grant at the moment it is accepted, not more."""
    inviter = invitation.invited_by
    if inviter is None or not may_manage_organisation(inviter, invitation.organisation):
        return False
    if invitation.role == Role.NETWORK_ADMIN:
        return is_network_admin(inviter)
    return may_give_areas(inviter, invitation.coordinated_areas.all())


def _other_network_admins(membership) -> bool:
    return Membership.objects.filter(role=Role.NETWORK_ADMIN).exclude(pk=membership.pk).exists()


@transaction.atomic
def membership_change_role(*, actor, membership, role, areas=()) -> Membership:
    """Give a member another role; refuse to leave the network without an admin."""
    organisation = membership.organisation
    if not may_manage_membership(actor, membership):
        raise PermissionDenied
    if (
        membership.role == Role.NETWORK_ADMIN
        and role != Role.NETWORK_ADMIN
        and not _other_network_admins(membership)
    ):
        raise ValidationError({"role": _("The network must keep at least one network admin.")})
    errors = _role_area_errors(actor=actor, organisation=organisation, role=role, areas=areas)
    if errors:
        raise ValidationError(errors)
    membership.role = role
    membership.save(update_fields=["role"])
    membership.coordinated_areas.set(areas if role == Role.COORDINATOR else [])
    log(instance=membership, action="tsunagu.membership.change_role", user=actor, data={"role": role})
    membership_changed.send(sender=Membership, membership=membership, change=MembershipChange.ROLE_CHANGED)
    return membership


def _role_area_errors(*, actor, organisation, role, areas) -> dict[str, str]:
    """Who may give which role, and which areas a coordinator may be given."""
    errors = {}
    if role == Role.NETWORK_ADMIN and not is_network_admin(actor):
        errors["role"] = _("Only a network admin can make someone a network admin.")
    if role == Role.COORDINATOR:
        if not areas:
            errors["coordinated_areas"] = _("Choose the areas this coordinator will coordinate.")
        elif set(areas) - set(organisation.areas.all()):
            errors["coordinated_areas"] = _("The organisation does not serve every area you chose.")
        elif not may_give_areas(actor, areas):
            errors["coordinated_areas"] = _("You can only choose areas that you coordinate yourself.")
    return errors


@transaction.atomic
def membership_remove(*, actor, membership) -> None:
    """Take a person out of an organisation (an admin or coordinator, or the person leaving)."""
    leaving = actor.pk == membership.user_id
    if not leaving and not may_manage_membership(actor, membership):
        raise PermissionDenied
    if membership.role == Role.NETWORK_ADMIN and not _other_network_admins(membership):
        raise ValidationError(_("The network must keep at least one network admin."))
    log(
        instance=membership,
        action="tsunagu.membership.leave" if leaving else "tsunagu.membership.remove",
        user=actor,
    )
    if not leaving:
        membership_changed.send(sender=Membership, membership=membership, change=MembershipChange.REMOVED)
    membership.delete()
