"""Public pages of the newsletter: subscribe, confirm, unsubscribe (no account), and an issue's PDF."""

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit.core import get_usage

from areas.access import public_pages
from cms.newsletter import services
from cms.newsletter.forms import SubscribeForm
from cms.newsletter.models import NewsletterIssuePage
from cms.newsletter.printing import issue_pdf


def _rate_usage(request, *, increment):
    return get_usage(
        request,
        group="newsletter",
        key="ip",
        rate=settings.NEWSLETTER_RATE_LIMIT,
        method="POST",
        increment=increment,
    )


def _privacy_context() -> dict:
    return {"confirm_hours": int(settings.NEWSLETTER_CONFIRM_WITHIN.total_seconds() // 3600)}


@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request):
    """An address and its choices; the confirmation link goes to the address (double opt-in)."""
    form = SubscribeForm(request.POST) if request.method == "POST" else SubscribeForm()
    status = 200
    if request.method == "POST":
        usage = _rate_usage(request, increment=False)
        if form.is_robot:
            form.is_valid()
            form.add_error(None, _("This looked like an automatic submission and was not sent."))
        elif usage is not None and usage["count"] >= usage["limit"]:
            form.is_valid()
            form.add_error(None, _("Too many subscriptions from this connection. Please wait an hour."))
        elif form.is_valid():
            data = form.cleaned_data
            services.subscription_request(
                email=data["email"],
                areas=data["areas"],
                age_bands=data["age_bands"],
                interests=data["interests"],
            )
            _rate_usage(request, increment=True)
            return redirect("newsletter:sent")
        status = 400
    return render(request, "newsletter/subscribe.html", {"form": form, **_privacy_context()}, status=status)


@require_safe
def sent(request):
    return render(request, "newsletter/sent.html", _privacy_context())


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """A button, not the link itself, confirms: a mail scanner opening links subscribes nobody."""
    try:
        services.read_confirm_token(token)
    except signing.SignatureExpired:
        return render(request, "newsletter/confirm.html", {"expired": True, **_privacy_context()}, status=410)
    except signing.BadSignature:
        return render(request, "newsletter/confirm.html", {"invalid": True}, status=400)
    if request.method == "POST":
        services.subscription_confirm(token=token)
        return render(request, "newsletter/confirm.html", {"done": True})
    return render(request, "newsletter/confirm.html", {})


@csrf_exempt  # mail clients send the one-click POST (RFC 8058) without a CSRF token
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """One click, signed, no log-in: deletes the subscription and everything kept with it."""
    try:
        subscriber = services.subscriber_for_unsubscribe(token)
    except signing.BadSignature:
        return render(request, "newsletter/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        if subscriber is not None:
            services.subscriber_delete(subscriber=subscriber)
        return render(request, "newsletter/unsubscribe.html", {"done": True})
    if subscriber is None:
        return render(request, "newsletter/unsubscribe.html", {"done": True})
    return render(request, "newsletter/unsubscribe.html", {"email": subscriber.email})


@require_safe
def pdf(request, page_id):
    """The issue on two sides of A4, for the circular (回覧板) and notice boards."""
    issue = public_pages(NewsletterIssuePage.objects.live()).filter(pk=page_id).first()
    if issue is None:
        raise Http404
    response = HttpResponse(issue_pdf(issue), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="tsushin-{issue.month:%Y-%m}-{issue.pk}.pdf"'
    return response
