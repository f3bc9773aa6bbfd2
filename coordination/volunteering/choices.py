"""The kinds of posting and of activity, shared by the posting's model and its admin form."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    PLAYROOM = "playroom", _("Playroom and outreach playroom")
    OUTDOOR = "outdoor", _("Outdoor play")
    FESTIVAL = "festival", _("Festival or event")
    CHILDCARE = "childcare", _("Childcare during programmes")
    PREPARATION = "preparation", _("Preparation and office work")
    PROVIDING_MEMBER = "providing_member", _("Providing member (Child-rearing Support System)")
    OTHER = "other", _("Other")


class PostingType(models.TextChoices):
    VOLUNTEER = "volunteer", _("Volunteer opening")
    PROVIDING_MEMBER = "providing_member", _("Providing-member recruitment")
