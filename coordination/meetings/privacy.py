"""Who may read a meeting, enforced with Wagtail's own view restrictions.

A meeting's live visibility decides a PageViewRestriction on the page (so page URL,
search, sitemap and preview all agree) and the collection its attachments live in,
whose CollectionViewRestriction guards the document download URL.

Who is in the groups is the access module's partner definition (`areas.access.partner_groups`);
this module only keeps the restrictions in step with each meeting's visibility.
"""

from django.contrib.auth.models import Group, Permission
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    GroupCollectionPermission,
    PageViewRestriction,
)

from areas.access import partner_groups
from areas.models import AreaPage
from areas.permissions import area_groups
from coordination.meetings.models import MeetingPage, Visibility

ATTACHMENTS_COLLECTION = "会議の添付資料"


def reader_groups(meeting: MeetingPage) -> list[Group] | None:
    """The groups that may read the meeting, or None when everyone may: the area's partners, or
    the network's."""
    visibility = meeting.visibility
    if visibility == Visibility.PUBLIC:
        return None
    area = meeting.area
    if visibility == Visibility.AREA and area is not None:
        return partner_groups(area)
    return partner_groups()


def _restrict(obj_restrictions, groups, create):
    existing = obj_restrictions.first()
    if groups is None:
        obj_restrictions.delete()
        return
    if existing is None or existing.restriction_type != PageViewRestriction.GROUPS:
        obj_restrictions.delete()
        existing = create()
    existing.groups.set(groups)


def sync_page_restriction(meeting: MeetingPage) -> None:
    """Make the page's view restriction match its visibility."""
    groups = reader_groups(meeting)
    _restrict(
        PageViewRestriction.objects.filter(page=meeting),
        groups,
        lambda: PageViewRestriction.objects.create(page=meeting, restriction_type=PageViewRestriction.GROUPS),
    )


def _collection(name: str, groups) -> Collection:
    """A child of the attachments collection, restricted to the given groups (None: public)."""
    root = Collection.get_first_root_node()
    parent = root.get_children().filter(name=ATTACHMENTS_COLLECTION).first()
    if parent is None:
        parent = root.add_child(name=ATTACHMENTS_COLLECTION)
    collection = parent.get_children().filter(name=name).first() or parent.add_child(name=name)
    _restrict(
        CollectionViewRestriction.objects.filter(collection=collection),
        groups,
        lambda: CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.GROUPS
        ),
    )
    return collection


def area_collection(area: AreaPage) -> Collection:
    """Where an area's partners upload attachments: readable by that area's partners only."""
    collection = _collection(area.code, partner_groups(area))
    partners = area_groups(area)[0]
    for codename in ("add_document", "change_document", "choose_document"):
        permission = Permission.objects.get(content_type__app_label="wagtaildocs", codename=codename)
        GroupCollectionPermission.objects.get_or_create(
            group=partners, collection=collection, permission=permission
        )
    return collection


def attachments_collection(meeting: MeetingPage) -> Collection:
    """The collection for this meeting's attachments: its area's, network-wide, or public."""
    area = meeting.area
    if meeting.visibility == Visibility.AREA and area is not None:
        return area_collection(area)
    name = "公開" if meeting.visibility == Visibility.PUBLIC else "ネットワーク内"
    return _collection(name, reader_groups(meeting))


def file_attachments(meeting: MeetingPage) -> None:
    """Move the meeting's attachments into the collection that matches who may read it."""
    collection = attachments_collection(meeting)
    for attachment in meeting.attachments.select_related("document"):
        if attachment.document.collection_id != collection.pk:
            attachment.document.collection = collection
            attachment.document.save(update_fields=["collection"])
