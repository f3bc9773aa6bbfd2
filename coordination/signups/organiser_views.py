"""The organisers' list of applications: decide, draw, type in telephone applications, mark
who took part after the date, export."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from areas.access import may_see_applicants, second_factor_required
from common.csv import excel_csv, text_cell
from coordination.signups import forms, selectors, services
from coordination.signups.models import Signup, Slot
from coordination.signups.views import offering_page


def for_organisers(view):
    """The view gets the page instead of its id, for its organisations' members and network admins;
    others log in first, or get 403 when logged in and still not allowed."""

    @wraps(view)
    @second_factor_required
    def wrapper(request, page_id, *args, **kwargs):
        page = offering_page(page_id, public=False)
        if not may_see_applicants(request.user, page):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied
        return view(request, page, *args, **kwargs)

    return wrapper


@never_cache
@require_safe
@for_organisers
def signup_list(request, page):
    """Applications per slot, with a decision form for each, for the page's organisations."""
    return _list(request, page)


@require_POST
@for_organisers
def enter(request, page):
    """An organiser types in an application taken by telephone or at the counter."""
    form = forms.EnteredApplicationForm(
        request.POST, page=page, slots=forms.open_slots(page), auto_id="entered-%s"
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.apply(
                page,
                slot_ids=form.chosen_slot_ids(),
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                message=data["message"],
                entered_by=request.user,
            )
        except services.SignupError as error:
            form.add_error("slots" if error.field in ("slots", "slot") else error.field, error.message)
        else:
            messages.success(
                request, _("The application of %(name)s has been added.") % {"name": data["name"]}
            )
            return redirect("signups:list", page_id=page.pk)
    return _list(request, page, entered=form, status=400)


@require_POST
@for_organisers
def took_part(request, page, slot_id):
    """After the shift or date: tick who of those holding a place took part, in one save."""
    slot = get_object_or_404(Slot, pk=slot_id, page=page)
    signups = Signup.objects.filter(slot=slot).select_related("applicant")
    form = forms.TookPartForm(request.POST, signups=signups, auto_id=f"took-part-{slot.pk}-%s")
    if form.is_valid():
        try:
            count = services.took_part_record(slot=slot, signup_ids=form.cleaned_data["took_part"])
        except services.SignupError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Saved: %(count)d of %(holding)d took part in %(slot)s.")
                % {"count": count, "holding": len(form.fields["took_part"].choices), "slot": slot.label},
            )
            return redirect(reverse("signups:list", args=[page.pk]) + f"#slot-{slot.pk}")
    return _list(request, page, took_part_form=(slot.pk, form), status=400)


def _took_part_form(slot, signups, now, posted):
    """The slot's took-part form for those holding a place for whom it has begun (a weekly
    shift: its first day after they signed up), if any; the form posted (with what was ticked)
    when it came back with an error."""
    if posted is not None and posted[0] == slot.pk:
        return posted[1]
    begun = [signup for signup in signups if slot.has_begun_for(signup.queued_at, now)]
    form = forms.TookPartForm(signups=begun, auto_id=f"took-part-{slot.pk}-%s")
    return form if form.fields["took_part"].choices else None


def _kept(slot) -> list[tuple[str, int]]:
    """What the retention job kept on the slot, in the yearly report's words (applied, held a
    place, took part), then the statuses that held no place (the waiting list…)."""
    if not slot.final_counts:
        return []
    kept = selectors.kept_pipeline(slot.final_counts)
    numbers = [
        (_("Applied"), kept.applied),
        (_("Held a place"), kept.confirmed),
        (_("Took part"), kept.took_part),
    ]
    numbers += [
        (Signup.Status(status).label, count)
        for status, count in slot.final_counts.items()
        if status in Signup.Status.values and status not in Signup.HOLDING and count
    ]
    return numbers


def _list(request, page, *, entered=None, took_part_form=None, status=200):
    slots = list(
        services.with_counts(Slot.objects.filter(page=page)).order_by("sort_order", "starts_at", "pk")
    )
    signups = (
        Signup.objects.filter(slot__page=page)
        .select_related("applicant", "slot", "decided_by")
        .order_by("slot__sort_order", "status", "queued_at", "pk")
    )
    by_slot = {slot.pk: [] for slot in slots}
    for signup in signups:
        by_slot[signup.slot_id].append(signup)
    now = timezone.now()
    rows = [
        {
            "slot": slot,
            "signups": by_slot[slot.pk],
            "may_draw": slot.lottery
            and slot.drawn_at is None
            and slot.is_past_deadline(now)
            and slot.entered,
            "took_part": _took_part_form(slot, by_slot[slot.pk], now, took_part_form),
            "kept": _kept(slot),
        }
        for slot in slots
    ]
    if entered is None:
        entered = forms.EnteredApplicationForm(page=page, slots=forms.open_slots(page), auto_id="entered-%s")
    return render(
        request,
        "signups/list.html",
        {
            "page": page,
            "rows": rows,
            "decision_form": forms.DecisionForm(),
            "entered": entered,
            "total": len(signups),
        },
        status=status,
    )


@require_POST
@for_organisers
def decide(request, page, signup_id):
    signup = get_object_or_404(Signup, pk=signup_id, slot__page=page)
    form = forms.DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide(
                signup, form.cleaned_data["decision"], message=form.cleaned_data["message"], by=request.user
            )
        except services.SignupError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("%(name)s has been told by e-mail.") % {"name": signup.applicant.name}
            )
    else:
        messages.error(request, _("Please choose a decision."))
    return redirect(reverse("signups:list", args=[page.pk]) + f"#signup-{signup.pk}")


@require_POST
@for_organisers
def draw(request, page, slot_id):
    slot = get_object_or_404(Slot, pk=slot_id, page=page, lottery=True)
    if not slot.is_past_deadline():
        messages.error(request, _("The lottery can be drawn after the deadline."))
    else:
        try:
            won, others = services.draw(slot)
        except services.SignupError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Drawn: %(won)d got a place, %(others)d did not. Everyone has been told by e-mail.")
                % {"won": won, "others": others},
            )
    return redirect("signups:list", page_id=page.pk)


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


#: Columns for pages that ask who comes (`OffersSignups.signup_asks_party`), after the usual ones.
PARTY_HEADERS = {
    "furigana": gettext_lazy("Furigana"),
    "groups": pgettext_lazy("party size", "Groups"),
    "adults": gettext_lazy("Adults"),
    "children": gettext_lazy("Children"),
    "child_ages": gettext_lazy("Children's ages in months"),
    "places": gettext_lazy("Places taken"),
}


def _party_cell(signup, column):
    if column == "places":
        return signup.places
    value = getattr(signup.applicant, column)
    return "、".join(str(age) for age in value) if column == "child_ages" else value


def applications_csv(page) -> bytes:
    """The page's applications as CSV that Excel opens as it is (common.csv)."""
    header = [
        _("Slot"),
        _("Starts"),
        _("Status"),
        pgettext("person", "Name"),
        _("E-mail address"),
        _("Phone"),
        _("Message"),
        _("Applied at"),
        _("Confirmed at"),
        _("Entered by"),
        _("Message to the applicant"),
    ]
    questions = [question.label for question in page.signup_questions()]
    party = list(PARTY_HEADERS) if page.signup_asks_party else []
    header += [str(PARTY_HEADERS[column]) for column in party] + questions
    signups = (
        Signup.objects.filter(slot__page=page)
        .select_related("applicant__entered_by", "slot")
        .order_by("slot__sort_order", "slot__starts_at", "queued_at", "pk")
    )
    rows = (
        [
            signup.slot.label,
            _when(signup.slot.starts_at),
            signup.get_status_display(),
            signup.applicant.name,
            signup.applicant.email,
            text_cell(signup.applicant.phone),
            signup.applicant.message,
            _when(signup.applicant.created_at),
            _when(signup.applicant.confirmed_at),
            signup.applicant.entered_by.email if signup.applicant.entered_by else "",
            signup.decision_message,
            *[_party_cell(signup, column) for column in party],
            *[dict(signup.applicant.answers).get(label, "") for label in questions],
        ]
        for signup in signups
    )
    return excel_csv(header, rows)


@never_cache
@require_safe
@for_organisers
def signup_csv(request, page):
    response = HttpResponse(applications_csv(page), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="applications-{page.pk}.csv"'
    response["X-Robots-Tag"] = "noindex"
    return response
