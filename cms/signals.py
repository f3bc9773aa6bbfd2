"""Receivers that keep the site search's entries in step with what is live (cms.search_index)."""

from cms.search_index import page_index, page_unindex


def page_published(sender, instance, **kwargs):
    page_index(page=instance)


def page_unpublished(sender, instance, **kwargs):
    page_unindex(page_id=instance.pk)


def page_moved(sender, instance, **kwargs):
    # Under another area, a meeting or a notice belongs to that area.
    page_index(page=instance)
