"""The blocks of a 通信 issue: the events and openings it picks, and the editors' own words."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks


class EventItemBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(page_type="events.EventPage", label=_("Event"))
    note = blocks.CharBlock(required=False, max_length=200, label=_("Note (optional)"))

    class Meta:
        icon = "date"
        label = _("Event")


class PostingItemBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(
        page_type="volunteering.VolunteerPostingPage", label=_("Volunteer opening or recruitment")
    )
    note = blocks.CharBlock(required=False, max_length=200, label=_("Note (optional)"))

    class Meta:
        icon = "group"
        label = _("Volunteer opening or recruitment")


class IssueBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(max_length=80, label=_("Heading"), icon="title")
    text = blocks.TextBlock(label=pgettext_lazy("newsletter block", "Text"), icon="pilcrow")
    event = EventItemBlock()
    posting = PostingItemBlock()

    class Meta:
        block_counts = {}
