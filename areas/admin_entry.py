"""Who gets through which door of the admin.

Wagtail has no hook before its chooser, workflow and report views, and URLs added with
`register_admin_urls` come after its own, so they cannot replace them. These checks therefore sit
in middleware, on the admin view Django has resolved, and answer as the admin itself would.
"""

from django.apps import apps
from django.shortcuts import render
from django.urls import reverse
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from areas.access import documents_visible_in_admin, is_network_admin, pages_visible_in_admin

#: Admin views Wagtail opens to everyone (its log-in, password reset and static helpers).
OPEN_VIEWS = {"wagtailadmin_login", "wagtailadmin_sprite", "wagtailadmin_javascript_catalog"}
#: The URL arguments by which Wagtail's admin views name a page.
PAGE_ARGUMENTS = ("page_id", "parent_page_id", "page_to_move_id", "destination_id", "page_pk")
#: The page types report names the latest edited page of every type, in any area.
NETWORK_ADMIN_VIEWS = {
    "wagtailadmin_reports:page_types_usage",
    "wagtailadmin_reports:page_types_usage_results",
}


def _admin_view(request) -> str | None:
    """The name of the admin view being opened, or None outside the admin."""
    if not request.path.startswith(reverse("wagtailadmin_home")):
        return None
    return request.resolver_match.view_name


def _is_partner(user) -> bool:
    return user.has_perm("wagtailadmin.access_admin")


class NonPartnerAdminMiddleware:
    """A logged-in person who is not a partner learns what the admin is and how to be invited.

    Wagtail sends them to log in, and the log-in page sends a logged-in person back to the
    admin, until the browser gives up.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        name = _admin_view(request)
        if name is None or name in OPEN_VIEWS or name.startswith("wagtailadmin_password_reset"):
            return None
        if request.user.is_authenticated and not _is_partner(request.user):
            return render(request, "areas/admin_not_a_partner.html", status=403)
        return None


class AdminPageVisibilityMiddleware:
    """An admin address naming a page the person may not see is refused, as Wagtail refuses.

    Some of Wagtail's views name the page they are given before checking, or without checking,
    that the person may work on it: the chooser shows the page it browses and the one "chosen",
    the workflow preview and actions say the page is not awaiting moderation, the move
    confirmation shows the page to move. One rule for every view that takes a page in its URL.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        name = _admin_view(request)
        user = request.user
        if name is None or not (user.is_authenticated and _is_partner(user)):
            return None
        if name in NETWORK_ADMIN_VIEWS and not is_network_admin(user):
            return permission_denied(request)
        if name == "wagtail_bulk_action":
            _narrow_bulk_action(request, view_kwargs)
            return None
        page_ids = {view_kwargs[argument] for argument in PAGE_ARGUMENTS if argument in view_kwargs}
        if name == "wagtailadmin_choose_page_chosen_multiple":
            page_ids |= {int(value) for value in request.GET.getlist("id") if value.isdigit()}
        if page_ids:
            visible = pages_visible_in_admin(user, Page.objects.filter(pk__in=page_ids))
            if visible.count() < len(page_ids):
                return permission_denied(request)
        return None


def _visible_in_admin(user, model, queryset):
    """The rule of the access module for the objects a bulk action names, by what they are."""
    if issubclass(model, Page):
        return pages_visible_in_admin(user, queryset)
    if issubclass(model, (get_document_model(), get_image_model())):
        return documents_visible_in_admin(user, queryset)
    return queryset


def _narrow_bulk_action(request, view_kwargs) -> None:
    """A bulk action names its objects in the query string (`?id=…`, or `?id=all&childOf=…` for
    a whole listing) and lists by title those the person may not act on. Leave in the query only
    the objects the person may see, so neither the confirmation page nor the action names the
    others."""
    named = request.GET.getlist("id")
    if not named:
        return
    try:
        model = apps.get_model(view_kwargs["app_label"], view_kwargs["model_name"])
    except LookupError:
        return  # Wagtail answers 404
    action = bulk_action_registry.get_bulk_action_class(
        view_kwargs["app_label"], view_kwargs["model_name"], view_kwargs["action"]
    )
    if action is None:
        return
    if "all" in named:
        ids = list(action(request, model).get_all_objects_in_listing_query(request.GET.get("childOf")))
    else:
        ids = [int(value) for value in named if value.isdigit()]
    queryset = model._default_manager.filter(pk__in=ids)
    visible = _visible_in_admin(request.user, model, queryset).values_list("pk", flat=True)
    query = request.GET.copy()
    query.setlist("id", [str(pk) for pk in sorted(visible)])
    request.GET = query
    request.META["QUERY_STRING"] = query.urlencode()
