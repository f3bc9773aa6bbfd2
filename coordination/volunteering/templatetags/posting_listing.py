"""What the ward-wide list of postings shows, asked for by its template.

The page model cannot ask the listing itself: the listing reads the page models.
"""

from django import template

from coordination.volunteering.listing import PostingFilter, open_postings

register = template.Library()


@register.simple_tag(takes_context=True)
def posting_search(context):
    """The filter form as the visitor filled it in, and the open postings that match it."""
    form = PostingFilter(context["request"].GET)
    filters = form.cleaned_data if form.is_valid() else {}
    return {"form": form, "postings": open_postings(**filters)}
