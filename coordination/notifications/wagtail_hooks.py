"""Read-only admin views of what the notifications did: who got what, by which channel, and how it went.

The outbox's e-mails that the mail server refused for good (or that still wait) are listed
beside them: every e-mail the site sends passes through it, not only notifications.

Nobody adds, edits or deletes anything here: the permission policy
grants nothing but "view", and the viewsets publish no add, edit, copy or delete URLs.
"""

import django_filters
from django import forms
from django.contrib.auth import get_permission_codename, get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, Table, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from common.models import OutgoingEmail
from coordination.notifications.models import Delivery, Kind, Notification

#: The inspect page lists this many deliveries; the deliveries list has them all.
DELIVERIES_ON_INSPECT_PAGE = 200
ERROR_PREVIEW_CHARS = 120
NOTIFICATION_INSPECT_URL = "notification_log:inspect"
DELIVERY_INDEX_URL = "delivery_log:index"


def _label(model, field_name):
    """A field's own (already translated) name, for column headers and filters."""
    return capfirst(model._meta.get_field(field_name).verbose_name)


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """The model's "view" permission opens the listing; nothing else is allowed, not even to superusers."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        if "view" in actions:
            return super().users_with_any_permission(["view"])
        return get_user_model().objects.none()


register_permission_policy(Notification, ReadOnlyPermissionPolicy(Notification))
register_permission_policy(Delivery, ReadOnlyPermissionPolicy(Delivery))
register_permission_policy(OutgoingEmail, ReadOnlyPermissionPolicy(OutgoingEmail))


def _person(delivery):
    user = delivery.user
    name = user.get_full_name()
    return f"{name} ({user.email})" if name else user.email


def _error_preview(delivery):
    return Truncator(delivery.last_error).chars(ERROR_PREVIEW_CHARS)


class ReadOnlyModelViewSet(ModelViewSet):
    """A listing (and, if enabled, an inspect page) with no way to change anything."""

    copy_view_enabled = False
    add_to_reference_index = False

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            add_url_name=None,
            edit_url_name=None,
            delete_url_name=None,
            history_url_name=None,
            usage_url_name=None,
            **kwargs,
        )

    def get_urlpatterns(self):
        urlpatterns = [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]
        if self.inspect_view_enabled:
            conv = self.pk_path_converter
            urlpatterns.append(path(f"inspect/<{conv}:pk>/", self.inspect_view, name="inspect"))
        return urlpatterns

    def get_permissions_to_register(self):
        """Only "view" appears in the group editor: there is nothing else to grant."""
        return Permission.objects.filter(
            content_type__app_label=self.app_label,
            codename=get_permission_codename("view", self.model_opts),
        )

    def register_admin_url_finder(self):
        """There is no edit view to find."""


# --- Notifications ---------------------------------------------------------------------------

#: Per-state delivery counts, annotated on each notification of the listing.
STATE_COUNTS = {
    f"deliveries_{state.value}": Count("deliveries", filter=Q(deliveries__state=state.value))
    for state in Delivery.State
}
#: The same counts, aggregated over one notification's deliveries.
STATE_TOTALS = {state.value: Count("pk", filter=Q(state=state.value)) for state in Delivery.State}


class NotificationFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(label=_label(Notification, "kind"), choices=Kind.choices)

    class Meta:
        model = Notification
        fields = ["kind", "area"]


class NotificationIndexView(IndexView):
    def get_base_queryset(self):
        # One query for the page, whatever the number of deliveries.
        return super().get_base_queryset().select_related("area").annotate(**STATE_COUNTS)


class NotificationInspectView(InspectView):
    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        return "—" if value in (None, "") else value

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        deliveries = self.object.deliveries.select_related("user").order_by(
            Case(
                When(state=Delivery.State.FAILED, then=Value(0)),
                When(attempts__gt=1, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
            "user__email",
            "channel",
        )
        counts = self.object.deliveries.aggregate(total=Count("pk"), **STATE_TOTALS)
        context["delivery_counts"] = [
            {
                "label": state.label,
                "count": counts[state.value],
                "url": self._deliveries_url(state=state.value),
            }
            for state in Delivery.State
        ]
        context["deliveries_total"] = counts["total"]
        context["deliveries_shown"] = min(counts["total"], DELIVERIES_ON_INSPECT_PAGE)
        context["deliveries_url"] = self._deliveries_url()
        context["deliveries_table"] = Table(
            [
                Column("person", label=_("Person"), accessor=_person),
                Column("channel", label=_label(Delivery, "channel"), accessor="get_channel_display"),
                Column("state", label=_label(Delivery, "state"), accessor="get_state_display"),
                Column("attempts", label=_label(Delivery, "attempts")),
                Column("last_error", label=_label(Delivery, "last_error")),
                DateColumn("sent_at", label=_label(Delivery, "sent_at")),
            ],
            deliveries[:DELIVERIES_ON_INSPECT_PAGE],
        )
        return context

    def _deliveries_url(self, **params):
        return reverse(DELIVERY_INDEX_URL) + "?" + urlencode({"notification": self.object.pk, **params})


class NotificationViewSet(ReadOnlyModelViewSet):
    model = Notification
    name = "notification_log"
    icon = "mail"
    inspect_view_enabled = True
    index_view_class = NotificationIndexView
    inspect_view_class = NotificationInspectView
    inspect_template_name = "notifications/admin/notification_inspect.html"
    inspect_view_fields = [
        "title",
        "kind",
        "area",
        "organisation",
        "person",
        "audience",
        "body_audience",
        "url",
        "created_at",
        "fanned_out_at",
    ]
    ordering = "-created_at"
    filterset_class = NotificationFilterSet
    search_fields = ["title"]
    search_backend_name = None
    list_display = [
        "title",
        "kind",
        "area",
        DateColumn("created_at", label=_label(Notification, "created_at"), sort_key="created_at"),
        *(
            Column(f"deliveries_{state.value}", label=state.label, sort_key=f"deliveries_{state.value}")
            for state in Delivery.State
        ),
    ]


# --- Deliveries ------------------------------------------------------------------------------


class DeliveryFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(label=_label(Delivery, "state"), choices=Delivery.State.choices)
    channel = django_filters.ChoiceFilter(label=_label(Delivery, "channel"), choices=Delivery.Channel.choices)
    kind = django_filters.ChoiceFilter(
        label=_label(Notification, "kind"), field_name="notification__kind", choices=Kind.choices
    )
    # Reached by the links on a notification's page: a number box, not a list of every notification.
    notification = django_filters.ModelChoiceFilter(
        label=capfirst(Notification._meta.verbose_name),
        queryset=Notification.objects.all(),
        widget=forms.NumberInput,
    )

    class Meta:
        model = Delivery
        fields = ["state", "channel", "kind", "notification"]


class DeliveryIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("notification", "user")


class DeliveryViewSet(ReadOnlyModelViewSet):
    model = Delivery
    name = "delivery_log"
    icon = "list-ul"
    index_view_class = DeliveryIndexView
    ordering = "-updated_at"
    filterset_class = DeliveryFilterSet
    search_fields = ["user__email"]
    search_backend_name = None
    list_per_page = 50

    list_display = [
        TitleColumn(
            "notification",
            label=capfirst(Notification._meta.verbose_name),
            accessor="notification.title",
            get_url=lambda delivery: reverse(NOTIFICATION_INSPECT_URL, args=[delivery.notification_id]),
            sort_key="notification__created_at",
        ),
        Column("person", label=_("Person"), accessor=_person, sort_key="user__email"),
        Column(
            "channel", label=_label(Delivery, "channel"), accessor="get_channel_display", sort_key="channel"
        ),
        Column("state", label=_label(Delivery, "state"), accessor="get_state_display", sort_key="state"),
        Column("attempts", label=_label(Delivery, "attempts"), sort_key="attempts"),
        Column("last_error", label=_label(Delivery, "last_error"), accessor=_error_preview),
        DateColumn("updated_at", label=_label(Delivery, "updated_at"), sort_key="updated_at"),
    ]


# --- The outbox ------------------------------------------------------------------------------


def _recipients(row):
    return ", ".join(row.message.get("to", []))


def _subject(row):
    return row.message.get("subject", "")


def _outbox_error(row):
    return Truncator(row.last_error).chars(ERROR_PREVIEW_CHARS)


class OutgoingEmailFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(
        label=_label(OutgoingEmail, "state"), choices=OutgoingEmail.State.choices
    )

    class Meta:
        model = OutgoingEmail
        fields = ["state"]


class OutgoingEmailViewSet(ReadOnlyModelViewSet):
    """Recipient, subject and error only: the text may hold a password-reset link, so it stays hidden."""

    model = OutgoingEmail
    name = "outbox"
    icon = "warning"
    ordering = "-updated_at"
    filterset_class = OutgoingEmailFilterSet
    list_per_page = 50
    list_display = [
        Column("to", label=pgettext_lazy("e-mail", "To"), accessor=_recipients),
        Column("subject", label=_("Subject"), accessor=_subject),
        Column("state", label=_label(OutgoingEmail, "state"), accessor="get_state_display", sort_key="state"),
        Column("attempts", label=_label(OutgoingEmail, "attempts"), sort_key="attempts"),
        Column(
            "last_error",
            label=_label(OutgoingEmail, "last_error"),
            accessor=_outbox_error,
        ),
        DateColumn("updated_at", label=_label(OutgoingEmail, "updated_at"), sort_key="updated_at"),
    ]


class NotificationsGroup(ModelViewSetGroup):
    # A context of its own: "Notifications" alone is already translated for the public site.
    menu_label = pgettext_lazy("admin menu", "Notifications")
    menu_icon = "mail"
    menu_order = 250
    items = (NotificationViewSet, DeliveryViewSet, OutgoingEmailViewSet)


@hooks.register("register_admin_viewset")
def register_notification_viewsets():
    return NotificationsGroup()


# ---------------------------------------------------------------------------
# From a posting or an event in the page tree to its applications
