"""The editor's form for an event page."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from common.fiscal import fiscal_year
from coordination.activity.records import closed_year_message
from coordination.activity.selectors import closed_new_dates
from coordination.events import recurrence
from coordination.events.schedule import DateKind


class EventPageForm(WagtailAdminPageForm):
    """Checks the dates with the extra and exception rows, so each error sits beside its field."""

    def clean(self):
        cleaned = super().clean()
        parent = getattr(self, "parent_page", None)
        if parent is None and self.instance.pk:
            parent = self.instance.get_parent()
        if not cleaned.get("areas") and parent is not None and parent.specific_class.__name__ == "AreaPage":
            # Under an area's page, "no area" would make it ward-wide by accident.
            cleaned["areas"] = type(parent.specific).objects.filter(pk=parent.pk)
        formset = self.formsets["dates"]
        formset.is_valid()  # formsets are otherwise validated after this form
        extra, exceptions = set(), set()
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("date") and not data.get("DELETE"):
                (extra if data.get("kind") == DateKind.EXTRA else exceptions).add(data["date"])
        first_day = cleaned.get("start_date")
        start_time, end_time = cleaned.get("start_time"), cleaned.get("end_time")
        if not (first_day and start_time and end_time) or self.errors:
            return cleaned
        rule = recurrence.build_rule(
            frequency=cleaned.get("repeat") or "",
            weekday=cleaned.get("repeat_weekday"),
            week_of_month=cleaned.get("repeat_week_of_month"),
            until=cleaned.get("repeat_until"),
        )
        starts = recurrence.rule_starts(rule, first_day, start_time)
        if (rule and not starts) or len(starts) > recurrence.MAX_OCCURRENCES:
            return cleaned  # the page's own clean() says what is wrong with the rule
        occurrences = recurrence.expand(
            first_day=first_day,
            start_time=start_time,
            end_time=end_time,
            rule=rule,
            extra_dates=extra,
            exception_dates=exceptions,
        )
        if not occurrences:
            self.add_error(None, _("With these dates off, the event has no date left."))
        self._refuse_closed_years([occurrence.date for occurrence in occurrences])
        return cleaned

    def _refuse_closed_years(self, dates) -> None:
        """A date added in a fiscal year closed by its published evaluation document would not
        reach the ledger: say so beside the first date, and keep everything typed."""
        live = type(self.instance).objects.filter(pk=self.instance.pk, live=True).first()
        before = [occurrence.date for occurrence in live.occurrences()] if live else []
        closed = closed_new_dates(self.instance.pk, dates, before=before)
        if closed:
            self.add_error("start_date", closed_year_message(fiscal_year(closed[0])))
