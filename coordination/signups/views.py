"""Public application pages, without an account: apply, then see, confirm, change or withdraw."""

import secrets
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit.core import _get_ip, get_usage
from wagtail.models import Page

from areas.access import is_public_page
from common.links import request_channel
from common.page_cache import CSRF_PLACEHOLDER, is_stranger, shared_form
from coordination.signups import forms, links, services
from coordination.signups.asking import ADD_CHILD
from coordination.signups.models import Signup
from coordination.signups.offers import OffersSignups


def offering_page(page_id, *, public=True):
    """The live page `page_id` as its own type, if it takes signups (and, by default, no view
    restriction is on it or above it). Three small indexed queries: the page, its type's row,
    its ancestors' restrictions (`is_public_page`), each cheap to build."""
    page = get_object_or_404(Page.objects.live(), pk=page_id).specific
    if not isinstance(page, OffersSignups) or not page.takes_signups():
        raise Http404
    if public and not is_public_page(page):
        raise Http404
    return page


class LinkGone(Exception):
    """Raised by views for a link whose time is over; answered by `_link_ended`."""


def _applicant_or_404(token):
    """The application a link names, its places given back if it was never confirmed in time."""
    try:
        applicant = links.applicant_from_token(token)
    except links.LinkEnded:
        raise LinkGone from None
    if applicant is None:
        raise Http404
    services.release_if_expired(applicant)
    return applicant


def _link_ended(view):
    """A link past the time its data is kept: 410 and a page that says so, not a bare 404."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except LinkGone:
            context = {"retention_days": settings.SIGNUP_RETENTION_DAYS}
            return render(request, "signups/link_ended.html", context, status=410)

    return wrapper


def _rate_usage(request, *, increment):
    return get_usage(
        request,
        group="signups",
        key="ip",
        rate=settings.SIGNUP_RATE_LIMIT,
        method="POST",
        increment=increment,
    )


def _rate_limited(request) -> bool:
    """Only applications taken count (see `apply`), so reaching the rate is already the limit."""
    usage = _rate_usage(request, increment=False)
    return usage is not None and usage["count"] >= usage["limit"]


#: Receipts kept in the session for the "sent" pages of one browser.
_RECEIPTS_KEPT = 5


def _shown(page) -> dict:
    """What the "sent" page shows of the page: its title (and the head's share titles) and whom
    to telephone."""
    return {
        "title": page.title,
        "seo_title": page.seo_title,
        "search_description": page.search_description,
        "contact": page.signup_contact(),
    }


def _remember(request, page, receipt) -> str:
    """Keep what the "sent" page shows in the session, under a random key: never the link to
    the application, which only the e-mail carries (opening it is what proves the address).
    The page's part is kept too, so that the "sent" page reads nothing but the session."""
    key = secrets.token_urlsafe(9)
    receipts = request.session.get("signup_receipts", {})
    receipts[key] = {
        "page": page.pk,
        "shown": _shown(page),
        "email": receipt.email,
        "choices": [
            {"label": slot.label, "place": slot.place, "status": status} for slot, status in receipt.choices
        ],
    }
    request.session["signup_receipts"] = dict(list(receipts.items())[-_RECEIPTS_KEPT:])
    return key


#: The query parameter the form reads: the date chosen on the page the person came from.
DATE_PARAMETER = "date"


@never_cache
@require_http_methods(["GET", "POST"])
def apply(request, page_id):
    """Apply without an account: choose, give name and contact, consent, then confirm by e-mail.

    A stranger's empty form is the same for everyone but for the CSRF token and the places left:
    it is kept in the shared cache (`shared_form`) under the counts, read afresh each time (one
    query), and each visitor gets their own token put in. The rate limit counts applications
    taken, not forms sent back with a mistake to correct."""
    if request.method == "GET" and is_stranger(request):
        chosen = request.GET.get(DATE_PARAMETER, "")[:64]
        # Only what the form reads: the language switcher shows the path, not utm_*, ch or the rest.
        request.GET = request.GET.copy()
        for name in set(request.GET) - {DATE_PARAMETER}:
            del request.GET[name]
        request.META["QUERY_STRING"] = request.GET.urlencode()

        def keyed():
            host = (request.scheme, request.get_host(), translation.get_language())
            return (page_id, host, timezone.localdate().isoformat(), chosen, forms.places_shown(page_id))

        return shared_form(
            request, "signups-apply", keyed, lambda: _apply(request, page_id, csrf_token=CSRF_PLACEHOLDER)
        )
    return _apply(request, page_id)


def _apply(request, page_id, **extra):
    page = offering_page(page_id)
    slots = forms.open_slots(page)
    if request.method == "POST":
        form = forms.ApplicationForm(request.POST, page=page, slots=slots)
        if ADD_CHILD in request.POST:  # a row for one more child, without JavaScript
            form.without_errors()
        elif form.is_robot:
            form.is_valid()
            form.add_error(None, _("This looked like an automatic submission and was not sent."))
        elif _rate_limited(request):
            form.is_valid()
            form.add_error(
                None,
                _("Too many applications from this connection. Please wait an hour, or telephone us."),
            )
        elif form.is_valid():
            data = form.cleaned_data
            try:
                receipt = services.apply_online(
                    page,
                    slot_ids=form.chosen_slot_ids(),
                    name=data["name"],
                    email=data["email"],
                    phone=data["phone"],
                    message=data["message"],
                    about=form.about(),
                    client_ip=_get_ip(request),  # the address the rate limit counts
                    roster=data.get("roster", False),
                    # What the person said, else the link or QR code they came by (common.links).
                    channel=data.get("heard_via") or request_channel(request),
                )
            except services.SignupError as error:
                form.add_error(error.field, error.message)
            else:
                _rate_usage(request, increment=True)
                return redirect("signups:sent", page_id=page.pk, key=_remember(request, page, receipt))
        status = 400 if form.errors else 200
    else:
        form = forms.ApplicationForm(
            page=page, slots=slots, chosen_key=request.GET.get(DATE_PARAMETER, "")[:64]
        )
        status = 200
    context = {
        "page": page,
        "form": form,
        "has_slots": slots.exists(),
        "retention_days": settings.SIGNUP_RETENTION_DAYS,
        "contact": page.signup_contact(),
        **extra,
    }
    return render(request, "signups/apply.html", context, status=status)


def _signups_of(applicant) -> list:
    """The application's signups with their slots, in the order its pages list them."""
    return list(
        applicant.signups.select_related("slot").order_by("slot__sort_order", "slot__starts_at", "pk")
    )


def _applicant_context(applicant, signups=None, **extra):
    page = applicant.page.specific
    signups = _signups_of(applicant) if signups is None else signups
    return {
        "applicant": applicant,
        "page": page,
        "signups": signups,
        "active": [s for s in signups if s.is_active],
        "token": links.applicant_token(applicant),
        "contact": page.signup_contact(),
        "retention_days": settings.SIGNUP_RETENTION_DAYS,
        **extra,
    }


def _unconfirmed_label(status: str) -> str:
    """What a choice is before the e-mail is confirmed: a place is only held, never 「参加予定」 yet."""
    if status == Signup.Status.PLACED:
        return _("Held until you confirm")
    return Signup.Status(status).label


@never_cache
@require_safe
def sent(request, page_id, key):
    """After sending the form: the address written to and what each choice gets. Looks the same
    whether the application was taken or its address's owner was told instead.

    The browser that sent the form finds the page's title and contact in its own receipt, kept
    when the page was read to take the application a moment before: no query. Any other visitor
    (no receipt for this page) gets the page read as the form reads it, or 404."""
    receipt = request.session.get("signup_receipts", {}).get(key)
    if receipt is None or receipt["page"] != page_id:
        receipt = {"email": "", "choices": []}
    shown = receipt.get("shown") or _shown(offering_page(page_id))
    choices = [
        {**choice, "status_label": _unconfirmed_label(choice["status"])} for choice in receipt["choices"]
    ]
    context = {
        "page": shown,
        "email": receipt["email"],
        "choices": choices,
        "confirm_minutes": int(settings.SIGNUP_CONFIRM_WITHIN.total_seconds() // 60),
        "contact": shown["contact"],
    }
    return render(request, "signups/sent.html", context)


_CONFIRMED = {
    services.Confirmation.CONFIRMED: (
        messages.SUCCESS,
        gettext_lazy("Thank you. Your application is confirmed."),
    ),
    services.Confirmation.EXPIRED: (
        messages.WARNING,
        gettext_lazy(
            "The time to confirm had passed, so this application was cancelled and its places went to "
            "others. Please apply again."
        ),
    ),
    services.Confirmation.WITHDRAWN: (messages.INFO, gettext_lazy("This application has been withdrawn.")),
    services.Confirmation.CLOSED: (
        messages.INFO,
        gettext_lazy("Nothing in this application is still open. Its state is shown below."),
    ),
}


@never_cache
@require_safe
@_link_ended
def confirm(request, token):
    """The link in the first e-mail: confirms the application (the organisers hear of it), or
    says truly why not: too late, withdrawn, or nothing left open."""
    applicant = _applicant_or_404(token)
    level, message = _CONFIRMED[services.confirm(applicant)]
    messages.add_message(request, level, message)
    return redirect("signups:manage", token=token)


def _first(active):
    """The first of these signups in the model's own order (`Signup.Meta.ordering`), as a query
    of them gave it: the one a single-choice application changes."""
    return min(active, key=lambda signup: (signup.slot.sort_order, signup.queued_at, signup.pk), default=None)


@never_cache
@require_http_methods(["GET", "POST"])
@_link_ended
def manage(request, token):
    """See, change or withdraw an application, from the link in the e-mails."""
    applicant = _applicant_or_404(token)
    page = applicant.page.specific
    signups = _signups_of(applicant)  # read once: what is chosen, the one to change, the list shown
    active = [signup for signup in signups if signup.is_active]
    more = forms.open_slots(page).exclude(pk__in=[signup.slot_id for signup in active])
    details = forms.DetailsForm(
        initial={"name": applicant.name, "phone": applicant.phone, "message": applicant.message}
    )
    expired = applicant.is_expired()  # nothing to add to or change: apply again
    add = (
        forms.AddSlotsForm(slots=more, in_groups=page.counts_groups)
        if page.signup_multiple and not expired
        else None
    )
    current = _first(active)
    change = (
        forms.ChangeSlotForm(slots=more, in_groups=page.counts_groups)
        if not page.signup_multiple and current is not None
        else None
    )
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "details":
            details = forms.DetailsForm(request.POST)
            if details.is_valid():
                services.update_details(applicant, **details.cleaned_data)
                messages.success(request, _("Your details have been saved."))
                return redirect("signups:manage", token=token)
        elif action == "add" and add is not None:
            add = forms.AddSlotsForm(request.POST, slots=more, in_groups=page.counts_groups)
            if add.is_valid():
                try:
                    services.add_slots(applicant, [slot.pk for slot in add.cleaned_data["slots"]])
                except services.SignupError as error:
                    add.add_error("slots", error.message)
                else:
                    messages.success(
                        request, _("Your application has been changed. We have sent you an e-mail.")
                    )
                    return redirect("signups:manage", token=token)
        elif action == "change" and change is not None:
            change = forms.ChangeSlotForm(request.POST, slots=more, in_groups=page.counts_groups)
            if change.is_valid():
                try:
                    services.change_slot(applicant, current, change.cleaned_data["slot"].pk)
                except services.SignupError as error:
                    change.add_error("slot", error.message)
                else:
                    messages.success(request, _("The date has been changed. We have sent you an e-mail."))
                    return redirect("signups:manage", token=token)
        status = 400
    shown = {"details": details, "add": add, "change": change}
    context = _applicant_context(applicant, signups, **shown, has_more=more.exists(), expired=expired)
    return render(request, "signups/manage.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
@_link_ended
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
        return redirect("signups:manage", token=token)
    if request.method == "POST":
        services.withdraw(applicant, [s.pk for s in signups])
        messages.success(request, _("Your application has been withdrawn. We have sent you an e-mail."))
        return redirect("signups:manage", token=token)
    return render(
        request, "signups/withdraw.html", _applicant_context(applicant, chosen=signups, which=which)
    )
