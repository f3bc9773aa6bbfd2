"""つなぐ通信: monthly issues (ward-wide or for one area) with their archive, and the people who
subscribed to them by e-mail without an account."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from areas.access import public_pages
from cms.newsletter.blocks import IssueBlock
from cms.newsletter.compose import compose_items, issue_items
from common.audiences import ReachChoices


class Subscriber(ReachChoices):
    """A confirmed e-mail subscription: the address and its choices, nothing else. It exists only
    once its owner opened the confirmation link; unsubscribing deletes it (and what was sent)."""

    email = models.EmailField(_("e-mail address"), unique=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), default=timezone.now)

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ["pk"]

    def __str__(self):
        return self.email


class NewsletterIndexPage(Page):
    """The archive of every issue, newest first."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["newsletter.NewsletterIssuePage"]
    max_count = 1

    class Meta:
        verbose_name = _("newsletter archive")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        issues = public_pages(NewsletterIssuePage.objects.live().child_of(self))
        context["issues"] = issues.select_related("area").order_by("-month", "area__title", "pk")
        return context


class NewsletterIssuePage(Page):
    """One month's issue. Saved with nothing in it, it fills itself with the month's events and
    the open volunteer recruitment of its area (`compose`); the editor then cuts, orders and adds
    their own words. Published, it is a web page, an e-mail to the matching subscribers (once
    each) and a two-sided A4 PDF for the circular and notice boards."""

    month = models.DateField(_("month"), help_text=_("Any day of the month the issue is for."))
    area = models.ForeignKey(
        "areas.AreaPage",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("area"),
        help_text=_("Empty: the ward-wide issue, for every subscriber."),
    )
    introduction = models.TextField(_("introduction"), blank=True)
    body = StreamField(
        IssueBlock(),
        verbose_name=_("contents"),
        blank=True,
        help_text=_("Leave empty and save: the month's events and the open recruitment are put in for you."),
    )
    send_email = models.BooleanField(
        _("send the e-mail edition when published"),
        default=True,
        help_text=_("Each subscriber of the area gets it once, however often the issue is published."),
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("month"), FieldPanel("area")], heading=_("Issue")),
        FieldPanel("introduction"),
        FieldPanel("body"),
        FieldPanel("send_email"),
    ]
    search_fields = Page.search_fields + [index.SearchField("introduction"), index.SearchField("body")]
    parent_page_types = ["newsletter.NewsletterIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")

    def clean(self):
        """Run by the admin's form and by every save and revision: an issue left empty is composed
        here, before its revision is written, so the draft the editor opens holds the items."""
        super().clean()
        if self.month:
            self.month = self.month.replace(day=1)
            if not self.body:
                self.body = compose_items(self.month, self.area)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["items"] = issue_items(self, "tsushin_web")
        return context


class IssueEmail(models.Model):
    """The e-mail edition of an issue went to a subscriber: written in the same transaction as
    the outbox's message, unique, so that no subscriber gets an issue twice."""

    issue = models.ForeignKey(NewsletterIssuePage, on_delete=models.CASCADE, related_name="emails")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="issues")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issue", "subscriber"], name="one_email_per_issue")]

    def __str__(self):
        return f"{self.issue_id} → {self.subscriber_id}"
