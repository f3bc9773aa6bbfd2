"""Whom the site's news is for: the choices a subscriber makes (by e-mail, or as a LINE
follower) and the audiences the yearly report counts registrations by.

The keys of the age bands are the events' own (`coordination.events.models.AgeBand.Key`), so
that a choice of 「1歳」 matches the events for 1-year-olds without a table of its own.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

#: A child's age band, as a parent chooses it.
AGE_BANDS = {
    "pregnancy": _("During pregnancy"),
    "age_0": _("0 years"),
    "age_1": _("1 year"),
    "age_2": _("2 years"),
    "age_3_plus": _("3 years and over"),
}
#: What a subscriber wants to hear about.
INTERESTS = {
    "events": _("Events for parents and children"),
    "volunteering": _("Volunteering"),
    "training": _("提供会員 training (Yokohama child-rearing support system)"),
}
#: The audiences of the report's channel table: parents by their child's age band, parents whose
#: child's age is not known, and the support generation (volunteer and 提供会員 applicants).
PARENTS = "parents"
SUPPORTERS = "supporters"
AUDIENCES = {
    **AGE_BANDS,
    PARENTS: _("Parents (age not given)"),
    SUPPORTERS: _("Support generation (volunteers, 提供会員)"),
}


def age_band_of(months: int) -> str:
    """The age band of a child `months` old (negative: not born yet)."""
    if months < 0:
        return "pregnancy"
    if months >= 36:
        return "age_3_plus"
    return f"age_{months // 12}"


class ReachChoices(models.Model):
    """What someone chose to receive, the same for an e-mail subscriber and a LINE follower:
    areas (none: the whole ward), child's age bands, interests. Nothing else is asked."""

    areas = models.ManyToManyField("areas.AreaPage", blank=True, related_name="+", verbose_name=_("areas"))
    age_bands = models.JSONField(_("child's age bands"), default=list, blank=True)
    interests = models.JSONField(_("interests"), default=list, blank=True)

    class Meta:
        abstract = True

    def wants(self, interest: str) -> bool:
        return not self.interests or interest in self.interests
