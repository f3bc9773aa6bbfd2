import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from areas.access import is_session_recorder, may_edit_page, may_record_headcount, may_record_training_outcome
from common.links import channel_url
from coordination.activity.forms import HeadcountForm, TrainingOutcomeForm
from coordination.activity.models import ProgrammeType, Session
from coordination.activity.selectors import registered_for, sessions_to_record, took_part_for
from coordination.activity.services import headcount_record, training_outcome_record
from coordination.activity.surveys import SurveyPage

TO_RECORD_PER_PAGE = 50


@login_required
def headcount(request, pk):
    """Record how many came to a session, on a phone at the venue or later from the sign-in sheet.

    A session whose page takes registrations starts from the places taken, counted afresh until
    the headcount is recorded and kept as it was then."""
    session = get_object_or_404(Session.objects.select_related("programme_type"), pk=pk)
    if not may_record_headcount(request.user, session):
        raise PermissionDenied
    registered = session.registered if session.is_recorded else registered_for(session)
    form = HeadcountForm(request.POST or None, instance=session, registered=registered)
    if request.method == "POST" and form.is_valid():
        counts = {name: form.cleaned_data[name] for name in form.fields}
        headcount_record(session=session, user=request.user, registered=registered, **counts)
        messages.success(request, _("The headcount of %(title)s is recorded.") % {"title": session.title})
        return redirect("dashboard")
    return render(request, "activity/headcount.html", {"session": session, "form": form})


@login_required
def to_record(request):
    """記録待ち: every held session the person may record that has no headcount yet, in every
    fiscal year still open for entry, the latest first, each one tap from its headcount form."""
    if not is_session_recorder(request.user):
        raise PermissionDenied
    pages = Paginator(sessions_to_record(request.user), TO_RECORD_PER_PAGE)
    found = pages.get_page(request.GET.get("page"))
    context = {"sessions": found, "count": pages.count}
    return render(request, "activity/to_record.html", context)


@login_required
def training_outcome(request, pk):
    """After a training session (研修): how many completed it, and later how many of them
    registered with 横浜子育てサポートシステム; numbers only, on a phone in half a minute."""
    session = get_object_or_404(
        Session.objects.select_related("programme_type"),
        pk=pk,
        programme_type__kind=ProgrammeType.Kind.TRAINING,
    )
    if not may_record_training_outcome(request.user, session):
        raise PermissionDenied
    form = TrainingOutcomeForm(request.POST or None, instance=session, took_part=took_part_for(session))
    if request.method == "POST" and form.is_valid():
        training_outcome_record(session=session, **form.cleaned_data)
        messages.success(
            request, _("The outcome of the training %(title)s is recorded.") % {"title": session.title}
        )
        return redirect("dashboard")
    return render(request, "activity/training_outcome.html", {"session": session, "form": form})


@login_required
def survey_qr(request, pk):
    """A4 sheet for the venue: the survey's QR code (SVG) and address, for those who edit it."""
    page = get_object_or_404(SurveyPage.objects.live(), pk=pk)
    if not may_edit_page(request.user, page):
        raise PermissionDenied
    survey_url = channel_url(page.url, "venue")  # printed at the venue: counted as such
    qr_svg = segno.make(survey_url, error="m").svg_inline(scale=8, omitsize=False)
    context = {"page": page, "survey_url": survey_url, "qr_svg": qr_svg}
    return TemplateResponse(request, "activity/survey_qr.html", context)
