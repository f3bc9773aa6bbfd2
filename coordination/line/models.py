"""The LINE official account: followers and their choices, webhook events received once, and the
outbox of messages (one row per message and batch of up to 500 recipients)."""

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Interest(models.TextChoices):
    EVENTS = "events", _("Events")
    VOLUNTEERING = "volunteering", _("Volunteering")
    TRAINING = "training", _("Training")


class Band(models.TextChoices):
    """What a follower chooses instead of a date of birth: a child's age band, or the support side."""

    PREGNANCY = "pregnancy", _("During pregnancy")
    AGE_0 = "age_0", _("0 years")
    AGE_1 = "age_1", _("1 year")
    AGE_2 = "age_2", _("2 years")
    AGE_3_PLUS = "age_3_plus", _("3 years and over")
    SUPPORTER = "supporter", _("Interested in volunteering or becoming a providing member")


class LineBudget(models.Model):
    """The hub's monthly budget of LINE messages, one row, edited by network admins."""

    monthly_budget = models.PositiveIntegerField(
        _("messages a month"),
        default=200,
        help_text=_(
            "At most this many messages a month (one message to one person counts one). The free plan "
            "allows 200, the light plan 5,000; the plan's own limit, read from LINE, applies as well."
        ),
    )
    picks_per_message = models.PositiveSmallIntegerField(
        _("items in the weekly message"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    weekly_enabled = models.BooleanField(_("send the weekly picks"), default=True)
    urgent_enabled = models.BooleanField(
        _("send urgent news at once"),
        default=True,
        help_text=_("A place that opened up after a cancellation, told to the followers it suits."),
    )

    #: What LINE said when last asked (shown on the dashboard without calling LINE again).
    plan_limit = models.PositiveIntegerField(
        _("plan's limit this month"), null=True, blank=True, editable=False
    )
    line_used = models.PositiveIntegerField(_("used this month, as LINE counts"), default=0, editable=False)
    quota_read_at = models.DateTimeField(_("read from LINE at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("LINE budget")
        verbose_name_plural = _("LINE budget")

    def __str__(self):
        return str(self._meta.verbose_name)

    @classmethod
    def load(cls) -> "LineBudget":
        budget, _created = cls.objects.get_or_create(pk=1)
        return budget


class Follower(models.Model):
    """A person following the account: their LINE user id and what they chose, nothing else.

    Deleted, with the choices, when they unfollow (block) the account.
    """

    class Step(models.TextChoices):
        AREAS = "areas", _("Choosing areas")
        BANDS = "bands", _("Choosing ages")
        INTERESTS = "interests", _("Choosing what to receive")
        DONE = "done", _("Done")

    line_user_id = models.CharField(_("LINE user id"), max_length=64, unique=True)
    areas = models.ManyToManyField("areas.AreaPage", blank=True, related_name="+", verbose_name=_("areas"))
    bands = models.JSONField(_("ages"), default=list, blank=True)
    interests = models.JSONField(_("what to receive"), default=list, blank=True)
    step = models.CharField(_("step"), max_length=10, choices=Step.choices, default=Step.AREAS)
    followed_at = models.DateTimeField(_("followed at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("LINE follower")
        verbose_name_plural = _("LINE followers")

    def __str__(self):
        return f"LINE {self.pk}"


class WebhookEvent(models.Model):
    """A webhook event, unique by LINE's webhookEventId: a redelivered event is processed once.

    The payload (it holds the user id and what they typed) is emptied once processed.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        DONE = "done", _("Processed")

    event_id = models.CharField(max_length=64, unique=True)
    payload = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    claim = models.CharField(max_length=32, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    def __str__(self):
        return self.event_id


class Priority(models.IntegerChoices):
    URGENT = 0, _("Urgent")
    WEEKLY = 10, _("Weekly picks")


class LineMessage(models.Model):
    """One message (up to five LINE message objects) for a set of followers, sent in batches.

    `key` makes planning idempotent: the weekly run for a week and one choice, or one urgent
    notice, is written once whatever is retried.
    """

    key = models.CharField(max_length=200, unique=True)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices)
    title = models.CharField(_("title"), max_length=200)
    payload = models.JSONField(_("messages"), default=list)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("LINE message")
        verbose_name_plural = _("LINE messages")

    def __str__(self):
        return self.title


class LineBatch(models.Model):
    """The outbox row of one multicast call: a message to up to 500 followers.

    PLANNED waits for the month's budget; QUEUED was admitted (its recipients are counted
    against the month); SENDING is claimed by one worker; SENT was accepted by LINE; SKIPPED did
    not fit the month's budget. `retry_key` is sent as X-Line-Retry-Key, so that LINE accepts a
    retried call once.
    """

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Skipped: over the month's budget")
        FAILED = "failed", _("Failed")

    message = models.ForeignKey(LineMessage, on_delete=models.CASCADE, related_name="batches")
    number = models.PositiveIntegerField()
    recipients = models.JSONField(default=list)
    size = models.PositiveIntegerField(_("recipients"), default=0)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PLANNED)
    retry_key = models.UUIDField(default=uuid.uuid4, editable=False)
    month = models.CharField(max_length=7, blank=True, help_text="YYYY-MM the batch was admitted in")
    claim = models.CharField(max_length=32, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("LINE batch")
        verbose_name_plural = _("LINE batches")
        constraints = [
            models.UniqueConstraint(fields=["message", "number"], name="one_line_batch_per_number")
        ]
        indexes = [models.Index(fields=["state", "priority", "created_at"], name="line_batch_plan")]

    def __str__(self):
        return f"{self.message} #{self.number}"
