"""The minutes on a plain form, and their approval on a plain page with a confirmation step.

Both pages are private answers (never stored by a cache) and are asked of `areas.access`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from areas.access import may_approve_page, may_write_minutes, second_factor_required
from coordination.meetings.forms_minutes import ActionItemRows, MinutesForm
from coordination.meetings.models import MeetingPage
from coordination.meetings.selectors import close_out_choices
from coordination.meetings.services_minutes import (
    list_to_lines,
    minutes_approve,
    minutes_draft,
    minutes_save,
    minutes_send_back,
    minutes_to_text,
)


def _private(response):
    patch_cache_control(response, private=True, no_store=True)
    return response


def _meeting(pk) -> MeetingPage:
    return get_object_or_404(MeetingPage.objects.specific(), pk=pk)


def _initial(page):
    minutes = {
        "agenda": list_to_lines(page.agenda),
        # Until attendance is recorded, those invited are ticked: untick who did not come.
        "organisations": list(page.attending_organisations.all() or page.invited_organisations.all()),
        "attendees": page.attendees,
        "minutes": minutes_to_text(page.minutes),
        "decisions": list_to_lines(page.decisions),
    }
    rows = [
        {
            "pk": item.pk,
            "description": item.description,
            "owner": item.owner,
            "due": item.due,
            "status": item.status,
        }
        for item in page.action_items.all()
    ]
    return minutes, rows


@login_required
@second_factor_required
def write_minutes(request, pk):
    """Agenda, attendance, minutes, decisions and action items; 「承認を依頼する」 submits them."""
    meeting = _meeting(pk)
    if not may_write_minutes(request.user, meeting):
        raise PermissionDenied
    draft = minutes_draft(meeting)
    choices = close_out_choices(meeting)
    initial, rows = _initial(draft.page)
    data = request.POST if request.method == "POST" else None
    form = MinutesForm(data, initial=initial, choices=choices)
    row_kwargs = {"owners": choices, "meeting_day": timezone.localtime(meeting.start).date()}
    if data is None:
        formset = ActionItemRows(initial=rows, prefix="items", form_kwargs=row_kwargs)
        formset.extra = 1
    elif "add_row" in data:
        # Everything typed stays; one empty row more.
        formset = ActionItemRows(
            _with_one_more_row(data), initial=rows, prefix="items", form_kwargs=row_kwargs
        )
    else:
        formset = ActionItemRows(data, initial=rows, prefix="items", form_kwargs=row_kwargs)
    if data and "add_row" not in data and form.is_valid() & formset.is_valid():
        submit = "submit" in data and meeting.get_workflow() is not None
        filled = [row.cleaned_data for row in formset.forms if row.is_filled]
        minutes_save(
            meeting=meeting,
            user=request.user,
            data=form.cleaned_data,
            changed=set(form.changed_data),
            rows=filled,
            submit=submit,
        )
        if submit:
            messages.success(request, _("Sent for approval. The coordinators have been told."))
        else:
            messages.success(request, _("Saved as a draft. Nothing is published yet."))
        return redirect("dashboard")
    context = {
        "meeting": meeting,
        "draft": draft,
        "form": form,
        "formset": formset,
        "may_submit": meeting.get_workflow() is not None,
    }
    return _private(TemplateResponse(request, "meetings/minutes_form.html", context))


def _with_one_more_row(data):
    data = data.copy()
    data["items-TOTAL_FORMS"] = str(int(data.get("items-TOTAL_FORMS", "0") or 0) + 1)
    return data


@login_required
@second_factor_required
def review_minutes(request, pk):
    """The submitted minutes, read in full, then 「承認して公開」 or 「修正を依頼」, each confirmed."""
    meeting = _meeting(pk)
    if not may_approve_page(request.user, meeting):
        raise PermissionDenied
    draft = minutes_draft(meeting)
    action = request.POST.get("action") if request.method == "POST" else None
    comment = request.POST.get("comment", "").strip()[:2000]
    error = ""
    if action == "send_back" and not comment:
        error = _("Please write what should be changed, so the writer knows.")
        action = None
    if action in ("approve", "send_back") and request.POST.get("confirmed") == "yes":
        if action == "approve":
            minutes_approve(meeting=meeting, user=request.user)
            messages.success(request, _("Approved and published: %(title)s") % {"title": meeting.title})
        else:
            minutes_send_back(meeting=meeting, user=request.user, comment=comment)
            messages.success(request, _("Sent back for changes: %(title)s") % {"title": meeting.title})
        return redirect("dashboard")
    context = {
        "meeting": meeting,
        "page": draft.page,
        "requested_by": meeting.current_workflow_state.requested_by,
        "confirming": action,
        "comment": comment,
        "error": error,
    }
    return _private(TemplateResponse(request, "meetings/review_minutes.html", context))
