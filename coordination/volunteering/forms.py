"""The posting's admin form: its shift rows checked with the posting, each message beside its field."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from common.fiscal import fiscal_year
from coordination.activity.records import closed_year_message
from coordination.activity.selectors import closed_new_dates
from coordination.volunteering.choices import PostingType
from coordination.volunteering.schedule_text import schedule_said


class VolunteerPostingPageForm(WagtailAdminPageForm):
    """Checks the shift rows with the posting, so each message sits beside its field."""

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets["shifts"]
        formset.is_valid()
        rows = [
            form
            for form in formset.forms
            if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
        ]
        if not rows:
            self.add_error(None, _("Add at least one shift or training session."))
        parent = getattr(self, "parent_page", None)
        if not cleaned.get("areas") and parent is not None and parent.specific_class.__name__ == "AreaPage":
            cleaned["areas"] = type(parent.specific).objects.filter(pk=parent.pk)
        kind = cleaned.get("posting_type")
        said = schedule_said(cleaned.get("schedule", ""))
        briefing = cleaned.get("briefing_at")
        if kind == PostingType.PROVIDING_MEMBER and not briefing:
            self.add_error(
                "briefing_at", _("Give the date of the information session: it is the first step.")
            )
        for form in rows:
            data = form.cleaned_data
            self.check_row(form, data, kind=kind, said=said, briefing=briefing)
            if kind == PostingType.PROVIDING_MEMBER and not data.get("date"):
                form.add_error("date", _("A training session needs its date."))
            elif not data.get("date") and data.get("weekday") is None:
                form.add_error("date", _("Give a date, or a day of the week for a regular shift."))
            if data.get("start_time") and data.get("end_time") and data["end_time"] <= data["start_time"]:
                form.add_error("end_time", _("The shift must end after it starts."))
            deadline = cleaned.get("deadline")
            if data.get("date") and deadline and data["date"] < deadline:
                form.add_error("date", _("This date is before the application deadline."))
            before = [form.initial["date"]] if form.initial.get("date") else []
            if data.get("date") and closed_new_dates(self.instance.pk, [data["date"]], before=before):
                # Its fiscal year is closed for entry: the ledger would not count the shift.
                form.add_error("date", closed_year_message(fiscal_year(data["date"])))
        return cleaned

    def check_row(self, form, data, *, kind, said, briefing) -> None:
        """A shift on a day its posting's 「いつ」 does not name (毎月第2火曜 and a Sunday); a
        training's second day before its first, or its first before the information session."""
        day, weekday = data.get("date"), data.get("weekday")
        if said is not None and kind != PostingType.PROVIDING_MEMBER:
            if day and not said.allows(day):
                form.add_error(
                    "date",
                    _("This date does not match 「%(when)s」 above.")
                    % {"when": self.cleaned_data["schedule"]},
                )
            elif not day and weekday is not None and weekday not in said.weekdays:
                form.add_error(
                    "weekday",
                    _("This day does not match 「%(when)s」 above.")
                    % {"when": self.cleaned_data["schedule"]},
                )
        second = data.get("second_date")
        if second and day and second <= day:
            form.add_error("second_date", _("The second day must come after the first."))
        if briefing and day and timezone.localtime(briefing).date() >= day:
            form.add_error("date", _("The training must come after the information session."))
