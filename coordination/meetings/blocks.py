"""The blocks of a meeting's minutes: headed sections, text, tables and what each organisation reported."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks
from wagtail.contrib.typed_table_block.blocks import TypedTableBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from common.blocks import HeadingBlock


class OrganisationReportBlock(blocks.StructBlock):
    organisation = SnippetChooserBlock("areas.PartnerOrganisation", label=_("Organisation"))
    report = blocks.TextBlock(label=_("What they reported"))

    class Meta:
        icon = "openquote"
        label = _("Report from an organisation")
        template = "meetings/blocks/organisation_report.html"


class MinutesBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(features=["bold", "italic", "ol", "ul", "link"], label=_("Paragraph"))
    table = TypedTableBlock(
        [
            ("text", blocks.CharBlock(label=pgettext_lazy("table column", "Text"))),
            ("number", blocks.DecimalBlock(label=_("Number"))),
        ],
        label=_("Table"),
    )
    report = OrganisationReportBlock()
    quote = blocks.BlockQuoteBlock(label=_("Quote"))
