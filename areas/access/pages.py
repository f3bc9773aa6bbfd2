"""Who may view a page, on the site and in the admin, and who may edit it.

Viewing is Wagtail's view restrictions on the page and its ancestors, by Wagtail's own rules (a
group restriction lets in its groups' members and superusers, a log-in restriction everyone logged
in, a password restriction whoever typed it), so the page URL, search, the area's listings, the
exports and the admin agree. Editing is Wagtail's page permission policy (the groups memberships
give, areas/permissions.py), plus, for the page types that opt in with `EditedByOrganisers`
(events), the members of the page's organisers wherever the page lives.
"""

from functools import reduce
from operator import or_

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Substr
from django.db.models.lookups import In
from wagtail.models import Page, PagePermissionTester, PageViewRestriction, get_page_models
from wagtail.permissions import policy_registry

from areas.access.people import (
    PRIVILEGED_GROUP_KINDS,
    groups_of,
    is_member_of,
    is_network_admin,
    is_superuser,
    is_without_second_factor,
)
from areas.models import Membership

# ---------------------------------------------------------------------------
# Viewing


class Reader:
    """The person reading, their groups loaded once, to check many pages' view restrictions."""

    def __init__(self, request):
        self.request = request
        user = request.user
        self.is_superuser = is_superuser(user)
        self.group_ids = set(groups_of(user).values_list("pk", flat=True))

    def may_view_page(self, page, restrictions=None) -> bool:
        """Whether the page is live and its view restrictions let the reader in.

        `restrictions`: the ones to check when the caller loaded them already, with their groups
        (search loads those of every result and its ancestors at once; a listing under a page the
        reader is on, each page's own); by default the page's own and its ancestors'.
        """
        if not page.live:
            return False
        if restrictions is None:
            restrictions = page.get_view_restrictions().prefetch_related("groups")
        return not self.refusing_restrictions(restrictions)

    def refusing_restrictions(self, restrictions) -> list:
        """The view restrictions (of pages or of collections) that keep the reader out: Wagtail's
        rules, with the groups and superuser status the reader holds in this session."""
        return [restriction for restriction in restrictions if not self._passes(restriction)]

    def _passes(self, restriction) -> bool:
        if restriction.restriction_type == PageViewRestriction.GROUPS:
            allowed = {group.pk for group in restriction.groups.all()}
            return self.is_superuser or bool(allowed & self.group_ids)
        return restriction.accept_request(self.request)


def may_view_page(request, page) -> bool:
    """Whether the page is live and its view restrictions (its own and its ancestors') let the
    reader in. It takes the request: a password restriction is passed per session."""
    return Reader(request).may_view_page(page)


def refusing_restrictions(request, restrictions) -> list:
    """The restrictions of `restrictions` (a page's or a collection's) that keep the reader out."""
    return Reader(request).refusing_restrictions(restrictions)


def pages_visible_on_site(request, queryset, *, through: str = ""):
    """The pages of `queryset` the reader may view on the site, as one query: `may_view_page` for
    every page at once, so search counts and pages only what the reader may open. With `through`
    (e.g. "page"), `queryset` holds rows of another model and the page is the one at that field.

    Each row looks its page's ancestors up among the restrictions refusing the reader, by path
    (treebeard's paths, 4 characters a level), at the depths restricted pages are at only: one
    or two lookups in the path index a row, asked only of the rows the other filters kept, where
    a filter on the whole page tree cost 0.2 s a search on 20,000 pages on SQLite.
    """
    if through:
        # Asked of each row through its page's id, so the database matches the rows first and
        # looks their pages up after: joined to the page table, SQLite walked every page and
        # asked its restrictions before looking at the row (0.1 s a search at 20,000 pages).
        pages = _visible_pages(request, Page.objects.filter(pk=OuterRef(f"{through}_id")))
        return queryset.filter(Exists(pages))
    return _visible_pages(request, queryset)


def _visible_pages(request, queryset):
    user = request.user
    passed = request.session.get(PageViewRestriction.passed_view_restrictions_session_key, [])
    refusing = Q(restriction_type=PageViewRestriction.PASSWORD) & ~Q(pk__in=passed)
    if not user.is_authenticated:
        refusing |= Q(restriction_type__in=[PageViewRestriction.LOGIN, PageViewRestriction.GROUPS])
    elif not is_superuser(user):
        refusing |= Q(restriction_type=PageViewRestriction.GROUPS) & ~_opened_by_groups_of(user)
    live = queryset.filter(live=True)
    depths = _restricted_depths()
    if not depths:
        return live
    path = OuterRef("path")
    above = [Substr(path, 1, STEP * depth) for depth in depths]
    refused_here = PageViewRestriction.objects.filter(refusing, page__path__in=above)
    return live.filter(~Exists(refused_here))


#: The length of one level of treebeard's paths.
STEP = 4


def _restricted_depths() -> list[int]:
    """The depths of the tree that have restricted pages (meetings are all at one depth): an
    ancestor of a page can only be restricted at one of them. One small query on the
    restrictions, whoever reads."""
    depths = PageViewRestriction.objects.order_by().values_list("page__depth", flat=True).distinct()
    return sorted(depths)


def _opened_by_groups_of(user):
    """Whether one of the person's groups is among the outer restriction's groups (a lookup by
    restriction in the restriction-group table)."""
    through = PageViewRestriction.groups.through
    held = through.objects.filter(pageviewrestriction=OuterRef("pk"), group__user=user)
    if is_without_second_factor(user):
        held = held.exclude(group__managed__kind__in=PRIVILEGED_GROUP_KINDS)
    return Exists(held)


def _pages_under(restrictions):
    """The ids of the pages of `restrictions` and of every page below them, as one subquery that
    does not depend on the outer page, so the database reads it once (PostgreSQL hashes it).

    A page is below a restricted page when its path starts with that page's path (treebeard's
    paths, 4 characters a level): each page's prefix at the depths the restricted pages are at
    is looked up in their paths, so the cost grows with the pages plus the restrictions, not
    with their product. Those depths are read first (meetings are all at one depth): a lookup
    per level of the tree made the plan costly enough for PostgreSQL to compile it (JIT), 0.4 s
    a query on 20,000 pages.
    """
    depths = restrictions.order_by().values_list("page__depth", flat=True).distinct()
    paths = restrictions.values("page__path")
    under = [Q(In(Substr("path", 1, 4 * depth), paths)) for depth in sorted(depths)]
    if not under:
        return Page.objects.none().values("pk")
    return Page.objects.filter(reduce(or_, under)).values("pk")


#: How deep a restricted page above a page is looked for: the site's tree is 5 levels deep (root,
#: home, the area index, an area, a meeting); treebeard's paths take 4 characters a level.
RESTRICTION_DEPTH = 16


def _ancestor_paths():
    """The paths of the outer query's page and its ancestors: its path's prefixes, 4 characters a
    level (treebeard's steps), as expressions for a subquery."""
    return [Substr(OuterRef("path"), 1, 4 * level) for level in range(1, RESTRICTION_DEPTH + 1)]


def public_pages(queryset):
    """The pages of `queryset` with no view restriction on them or their ancestors, as Wagtail's
    `.public()` but in one subquery: Wagtail writes one OR per restricted page, which SQLite
    refuses past about a thousand and which grows with every meeting on PostgreSQL. Here each
    page looks up its own ancestors' paths (its path's prefixes) in the path index."""
    restricted_above = Page.objects.filter(path__in=_ancestor_paths(), view_restrictions__isnull=False)
    return queryset.filter(~Exists(restricted_above))


def is_public_page(page) -> bool:
    """Whether no view restriction is on `page` or its ancestors: `public_pages` for one page
    already loaded. Its ancestors' paths are its own path's prefixes (4 characters a level), so
    this is one indexed lookup, without the correlated subquery the ORM takes long to build."""
    paths = [page.path[:step] for step in range(4, len(page.path) + 1, 4)]
    return not Page.objects.filter(path__in=paths, view_restrictions__isnull=False).exists()


def may_view_invitation_only(request, page, taking_part) -> bool:
    """Whether the reader gets the page's invitation view instead of the 403 page: kept out by the
    page's own group restriction alone (an ancestor's restriction or a password still answers as
    usual), yet a member of one of the organisations taking part (`taking_part`: for a meeting,
    those invited or owning one of its action items)."""
    refused = refusing_restrictions(request, page.get_view_restrictions().prefetch_related("groups"))
    if not refused:
        return False
    own = all(r.page_id == page.pk and r.restriction_type == PageViewRestriction.GROUPS for r in refused)
    return own and is_member_of(request.user, taking_part)


# ---------------------------------------------------------------------------
# Editing


def may_edit_page(user, page) -> bool:
    """Wagtail's answer in the editor: the groups' page permissions, and the organisers' rule of
    page types that are `EditedByOrganisers`."""
    if not user.is_authenticated or is_without_second_factor(user):
        return False  # the editor is the admin's, which asks privileged people for the code first
    return page.permissions_for_user(user).can_edit()


class EditedByOrganisers:
    """Mixin for page models whose organisers (an `organisers` many-to-many of organisations) may
    all edit the page, wherever it lives: a joint event of a nursery of area A and a kindergarten
    of area B sits under area A, and the kindergarten's people edit it too."""

    def permissions_for_user(self, user):
        return OrganisersPagePermissionTester(user, self)


class OrganisersPagePermissionTester(PagePermissionTester):
    """Wagtail's tester, plus "edit" for members (any role) of the page's organisers.

    That is all they get: publishing, unpublishing, deleting, moving, locking and privacy stay
    with the groups of the area the page is under, whose coordinators approve what an organiser
    from elsewhere submits.
    """

    def can_edit(self):
        if super().can_edit():
            return True
        return self.user.is_active and not self.page_is_root and self.page.pk in organised_page_ids(self.user)

    def can_submit_for_moderation(self):
        # Wagtail asks only whether a workflow applies; the editor has checked can_edit() first.
        # Saying it here too keeps the rule in one place for anyone calling the tester directly.
        return self.can_edit() and super().can_submit_for_moderation()


#: Per request (the user object lives as long as the request), like Wagtail's own permission cache.
_ORGANISED_CACHE = "_tsunagu_organised_page_ids"


def organised_page_ids(user) -> frozenset[int]:
    """Ids of the `EditedByOrganisers` pages organised by the person's organisations.

    The organisers are read from the database, not from a draft being edited: for a live page a
    change of organisers gives or takes editing rights once it is published. One query per such
    page type and request.
    """
    if not (user.is_authenticated and user.is_active):
        return frozenset()
    cached = getattr(user, _ORGANISED_CACHE, None)
    if cached is None:
        organisations = Membership.objects.filter(user=user).values("organisation_id")
        models = [model for model in get_page_models() if issubclass(model, EditedByOrganisers)]
        cached = frozenset(
            pk
            for model in models
            for pk in model.objects.filter(organisers__in=organisations).values_list("pk", flat=True)
        )
        setattr(user, _ORGANISED_CACHE, cached)
    return cached


# ---------------------------------------------------------------------------
# The admin


def _refusing_restrictions(user):
    """View restrictions that keep this logged-in person out; a password restriction is kept
    closed, the admin being no place to type the password."""
    return PageViewRestriction.objects.filter(
        Q(restriction_type=PageViewRestriction.PASSWORD)
        | (Q(restriction_type=PageViewRestriction.GROUPS) & ~_opened_by_groups_of(user))
    )


def _visible_page_ids(user):
    on_the_site = Q(live=True) & ~Q(pk__in=_pages_under(_refusing_restrictions(user)))
    editable = policy_registry.get_by_type(Page).instances_user_has_permission_for(user, "change")
    may_edit = Q(pk__in=editable.values("pk")) | Q(pk__in=organised_page_ids(user))
    return Page.objects.filter(on_the_site | may_edit).values("pk")


def pages_visible_in_admin(user, queryset):
    """The pages of `queryset` that the person may see in the admin (its choosers, explorer,
    reports and workflows): those they may view on the site and those they may edit. So another
    area's drafts and its meetings for its own partners are left out; network admins and
    superusers see every page."""
    if not (user.is_authenticated and user.is_active):
        return queryset.none()
    if is_network_admin(user):
        return queryset
    # Filtered by id: the choosers and the explorer hand this queryset to the search backend,
    # which accepts plain filters only (Wagtail's own page search filters the same way).
    return queryset.filter(pk__in=_visible_page_ids(user))


def documents_visible_in_admin(user, queryset):
    """The documents (or images) of `queryset` the person may see in the admin: those of the
    collections where they may choose or change them, as Wagtail's listings and choosers show;
    network admins see all. Another area's private attachments are not named, even by title."""
    if not (user.is_authenticated and user.is_active):
        return queryset.none()
    if is_network_admin(user):
        return queryset
    policy = policy_registry.get_by_type(queryset.model)
    permitted = policy.instances_user_has_any_permission_for(user, ["choose", "change"])
    return queryset.filter(pk__in=permitted.values("pk"))
