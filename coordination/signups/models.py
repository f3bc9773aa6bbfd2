"""Signing up without an account: for a volunteer shift, a training session or one date of an event.

One mechanism serves volunteer postings and event registration alike. The page that offers
places keeps its own editable rows (shifts, sessions, dates); on publish they are copied into
`Slot` rows here, which carry the capacity and the waiting list. A person's submission is an
`Applicant`; their place (or waiting-list position) in each chosen slot is a `Signup`. A
person who also agrees to hear of later activities and training becomes a `RosterEntry`, which
outlives the application.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

#: The key of `Slot.final_counts` that holds how many took part (the others are statuses).
TOOK_PART = "took_part"


class Slot(models.Model):
    """Places that can be signed up for, with an optional capacity and waiting list."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="signup_slots")
    #: Stable within the page: "shift-12" for an editable row, "2026-12-08" for an event's date.
    key = models.CharField(max_length=64)
    label = models.CharField(_("label"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    #: For filtering by day and time also when a slot repeats without a date ("every Tuesday").
    weekday = models.PositiveSmallIntegerField(null=True, blank=True)
    start_time = models.TimeField(null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    waitlist = models.BooleanField(_("waiting list"), default=True)
    #: Places are drawn after the deadline instead of going to the first who apply.
    lottery = models.BooleanField(_("lottery"), default=False)
    deadline = models.DateTimeField(_("application deadline"), null=True, blank=True)
    drawn_at = models.DateTimeField(null=True, blank=True)
    #: False once the row was taken off the page; its signups stay for the organisers.
    is_open = models.BooleanField(default=True)
    sort_order = models.PositiveIntegerField(default=0)
    #: Anonymous counts per status, and under TOOK_PART how many took part, kept when personal
    #: data is deleted.
    final_counts = models.JSONField(default=dict, blank=True)
    personal_data_deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        ordering = ["sort_order", "starts_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["page", "key"], name="unique_slot_key_per_page")]
        indexes = [models.Index(fields=["weekday", "start_time"])]

    def __str__(self):
        return self.label

    def first_start_after(self, moment):
        """When the slot first begins for someone who signed up at `moment`: its date and time,
        or for a regular weekly shift ("every Tuesday") the first such day at its time from
        then on (Tokyo); None when it has neither."""
        if self.starts_at is not None:
            return self.starts_at
        if self.weekday is None:
            return None
        day = timezone.localdate(moment)
        day += timedelta(days=(self.weekday - day.weekday()) % 7)
        begins = timezone.make_aware(datetime.combine(day, self.start_time or time.min))
        # Signed up on the day after the shift had begun: the next week's is their first.
        return begins if begins >= moment else begins + timedelta(days=7)

    def has_begun_for(self, signed_up_at, now) -> bool:
        """Whether someone who signed up at `signed_up_at` can have taken part by `now`."""
        begins = self.first_start_after(signed_up_at)
        return begins is not None and begins <= now

    def is_past_deadline(self, now=None) -> bool:
        now = now or timezone.now()
        return (self.deadline is not None and now > self.deadline) or (
            self.starts_at is not None and now >= self.starts_at
        )


class Applicant(models.Model):
    """One person's submission; reached again through the signed link in their e-mails."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="applicants")
    name = models.CharField(_("name"), max_length=100)
    #: Empty only for applications an organiser typed in after a telephone call.
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    message = models.TextField(_("message"), blank=True)
    #: Asked where the page says so (`OffersSignups.signup_asks_party`): parent-and-child events.
    furigana = models.CharField(_("furigana"), max_length=100, blank=True)
    #: With a context, so the translation of the capacity unit 組 never stands in for Wagtail's and
    #: Django's own "groups" (the admin's Groups menu).
    groups = models.PositiveSmallIntegerField(pgettext_lazy("party size", "groups"), null=True, blank=True)
    adults = models.PositiveSmallIntegerField(_("adults"), null=True, blank=True)
    children = models.PositiveSmallIntegerField(_("children"), null=True, blank=True)
    #: Each child's age in months, in the order given.
    child_ages = models.JSONField(_("children's ages in months"), default=list, blank=True)
    #: The organiser's own questions with their answers: [[question, answer], ...], as asked then.
    answers = models.JSONField(_("answers"), default=list, blank=True)
    consent_at = models.DateTimeField(_("consented at"))
    #: Ticked the separate roster box (`RosterEntry`): when, and which text they agreed to. The
    #: entry is made only once the address is confirmed.
    roster_consent_at = models.DateTimeField(_("agreed to the roster at"), null=True, blank=True)
    roster_consent_version = models.CharField(max_length=20, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("applied at"), default=timezone.now)
    #: The organiser who typed in an application taken by telephone or at the counter.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: A keyed hash (never the address itself) of the connection an online application came
    #: from, kept only while it waits for confirmation: it limits what one connection may hold.
    client_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("applicant")
        verbose_name_plural = _("applicants")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.name

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def confirm_by(self):
        return self.created_at + settings.SIGNUP_CONFIRM_WITHIN

    def is_expired(self, now=None) -> bool:
        """Never confirmed, and the time to confirm is over: its places went to others."""
        return not self.is_confirmed and (now or timezone.now()) >= self.confirm_by


class Signup(models.Model):
    """A person's place, waiting-list position or lottery entry in one slot."""

    class Status(models.TextChoices):
        PLACED = "placed", _("Place held")
        ACCEPTED = "accepted", _("Accepted")
        WAITING = "waiting", _("On the waiting list")
        ENTERED = "entered", _("Entered in the lottery")
        DECLINED = "declined", _("Not accepted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Not confirmed in time")

    #: Statuses that take one of the slot's places.
    HOLDING = (Status.PLACED, Status.ACCEPTED)
    #: Statuses still in play: counted for duplicates and shown to organisers first.
    ACTIVE = (Status.PLACED, Status.ACCEPTED, Status.WAITING, Status.ENTERED)

    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="signups")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="signups")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    #: How many of the slot's places this signup takes, in the page's unit (groups or people).
    places = models.PositiveSmallIntegerField(_("places"), default=1)
    #: Waiting-list order: the earliest goes up first.
    queued_at = models.DateTimeField(default=timezone.now)
    decision_message = models.TextField(_("message to the applicant"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    #: When an organiser marked, after the date, that the person holding the place took part.
    took_part_at = models.DateTimeField(_("took part"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("signup")
        verbose_name_plural = _("signups")
        ordering = ["slot__sort_order", "queued_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["applicant", "slot"], name="one_signup_per_slot")]
        indexes = [models.Index(fields=["slot", "status", "queued_at"])]

    def __str__(self):
        return f"{self.applicant} – {self.slot}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class RosterEntry(models.Model):
    """A person who agreed to be told of later activities and training by the hub and the
    organisers: one entry per e-mail address, kept until they leave (signed link in every e-mail).

    Only what the consent text names: name, e-mail, phone, and the areas and interests of the
    postings they applied for. It points to no application, so the retention job that deletes
    applicants leaves it alone; without the consent nothing of the application outlives that job.
    """

    #: The version of the consent text on the form (`forms.ApplicationForm.roster`); change it
    #: whenever that text changes, so each entry says what its person agreed to.
    CONSENT_VERSION = "2026-12"

    name = models.CharField(_("name"), max_length=100)
    #: Lower-cased: the one entry of this address.
    email = models.EmailField(_("e-mail address"), unique=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    #: The areas of the postings applied for; none for ward-wide postings (network admins see them).
    areas = models.ManyToManyField("areas.AreaPage", blank=True, related_name="+", verbose_name=_("areas"))
    #: {key: label} of the kinds of activity applied for, as the page names them (`roster_interests`).
    interests = models.JSONField(_("interests"), default=dict, blank=True)
    consent_at = models.DateTimeField(_("consented at"))
    consent_version = models.CharField(_("consent text version"), max_length=20)
    #: The posting or training whose form they last ticked the box on.
    joined_from = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("joined at"), default=timezone.now)
    last_invited_at = models.DateTimeField(_("last invited at"), null=True, blank=True)

    class Meta:
        verbose_name = _("roster entry")
        verbose_name_plural = _("roster entries")
        ordering = ["-created_at", "pk"]

    def __str__(self):
        return self.name


class ChannelCount(models.Model):
    """How many applications a channel brought in a month, per audience: numbers only.

    Counted when an online application is taken (`services.applications`); nothing ties a count
    to a person, so deleting applicants' personal data leaves it whole (issue 29)."""

    month = models.DateField(_("month"))
    #: A code of `common.links.CHANNELS`, or "" when neither the link nor the person said.
    channel = models.CharField(_("channel"), max_length=20, blank=True)
    #: A key of `common.audiences.AUDIENCES`.
    audience = models.CharField(_("audience"), max_length=20)
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("applications by channel")
        verbose_name_plural = _("applications by channel")
        constraints = [
            models.UniqueConstraint(fields=["month", "channel", "audience"], name="unique_channel_count")
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.channel or '-'} {self.audience}: {self.count}"
