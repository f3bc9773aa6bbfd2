"""Template filters and tags shared by every app: Japanese dates, dictionary look-ups, page sections."""

from django import template

from common import dates

register = template.Library()

register.filter("ja_date", dates.ja_date)
register.filter("ja_datetime", dates.ja_datetime)


@register.filter
def get_item(mapping, key):
    """`mapping|get_item:key`: a dictionary's value in a template, or None."""
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def render_section(context, section):
    """Render a registered section (areas.sections.Section) with the page's context and its own."""
    with context.push(**section.context):
        return context.template.engine.get_template(section.template).render(context)
