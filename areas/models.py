from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index

from areas.sections import area_page_sections
from common.search import PLACE_BOOST

#: Who may change an area's data; network admins hold it (areas/permissions.py).
AREA_DATA_PERMISSION = "areas.change_area_data"


class AreaIndexPage(Page):
    """The list of the ward's areas, one per community care plaza."""

    introduction = RichTextField(_("introduction"), blank=True, features=["bold", "link"])

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    search_fields = Page.search_fields + [index.SearchField("introduction")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["areas.AreaPage"]
    max_count = 1

    class Meta:
        verbose_name = _("area index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Wagtail has let the reader into this page: only the areas' own restrictions remain
        # (`areas.access.public_pages` cannot be imported by the models it reads).
        own_restriction = PageViewRestriction.objects.filter(page=OuterRef("pk"))
        areas = AreaPage.objects.child_of(self).live().filter(~Exists(own_restriction))
        context["areas"] = areas.order_by("path")
        return context


class AreaPage(Page):
    """One of the 13 areas: the home of everything local."""

    code = models.SlugField(
        _("area code"),
        max_length=20,
        unique=True,
        help_text=_("Stable key used by the area data file, for example area-01."),
    )
    care_plaza = models.CharField(_("community care plaza"), max_length=100)
    town_blocks = models.TextField(
        _("town blocks covered"),
        blank=True,
        help_text=_("The town blocks (町丁目) this area covers, one per line."),
    )
    stations = models.TextField(
        _("stations"),
        blank=True,
        help_text=_("The railway stations in or near this area, one per line, for the area finder."),
    )
    description = RichTextField(_("description"), blank=True, features=["bold", "link", "ol", "ul"])

    # The area's data (the hub's, also loaded from areas/data/areas.csv) is kept by network admins
    # only: Wagtail leaves these fields out of the form for anyone without the permission.
    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("code", permission=AREA_DATA_PERMISSION),
                FieldPanel("care_plaza", permission=AREA_DATA_PERMISSION),
                FieldPanel("town_blocks", permission=AREA_DATA_PERMISSION),
                FieldPanel("stations", permission=AREA_DATA_PERMISSION),
            ],
            heading=_("Area"),
        ),
        FieldPanel("description"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("care_plaza", boost=PLACE_BOOST),
        index.SearchField("town_blocks", boost=PLACE_BOOST),
        index.SearchField("stations", boost=PLACE_BOOST),
        index.SearchField("description"),
    ]
    parent_page_types = ["areas.AreaIndexPage"]
    subpage_types = [
        "cms.ContentPage",
        "meetings.MeetingPage",
        "events.EventPage",
        "volunteering.VolunteerPostingPage",
        "activity.SurveyPage",
    ]

    class Meta:
        verbose_name = _("area page")
        permissions = [
            ("change_area_data", _("Can change an area's code, care plaza, town blocks and stations"))
        ]

    @property
    def town_block_list(self):
        return [line.strip() for line in self.town_blocks.splitlines() if line.strip()]

    @property
    def station_list(self):
        return [line.strip() for line in self.stations.splitlines() if line.strip()]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["partners"] = self.partners.order_by("kind", "name")
        context["sections"] = area_page_sections(area=self, request=request)
        return context


class PartnerOrganisation(index.Indexed, ClusterableModel):
    """An organisation in the network; only its public contact is ever shown to visitors."""

    class Kind(models.TextChoices):
        CARE_PLAZA = "care_plaza", _("Community care plaza")
        WELFARE_COUNCIL = "welfare_council", _("Ward social welfare council")
        WARD_OFFICE = "ward_office", _("Ward office")
        SUPPORT_HUB = "support_hub", _("Child-rearing support hub")
        NURSERY = "nursery", _("Nursery")
        KINDERGARTEN = "kindergarten", _("Kindergarten")
        SALON = "salon", _("Parenting salon")
        NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood association")
        COMMISSIONER = "commissioner", _("Child-welfare commissioner")
        NPO = "npo", _("NPO")
        OTHER = "other", _("Other")

    #: The liaison core members present in every area.
    CORE_KINDS = (Kind.CARE_PLAZA, Kind.WELFARE_COUNCIL, Kind.WARD_OFFICE, Kind.SUPPORT_HUB)

    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    areas = ParentalManyToManyField(
        AreaPage, related_name="partners", blank=True, verbose_name=_("areas served")
    )
    public_phone = models.CharField(_("public phone"), max_length=30, blank=True)
    public_email = models.EmailField(_("public e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    note = models.TextField(_("public note"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("areas"),
        MultiFieldPanel(
            [
                FieldPanel("public_phone"),
                FieldPanel("public_email"),
                FieldPanel("website"),
                FieldPanel("address"),
                FieldPanel("note"),
            ],
            heading=_("Public contact"),
        ),
    ]
    search_fields = [index.SearchField("name"), index.FilterField("kind")]

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A person's place in a partner organisation: the only source of their permissions."""

    class Role(models.TextChoices):
        NETWORK_ADMIN = "network_admin", _("Network admin")
        COORDINATOR = "coordinator", _("Area coordinator")
        MEMBER = "member", _("Partner member")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    coordinated_areas = models.ManyToManyField(
        AreaPage,
        blank=True,
        related_name="coordinator_memberships",
        verbose_name=_("coordinated areas"),
        help_text=_("For area coordinators: the organisation's areas they coordinate."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_organisation")
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


class ManagedGroup(models.Model):
    """A Django group kept in step with memberships; never edited by hand."""

    class Kind(models.TextChoices):
        NETWORK_ADMINS = "network_admins", _("Network admins")
        AREA_PARTNERS = "area_partners", _("Area partners")
        AREA_COORDINATORS = "area_coordinators", _("Area coordinators")

    group = models.OneToOneField("auth.Group", on_delete=models.CASCADE, related_name="managed")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    area = models.ForeignKey(AreaPage, null=True, blank=True, on_delete=models.CASCADE, related_name="groups")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "area"], name="one_group_per_kind_and_area"),
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(area__isnull=True), name="one_network_group"
            ),
        ]

    def __str__(self):
        return self.group.name


class Invitation(models.Model):
    """An e-mailed, single-use invitation to join an organisation with a role.

    Only a hash of the link's token is stored, so a copy of the database cannot be
    used to accept invitations.
    """

    VALID_FOR_DAYS = 14

    email = models.EmailField(_("e-mail address"))
    organisation = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Membership.Role.choices)
    coordinated_areas = models.ManyToManyField(AreaPage, blank=True, verbose_name=_("coordinated areas"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("invited by"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.organisation}"
