"""Keep managed groups in step with memberships, whatever screen or script changed them; record
a newly set-up second factor as passed for the session.

Groups are recomputed in the same transaction as the change, so a new role takes effect
on the person's next request and a rolled-back change leaves their groups as they were.
"""

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.signals import authenticator_added
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal, receiver
from wagtail.admin.signal_handlers import workflow_approval_email_notifier
from wagtail.models import WorkflowState
from wagtail.signals import workflow_approved, workflow_submitted

from areas.access import forget_roles
from areas.models import Membership, PartnerOrganisation
from areas.permissions import sync_user_groups


class MembershipChange(models.TextChoices):
    JOINED = "joined"
    ROLE_CHANGED = "role_changed"
    REMOVED = "removed"


#: Sent by the membership services (areas.memberships) inside their transaction, before a removed
#: membership is deleted, with `membership` and `change` (a MembershipChange). The notifications app
#: tells the people concerned; `areas` itself never imports it.
membership_changed = Signal()


def _sync(user_ids):
    forget_roles()
    for user in get_user_model().objects.filter(pk__in=set(user_ids)):
        sync_user_groups(user)


@receiver(post_save, sender=Membership)
@receiver(post_delete, sender=Membership)
def membership_saved_or_deleted(sender, instance, **kwargs):
    _sync([instance.user_id])


@receiver(m2m_changed, sender=Membership.coordinated_areas.through)
def coordinated_areas_changed(sender, instance, action, **kwargs):
    if action.startswith("post_"):
        _sync([instance.user_id])


@receiver(m2m_changed, sender=PartnerOrganisation.areas.through)
def organisation_areas_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if not reverse:
        users = instance.memberships.values_list("user_id", flat=True)
    elif action == "post_clear":
        # Cleared from the area's side: which organisations lost it is no longer known.
        users = Membership.objects.values_list("user_id", flat=True)
    else:
        users = Membership.objects.filter(organisation__in=pk_set).values_list("user_id", flat=True)
    _sync(users)


@receiver(authenticator_added)
def second_factor_set_up(sender, request, user, authenticator, **kwargs):
    """Setting up an authenticator means typing a valid code from it: this session passed the
    second factor, so the person is not asked for a code again straight away."""
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)


@receiver(
    workflow_submitted,
    sender=WorkflowState,
    # Wagtail's own key for its "submitted" e-mail to every superuser: the areas app is ready
    # before wagtail.admin, so this receiver holds the key and Wagtail's is not connected.
    dispatch_uid="workflow_state_submitted_email_notification",
)
def one_email_per_submission(sender, instance, **kwargs):
    """One e-mail per submission per person: the approval step's own e-mail ("waiting for your
    approval", sent by Wagtail to the step's group and to superusers) is the only one. Wagtail also
    sends superusers a second, "submitted", e-mail for the same event; nothing replaces it."""


@receiver(
    workflow_approved,
    sender=WorkflowState,
    dispatch_uid="workflow_state_approved_email_notification",  # Wagtail's key, as above
)
def one_email_per_approval(sender, instance, **kwargs):
    """Wagtail's "approved" e-mail to the writer, unless the page's publishing has just told its
    readers, the writer among them (a meeting's minutes: `announced_on_publish`), by its own
    e-mail: one e-mail per approval per person."""
    page = instance.content_object
    announced = getattr(getattr(page, "specific", page), "announced_on_publish", None)
    if announced is not None and announced():
        return
    workflow_approval_email_notifier(instance, **kwargs)
