"""The volunteer roster: the organisers' list and invitation, and the person's link to leave."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from areas.access import may_see_roster, roster_entries_visible_to, second_factor_required
from areas.models import AreaPage
from coordination.signups import links, services
from coordination.signups.models import RosterEntry
from coordination.signups.roster_forms import InviteForm, RosterFilterForm
from coordination.signups.selectors import roster_interests, roster_invitable_pages


def for_roster_readers(view):
    """Partners and network admins, past the second factor as for the applicants' list; others
    log in first, or get 403 when logged in and still not allowed."""

    @wraps(view)
    @second_factor_required
    def wrapper(request, *args, **kwargs):
        if not may_see_roster(request.user):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _visible(user):
    return roster_entries_visible_to(user, RosterEntry.objects.all())


def _page(request, invite=None, status=200):
    visible = _visible(request.user)
    filters = RosterFilterForm(
        request.GET,
        areas=AreaPage.objects.filter(pk__in=visible.values("areas")).order_by("code"),
        interests=roster_interests(visible),
    )
    entries = filters.filter(visible).prefetch_related("areas")
    pages = roster_invitable_pages()
    if invite is None:
        invite = InviteForm(entries=visible, pages=pages)
    chosen = {str(pk) for pk in invite.data.getlist("entries")} if invite.is_bound else set()
    context = {
        "filters": filters,
        "entries": entries,
        "invite": invite,
        "chosen": chosen,
        "has_pages": pages.exists(),
        "query": request.GET.urlencode(),
    }
    return render(request, "signups/roster.html", context, status=status)


@never_cache
@require_safe
@for_roster_readers
def roster(request):
    """The people who agreed to be told of later activities, from the areas the person serves."""
    return _page(request)


@require_POST
@for_roster_readers
def roster_invite(request):
    """One e-mail to each chosen person with the posting's link and their own link to leave."""
    invite = InviteForm(request.POST, entries=_visible(request.user), pages=roster_invitable_pages())
    if not invite.is_valid():
        return _page(request, invite, status=400)
    data = invite.cleaned_data
    count = services.roster_invite(entries=data["entries"], page=data["page"], message=data["message"])
    messages.success(
        request,
        ngettext(
            "The invitation has been sent to %(count)d person.",
            "The invitation has been sent to %(count)d people.",
            count,
        )
        % {"count": count},
    )
    query = request.GET.urlencode()
    return redirect(reverse("signups:roster") + (f"?{query}" if query else ""))


@never_cache
@require_http_methods(["GET", "POST"])
def roster_leave(request, token):
    """From the link in every roster e-mail: says what will be deleted, and deletes it on the
    button (a POST; opening the link changes nothing). Once deleted, the link says so plainly."""
    try:
        entry = links.roster_entry_from_token(token)
    except links.RosterGone:
        return render(request, "signups/roster_left.html", {"just_left": False})
    if entry is None:
        raise Http404
    if request.method == "POST":
        services.roster_leave(entry=entry)
        return render(request, "signups/roster_left.html", {"just_left": True})
    return render(request, "signups/roster_leave.html", {"entry": entry, "areas": entry.areas.all()})
