"""Where and when: how people look for something to join, events and volunteering alike.

Both feature apps offer their dates and shifts through signups and let people narrow them by
area, day of the week and time of day, so the filter lives here, below both of them.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from areas.access import public_pages
from areas.models import AreaPage
from common.dates import Weekday

#: Hours [from, to) of each time of day; evening is what the hub is trying out.
TIMES_OF_DAY = {"morning": (0, 12), "afternoon": (12, 17), "evening": (17, 24)}


class WhereAndWhenFilter(forms.Form):
    """Area, day of the week and time of day: how people look for events and volunteering alike."""

    area = forms.ModelChoiceField(
        AreaPage.objects.none(), required=False, label=_("Area"), empty_label=_("All areas")
    )
    weekday = forms.TypedChoiceField(
        choices=[("", _("Any day")), *Weekday.choices],
        coerce=int,
        empty_value=None,
        required=False,
        label=_("Day of the week"),
    )
    time = forms.ChoiceField(
        choices=[
            ("", _("Any time")),
            ("morning", _("Morning")),
            ("afternoon", _("Afternoon")),
            ("evening", _("Evening (from 17:00)")),
        ],
        required=False,
        label=_("Time of day"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = public_pages(AreaPage.objects.live()).order_by("path")
