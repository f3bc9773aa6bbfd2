"""A meeting's invitation view, its close-out after it, and quick changes to its action items
made by their owners."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from areas.access import (
    may_close_out_meeting,
    may_mark_action_item_done,
    may_view_invitation_only,
    second_factor_required,
)
from coordination.meetings import services
from coordination.meetings.forms import CloseOutForm
from coordination.meetings.models import ActionItem, MeetingPage
from coordination.meetings.selectors import close_out_choices, invitation_for, open_action_items, taking_part


def invitation(request, meeting: MeetingPage) -> TemplateResponse | None:
    """The invitation view for someone taking part in a meeting they may not read, or None to let
    the page's restriction answer. Never stored by a cache: the answer depends on who asks."""
    if request.method not in ("GET", "HEAD"):
        return None
    if not may_view_invitation_only(request, meeting, taking_part(meeting)):
        return None
    context = {"invitation": invitation_for(meeting=meeting, user=request.user)}
    response = TemplateResponse(request, "meetings/meeting_invitation.html", context)
    patch_cache_control(response, private=True, no_store=True)
    return response


def dashboard_action_items(user) -> list[ActionItem]:
    """The person's open action items across areas: overdue first, then by due date (one query)."""
    overdue_first = Case(
        When(due__lt=timezone.localdate(), then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return list(
        open_action_items(user=user)
        .annotate(overdue_first=overdue_first)
        .order_by("overdue_first", "due", "pk")
    )


@login_required
@require_POST
def action_item_done(request, pk):
    """Mark one action item done on the live meeting, and record who did it in the audit log."""
    item = get_object_or_404(ActionItem.objects.select_related("meeting", "owner"), pk=pk)
    if not may_mark_action_item_done(request.user, item):
        raise PermissionDenied
    services.mark_action_item_done(item=item, user=request.user)
    messages.success(request, _("Marked as done: %(item)s") % {"item": item.description})
    return redirect("dashboard")


@login_required
@second_factor_required
def close_out(request, pk):
    """After the meeting, on a phone: who came, how many, a short report; into the ledger."""
    meeting = get_object_or_404(MeetingPage.objects.live().specific(), pk=pk)
    if not may_close_out_meeting(request.user, meeting):
        raise PermissionDenied
    try:
        session = services.meeting_session(meeting)
    except ValidationError as error:  # its fiscal year is closed for entry
        messages.error(request, " ".join(error.messages))
        return redirect(meeting.url)
    initial = {
        "organisations": list(meeting.attending_organisations.all()),
        "people": session.adults if session.is_recorded else None,
        "report": session.note,
    }
    form = CloseOutForm(request.POST or None, initial=initial, choices=close_out_choices(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_close_out(meeting=meeting, user=request.user, **form.cleaned_data)
        except ValidationError as error:  # its fiscal year is closed for entry: nothing typed is lost
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you. The meeting is closed out."))
            return redirect(meeting.url)
    context = {"meeting": meeting, "form": form, "closed_out": session.is_recorded}
    response = TemplateResponse(request, "meetings/close_out.html", context)
    patch_cache_control(response, private=True, no_store=True)
    return response
