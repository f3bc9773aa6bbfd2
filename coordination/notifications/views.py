from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from areas.access import NotificationReader, pages_awaiting_approval
from common.page_cache import reader_page
from coordination.notifications import preferences
from coordination.notifications.email import read_unsubscribe_token
from coordination.notifications.models import Delivery, EventSubscription, Frequency, Kind

INBOX_PAGE_SIZE = 20


def _inbox(user):
    return Delivery.objects.filter(user=user, channel=Delivery.Channel.INBOX)


@reader_page
@login_required
def inbox(request):
    """My notifications, newest arrival first, under the pages waiting for my approval.

    Ordered by the delivery's own arrival, which the `inbox_arrivals` index answers in order: a
    page of twenty reads twenty rows however many years the inbox holds."""
    page = Paginator(
        _inbox(request.user).select_related("notification").order_by("-created_at", "-pk"),
        INBOX_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    reader = NotificationReader(request.user)
    for delivery in page:
        delivery.body_visible = reader.may_read_notification_body(delivery.notification)
    context = {"page": page, "awaiting_approval": pages_awaiting_approval(request.user)}
    return render(request, "notifications/inbox.html", context)


@login_required
@require_POST
def mark_read(request, pk):
    """Mark one as read, then follow its link when asked to."""
    delivery = get_object_or_404(_inbox(request.user).select_related("notification"), pk=pk)
    if delivery.read_at is None:
        delivery.read_at = timezone.now()
        delivery.save(update_fields=["read_at", "updated_at"])
    if request.POST.get("open") and delivery.notification.url:
        return redirect(delivery.notification.url)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    count = _inbox(request.user).filter(read_at__isnull=True).update(read_at=timezone.now())
    messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
    return redirect("notifications:inbox")


class SettingsForm(forms.Form):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = []
        groups = preferences.setting_groups(user)
        current = preferences.current_settings(user, areas=[area for area, _kinds in groups])
        for area, kinds in groups:
            area_id = area.pk if area else None
            names = []
            for kind in map(Kind, kinds):
                name = f"{kind.value}__{area_id or 'network'}"
                self.fields[name] = forms.ChoiceField(
                    label=kind.label, choices=Frequency.choices, initial=current[(kind.value, area_id)]
                )
                names.append(name)
            self.groups.append((area.title if area else _("Network-wide"), [self[n] for n in names]))

    def values(self):
        result = {}
        for name, frequency in self.cleaned_data.items():
            kind, area = name.split("__")
            result[(kind, None if area == "network" else int(area))] = frequency
        return result


@login_required
def settings_view(request):
    """For each kind and each of my areas: e-mail at once, daily, weekly or not at all;
    and the areas whose new events I subscribed to, each removable in one tap."""
    form = SettingsForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        preferences.save_settings(request.user, form.values())
        messages.success(request, _("Your notification settings were saved."))
        return redirect("notifications:settings")
    subscriptions = (
        EventSubscription.objects.filter(user=request.user)
        .select_related("area")
        .order_by(F("area__path").asc(nulls_first=True))
    )
    return render(request, "notifications/settings.html", {"form": form, "subscriptions": subscriptions})


@csrf_exempt  # mail clients send the one-click POST (RFC 8058) without a CSRF token
def unsubscribe(request, token):
    """One-click unsubscribe from one kind, signed, working without log-in."""
    try:
        user_id, kind = read_unsubscribe_token(token)
        kind_label = Kind(kind).label
    except (signing.BadSignature, ValueError):
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        preferences.turn_off(user_id, kind)
        return render(request, "notifications/unsubscribe.html", {"done": True, "kind": kind_label})
    return render(request, "notifications/unsubscribe.html", {"kind": kind_label})
