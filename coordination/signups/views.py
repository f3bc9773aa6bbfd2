"""Public application pages (no account) and the organisers' list of applications."""

import csv
import io
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_ratelimit.core import is_ratelimited
from wagtail.models import Page

from areas.access import second_factor_required
from coordination.signups import forms, services
from coordination.signups.access import may_see_applicants
from coordination.signups.models import Signup, Slot
from coordination.signups.offers import OffersSignups


def _offering_page(page_id, *, public=True):
    pages = Page.objects.live()
    if public:
        pages = pages.public()
    page = get_object_or_404(pages, pk=page_id).specific
    if not isinstance(page, OffersSignups) or not page.takes_signups():
        raise Http404
    return page


def _applicant_or_404(token):
    applicant = services.applicant_from_token(token)
    if applicant is None:
        raise Http404
    return applicant


@never_cache
@require_http_methods(["GET", "POST"])
def apply(request, page_id):
    """Apply without an account: choose, give name and contact, consent, then confirm by e-mail."""
    page = _offering_page(page_id)
    slots = forms.open_slots(page)
    if request.method == "POST":
        form = forms.ApplicationForm(request.POST, page=page, slots=slots)
        limited = is_ratelimited(
            request, group="signups", key="ip", rate=settings.SIGNUP_RATE_LIMIT, method="POST", increment=True
        )
        if form.is_robot:
            form.is_valid()
            form.add_error(None, _("This looked like an automatic submission and was not sent."))
        elif limited:
            form.is_valid()
            form.add_error(
                None,
                _("Too many applications from this connection. Please wait an hour, or telephone us."),
            )
        elif form.is_valid():
            data = form.cleaned_data
            try:
                applicant = services.apply(
                    page,
                    slot_ids=form.chosen_slot_ids(),
                    name=data["name"],
                    email=data["email"],
                    phone=data["phone"],
                    message=data["message"],
                )
            except services.SignupError as error:
                form.add_error(error.field, error.message)
            else:
                return redirect("signup_sent", token=services.applicant_token(applicant))
        status = 400
    else:
        form = forms.ApplicationForm(page=page, slots=slots)
        status = 200
    context = {
        "page": page,
        "form": form,
        "has_slots": slots.exists(),
        "retention_days": settings.SIGNUP_RETENTION_DAYS,
        "contact": page.signup_contact(),
    }
    return render(request, "signups/apply.html", context, status=status)


def _applicant_context(applicant, **extra):
    page = applicant.page.specific
    signups = list(
        applicant.signups.select_related("slot").order_by("slot__sort_order", "slot__starts_at", "pk")
    )
    return {
        "applicant": applicant,
        "page": page,
        "signups": signups,
        "active": [s for s in signups if s.is_active],
        "token": services.applicant_token(applicant),
        "contact": page.signup_contact(),
        "retention_days": settings.SIGNUP_RETENTION_DAYS,
        **extra,
    }


@never_cache
@require_safe
def sent(request, token):
    applicant = _applicant_or_404(token)
    return render(request, "signups/sent.html", _applicant_context(applicant))


@never_cache
@require_safe
def confirm(request, token):
    """The link in the first e-mail: the application is confirmed and the organisers hear of it."""
    applicant = _applicant_or_404(token)
    services.confirm(applicant)
    messages.success(request, _("Thank you. Your application is confirmed."))
    return redirect("signup_manage", token=token)


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request, token):
    """See, change or withdraw an application, from the link in the e-mails."""
    applicant = _applicant_or_404(token)
    page = applicant.page.specific
    chosen = applicant.signups.filter(status__in=Signup.ACTIVE).values_list("slot_id", flat=True)
    more = forms.open_slots(page).exclude(pk__in=list(chosen))
    details = forms.DetailsForm(
        initial={"name": applicant.name, "phone": applicant.phone, "message": applicant.message}
    )
    add = forms.AddSlotsForm(slots=more) if page.signup_multiple else None
    current = next(iter(applicant.signups.filter(status__in=Signup.ACTIVE).select_related("slot")), None)
    change = forms.ChangeSlotForm(slots=more) if not page.signup_multiple and current is not None else None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "details":
            details = forms.DetailsForm(request.POST)
            if details.is_valid():
                services.update_details(applicant, **details.cleaned_data)
                messages.success(request, _("Your details have been saved."))
                return redirect("signup_manage", token=token)
        elif action == "add" and add is not None:
            add = forms.AddSlotsForm(request.POST, slots=more)
            if add.is_valid():
                try:
                    services.add_slots(applicant, [slot.pk for slot in add.cleaned_data["slots"]])
                except services.SignupError as error:
                    add.add_error("slots", error.message)
                else:
                    messages.success(
                        request, _("Your application has been changed. We have sent you an e-mail.")
                    )
                    return redirect("signup_manage", token=token)
        elif action == "change" and change is not None:
            change = forms.ChangeSlotForm(request.POST, slots=more)
            if change.is_valid():
                try:
                    services.change_slot(applicant, current, change.cleaned_data["slot"].pk)
                except services.SignupError as error:
                    change.add_error("slot", error.message)
                else:
                    messages.success(request, _("The date has been changed. We have sent you an e-mail."))
                    return redirect("signup_manage", token=token)
        status = 400
    context = _applicant_context(applicant, details=details, add=add, change=change, has_more=more.exists())
    return render(request, "signups/manage.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def withdraw(request, token):
    """Asks first, then withdraws one signup (?signup=ID) or all of them."""
    applicant = _applicant_or_404(token)
    which = request.GET.get("signup") or request.POST.get("signup") or "all"
    signups = applicant.signups.filter(status__in=Signup.ACTIVE).select_related("slot")
    if which != "all":
        signups = signups.filter(pk=which if which.isdigit() else 0)
    signups = list(signups)
    if not signups:
        messages.info(request, _("There is nothing left to withdraw."))
        return redirect("signup_manage", token=token)
    if request.method == "POST":
        services.withdraw(applicant, [s.pk for s in signups])
        messages.success(request, _("Your application has been withdrawn. We have sent you an e-mail."))
        return redirect("signup_manage", token=token)
    return render(
        request, "signups/withdraw.html", _applicant_context(applicant, chosen=signups, which=which)
    )


# ---------------------------------------------------------------------------
# For the organisers


def for_organisers(view):
    """The view gets the page instead of its id, for its organisations' members and network admins;
    others log in first, or get 403 when logged in and still not allowed."""

    @wraps(view)
    @second_factor_required
    def wrapper(request, page_id, *args, **kwargs):
        page = _offering_page(page_id, public=False)
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
            return redirect("signup_list", page_id=page.pk)
    return _list(request, page, entered=form, status=400)


def _list(request, page, *, entered=None, status=200):
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
    return redirect(reverse("signup_list", args=[page.pk]) + f"#signup-{signup.pk}")


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
    return redirect("signup_list", page_id=page.pk)


#: A cell starting with one of these would be read by a spreadsheet as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def applications_csv(page) -> bytes:
    """UTF-8 CSV with a BOM, so that Excel opens the Japanese as it is."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
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
    )
    signups = (
        Signup.objects.filter(slot__page=page)
        .select_related("applicant__entered_by", "slot")
        .order_by("slot__sort_order", "slot__starts_at", "queued_at", "pk")
    )
    for signup in signups:
        applicant = signup.applicant
        row = [
            signup.slot.label,
            timezone.localtime(signup.slot.starts_at).strftime("%Y-%m-%d %H:%M")
            if signup.slot.starts_at
            else "",
            signup.get_status_display(),
            applicant.name,
            applicant.email,
            applicant.phone,
            applicant.message,
            timezone.localtime(applicant.created_at).strftime("%Y-%m-%d %H:%M"),
            timezone.localtime(applicant.confirmed_at).strftime("%Y-%m-%d %H:%M")
            if applicant.confirmed_at
            else "",
            applicant.entered_by.email if applicant.entered_by else "",
            signup.decision_message,
        ]
        writer.writerow([_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


@never_cache
@require_safe
@for_organisers
def signup_csv(request, page):
    response = HttpResponse(applications_csv(page), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="applications-{page.pk}.csv"'
    response["X-Robots-Tag"] = "noindex"
    return response
