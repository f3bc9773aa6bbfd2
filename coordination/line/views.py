"""The webhook LINE calls, the public page about the account, and the network admins' page."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from areas.access import is_network_admin
from coordination.line import client, quota, selectors, services
from coordination.line.models import LineBudget


@csrf_exempt
@require_POST
def webhook(request):
    """Stores the events and answers at once; a body not signed with the channel secret is 403."""
    if not client.is_configured():
        raise Http404
    signature = request.headers.get("X-Line-Signature", "")
    try:
        services.webhook_receive(body=request.body.decode("utf-8"), signature=signature)
    except (services.InvalidSignatureError, UnicodeDecodeError):
        return HttpResponseForbidden("invalid signature")
    return HttpResponse("OK")


def about(request):
    """What the account sends, how to follow it, and what is kept for how long."""
    context = {"line_on": client.is_configured(), "add_friend_url": settings.LINE_ADD_FRIEND_URL}
    return render(request, "line/about.html", context)


class BudgetForm(forms.ModelForm):
    class Meta:
        model = LineBudget
        fields = ["monthly_budget", "picks_per_message", "weekly_enabled", "urgent_enabled"]


@login_required
def manage(request):
    """Network admins: the month's quota and what is left, the budget and the latest messages."""
    if not is_network_admin(request.user):
        raise PermissionDenied
    budget = LineBudget.load()
    form = BudgetForm(request.POST or None, instance=budget)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The LINE budget has been saved."))
        return redirect("line:manage")
    status, error = None, ""
    if client.is_configured():
        try:
            status = quota.month_status()
        except client.LineError as exc:
            error = str(exc)
            status = quota.month_status(ask_line=False)
    context = {
        "form": form,
        "line_on": client.is_configured(),
        "status": status,
        "error": error,
        "followers": selectors.follower_counts(),
        "recent": selectors.recent_messages(),
    }
    return render(request, "line/manage.html", context)
