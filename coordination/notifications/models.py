from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from areas.access import Audience


class Kind(models.TextChoices):
    MEETING = "meeting", _("Meeting scheduled")
    NEW_MINUTES = "new_minutes", _("New minutes")
    NEW_EVENT = "new_event", _("New event")
    NEW_POSTING = "new_posting", _("New volunteer posting")
    APPLICATION = "application", _("Application received")
    REMINDER = "reminder", _("Reminder")
    MEMBERSHIP = "membership", _("Membership changes")


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("E-mail at once")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")
    OFF = "off", _("No e-mail")


#: What a new member gets until they change it.
DEFAULT_FREQUENCIES = {
    Kind.MEETING: Frequency.IMMEDIATE,
    Kind.NEW_MINUTES: Frequency.IMMEDIATE,
    Kind.NEW_EVENT: Frequency.DAILY,
    Kind.NEW_POSTING: Frequency.DAILY,
    Kind.APPLICATION: Frequency.IMMEDIATE,
    Kind.REMINDER: Frequency.IMMEDIATE,
    Kind.MEMBERSHIP: Frequency.IMMEDIATE,
}


class Notification(models.Model):
    """Something that happened, recorded in the same transaction as the change itself."""

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    area = models.ForeignKey(
        "areas.AreaPage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("area"),
    )
    organisation = models.ForeignKey(
        "areas.PartnerOrganisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    extra_audience = models.CharField(
        _("also to"),
        max_length=20,
        choices=Audience.choices,
        blank=True,
        help_text=_("A second audience; someone in both gets the notification once."),
    )
    #: The areas a notification concerns, for audiences that cover several (area subscribers);
    #: none means ward-wide.
    areas = models.ManyToManyField(
        "areas.AreaPage", blank=True, related_name="+", verbose_name=_("areas concerned")
    )
    body_audience = models.CharField(
        _("who may read the text"),
        max_length=20,
        choices=Audience.choices,
        help_text=_("Others in the audience get the title and the link only."),
    )
    title = models.CharField(pgettext_lazy("notification", "title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    # A page's address may be long: a 255-character Japanese slug is over 2,000 characters encoded.
    url = models.TextField(_("link"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    fanned_out_at = models.DateTimeField(_("fanned out at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class Delivery(models.Model):
    """One notification to one person on one channel: never two, whatever is retried."""

    class Channel(models.TextChoices):
        INBOX = "inbox", _("Inbox")
        EMAIL = "email", _("E-mail")

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting for the digest")
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    #: Set by whoever moved the delivery to "sending"; only that sender may send it.
    claim = models.CharField(max_length=32, blank=True, editable=False, db_index=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "user", "channel"], name="one_delivery_per_channel"
            )
        ]
        indexes = [
            models.Index(fields=["user", "channel", "read_at"], name="inbox_unread"),
            models.Index(fields=["user", "channel", "created_at", "id"], name="inbox_arrivals"),
        ]

    def __str__(self):
        return f"{self.notification} → {self.user} ({self.channel})"


class NotificationPreference(models.Model):
    """How a person wants e-mail about one kind of notification in one area (or network-wide)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    area = models.ForeignKey(
        "areas.AreaPage", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "area"], condition=Q(area__isnull=False), name="one_setting_per_area"
            ),
            models.UniqueConstraint(
                fields=["user", "kind"], condition=Q(area__isnull=True), name="one_network_wide_setting"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_kind_display()}: {self.get_frequency_display()}"


class EventSubscriptionQuerySet(models.QuerySet):
    def area_ids(self) -> list[int | None]:
        """The subscribed areas' ids, None for ward-wide events (usable in templates as
        ``user.event_subscriptions.area_ids``)."""
        return list(self.values_list("area_id", flat=True))


class EventSubscription(models.Model):
    """A person asking to be told of new events of one area, or of ward-wide events (no area)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_subscriptions"
    )
    area = models.ForeignKey(
        "areas.AreaPage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("area"),
        help_text=_("Leave empty for ward-wide events."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = EventSubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("event subscription")
        verbose_name_plural = _("event subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "area"],
                condition=Q(area__isnull=False),
                name="one_event_subscription_per_area",
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(area__isnull=True), name="one_ward_wide_event_subscription"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.area or _('Ward-wide')}"
