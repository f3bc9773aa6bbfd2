"""Template filters and tags shared by every app: Japanese dates, dictionary look-ups, page sections."""

from django import template

from common import dates, pdf

register = template.Library()

# {{ day|ja_date }}, {{ moment|ja_datetime }}, {{ moment|ja_time }},
# {{ start|ja_time_range:end }} and {{ start|ja_datetime_range:end }}: see common.dates.
register.filter("ja_date", dates.ja_date)
register.filter("ja_datetime", dates.ja_datetime)
register.filter("ja_time", dates.ja_time)
register.filter("ja_time_range", dates.ja_time_range)
register.filter("ja_datetime_range", dates.ja_datetime_range)
# {{ months|age_in_years }}: 15 → 1歳3か月.
register.filter("age_in_years", dates.age_in_years)


@register.filter
def get_item(mapping, key):
    """`mapping|get_item:key`: a dictionary's value in a template, or None."""
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def render_section(context, section):
    """Render a registered section (areas.sections.Section) with the page's context and its own."""
    with context.push(**section.context):
        return context.template.engine.get_template(section.template).render(context)


# {{ heading|keep_words }}: words and brackets that never break inside, so that a narrow column's
# heading wraps between words, never one character a line (common.pdf.keep_words).
register.filter("keep_words", pdf.keep_words)
