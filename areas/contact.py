"""Whom to call and where to go: the public contact and address of an event or a posting.

Each page may name its own section, telephone and e-mail; what it leaves empty comes from its
first organiser's public details, so that no page goes out without a way to reach a person.
"""

from dataclasses import dataclass
from urllib.parse import quote

from django.db import models
from django.utils.translation import gettext_lazy as _

#: A plain link to a map search: no embedded map, no script (the site's CSP allows neither).
MAP_SEARCH_URL = "https://www.google.com/maps/search/?api=1&query="


@dataclass
class Contact:
    organisation: str = ""
    section: str = ""
    phone: str = ""
    email: str = ""

    def __bool__(self):
        return bool(self.phone or self.email)


class HasPublicContact(models.Model):
    """Abstract: the address of the place, the organiser's contact, and how to apply offline."""

    address = models.CharField(
        _("full address"),
        max_length=200,
        blank=True,
        help_text=_("With the ward, for the map link: for example 横浜市旭区今宿西町1-1."),
    )
    contact_section = models.CharField(
        _("section or person in charge"),
        max_length=100,
        blank=True,
        help_text=_("For example: 子育て支援担当. Leave the contact fields empty to use the organiser's."),
    )
    contact_phone = models.CharField(_("contact telephone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    apply_offline = models.TextField(
        _("applying by telephone or at the counter"),
        blank=True,
        help_text=_("For example: telephone 045-000-0000 on weekdays 9:00–17:00, or come to the counter."),
    )
    after_applying = models.TextField(
        _("what happens after applying"),
        blank=True,
        help_text=_("For example: we telephone you within three days to confirm."),
    )
    calls_applicants = models.BooleanField(
        _("we telephone each applicant"),
        default=False,
        help_text=_("Tick if you call applicants back: the form then asks for a telephone number."),
    )

    class Meta:
        abstract = True

    @property
    def signup_phone_required(self) -> bool:
        """The page promises a call (`calls_applicants`): its form requires a telephone number."""
        return self.calls_applicants

    @property
    def public_contact(self) -> Contact:
        """The page's own contact, each empty part taken from the first organiser that has it."""
        organisers = list(self.organisers.all()) if self.pk else []
        first = organisers[0] if organisers else None
        with_phone = next((o for o in organisers if o.public_phone), first)
        with_email = next((o for o in organisers if o.public_email), first)
        return Contact(
            organisation=first.name if first else "",
            section=self.contact_section,
            phone=self.contact_phone or (with_phone.public_phone if with_phone else ""),
            email=self.contact_email or (with_email.public_email if with_email else ""),
        )

    @property
    def map_url(self) -> str:
        where = self.address or getattr(self, "place", "")
        return MAP_SEARCH_URL + quote(where) if where else ""
