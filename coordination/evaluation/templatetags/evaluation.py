from django import template

from coordination.evaluation.document import document_layout

register = template.Library()


@register.simple_tag
def evaluation_layout(document):
    """The document's blocks, for the admin's preview of a draft."""
    return document_layout(document)
