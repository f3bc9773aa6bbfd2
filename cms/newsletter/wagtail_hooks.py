"""The newsletter in the admin and in the yearly report: the PDF beside an issue, and its
issues and e-mails counted as ③ information work (`coordination.activity.reach`)."""

from django.db.models import Q
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem

from cms.newsletter.models import NewsletterIssuePage
from common.fiscal import fiscal_year_range
from coordination.activity.reach import INFORMATION_WORK


class IssuePdfMenuItem(PageMenuItem):
    """「回覧用PDF」 in a live issue's header and listing menus."""

    icon_name = "doc-full"
    url_name = "newsletter:pdf"

    def is_shown(self, user):
        return isinstance(self.page.specific_deferred, NewsletterIssuePage) and self.page.live


@hooks.register("register_page_header_buttons")
def issue_pdf_header_button(page, user, view_name, next_url=None):
    yield IssuePdfMenuItem(label=_("PDF for the circular"), page=page, priority=69)


@hooks.register("register_page_listing_more_buttons")
def issue_pdf_listing_button(page, user, next_url=None):
    yield IssuePdfMenuItem(label=_("PDF for the circular"), page=page, priority=56)


@hooks.register(INFORMATION_WORK)
def newsletter_sent(fiscal_year: int, areas):
    """通信 issues published for the year's months (of `areas`, with the ward-wide ones). Its e-mails
    are counted where every e-mail is, by the outbox, under their own kind (「通信のメール配信数」),
    so that they are neither in two rows nor lost when a subscriber's records are deleted."""
    first, last = fiscal_year_range(fiscal_year)
    issues = NewsletterIssuePage.objects.live().filter(month__range=(first, last))
    if areas is not None:
        issues = issues.filter(Q(area__in=areas) | Q(area__isnull=True))
    return [(_("通信 issues published"), issues.count())]
