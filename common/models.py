from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutgoingEmail(models.Model):
    """One e-mail from the moment it is sent until the mail server accepted it: the outbox.

    The row is written in the sender's transaction, so a rolled back change sends nothing and a
    committed one cannot be lost with the task queue; the sweep queues it again. It is deleted
    once the mail server accepted the message (its text may carry a password-reset link); only
    messages the server refused for good stay, as "failed", for the administrators.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        FAILED = "failed", _("Failed")

    message = models.JSONField(_("message"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    #: Set by whoever moved the row to "sending"; only that sender may send it.
    claim = models.CharField(max_length=32, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    #: When the row was last handled, or when its next try is due; the sweep counts from here.
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")

    def __str__(self):
        return f"{self.message.get('subject', '')} → {', '.join(self.message.get('to', []))}"


class OutputCount(models.Model):
    """How many of one kind of thing Tsunagu sent or printed on one day (③ 情報収集・提供): flyers
    and circular sheets downloaded, newsletters, e-mails sent, calendar feeds fetched. A number
    per kind and day and nothing else: no address, no person, no page. `common.outputs.count_output`
    adds to it; the yearly report adds the days of a fiscal year up."""

    class Kind(models.TextChoices):
        FLYER = "flyer", _("Flyers downloaded or printed")
        CIRCULAR = "circular", _("Circular sheets (回覧) downloaded or printed")
        NEWSLETTER = "newsletter", _("Newsletters (通信) sent")
        EMAIL = "email", _("E-mails sent")
        FEED = "feed", _("Calendar feeds fetched")
        LINE = "line", _("LINE messages sent")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("output count")
        verbose_name_plural = _("output counts")
        ordering = ["-day", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "day"], name="unique_output_count_per_kind_and_day")
        ]

    def __str__(self):
        return f"{self.day:%Y-%m-%d} {self.get_kind_display()}: {self.count}"
