"""An event's dates as the editor gives them: a first date and times, a rule, extra dates and
dates off. `Schedule` is EventPage's part that turns them into occurrences (recurrence.py)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coordination.events import recurrence


class Repeat(models.TextChoices):
    NONE = "", _("Does not repeat")
    WEEKLY = "weekly", _("Every week")
    MONTHLY = "monthly", _("Every month")


class WeekOfMonth(models.IntegerChoices):
    FIRST = 1, _("First")
    SECOND = 2, _("Second")
    THIRD = 3, _("Third")
    FOURTH = 4, _("Fourth")
    FIFTH = 5, _("Fifth")
    LAST = -1, _("Last")


class DateKind(models.TextChoices):
    """What a row of an event's dates does (`EventDate.Kind`)."""

    EXTRA = "extra", _("Extra date")
    EXCEPTION = "exception", _("No event on this date")


class Schedule:
    """Mixin for the event page: its fields start_date, start_time, end_time, repeat,
    repeat_weekday, repeat_week_of_month, repeat_until and recurrence_rule, and its `dates` rows,
    become occurrences; and what is wrong with them, beside each field."""

    def build_rule(self) -> str:
        return recurrence.build_rule(
            frequency=self.repeat,
            weekday=self.repeat_weekday,
            week_of_month=self.repeat_week_of_month,
            until=self.repeat_until,
        )

    def extra_dates(self):
        return sorted(d.date for d in self.dates.all() if d.kind == DateKind.EXTRA)

    def exception_dates(self):
        return sorted(d.date for d in self.dates.all() if d.kind == DateKind.EXCEPTION)

    def occurrences(self, after=None, before=None):
        return recurrence.expand(
            first_day=self.start_date,
            start_time=self.start_time,
            end_time=self.end_time,
            rule=self.recurrence_rule,
            extra_dates=self.extra_dates(),
            exception_dates=self.exception_dates(),
            after=after,
            before=before,
        )

    def upcoming_occurrences(self, limit=10):
        """The next dates not yet over: at 19:48 the morning's session of the same day is past."""
        now = timezone.now()
        after = now.astimezone(recurrence.TOKYO).date()
        return [occurrence for occurrence in self.occurrences(after=after) if occurrence.end > now][:limit]

    def schedule_errors(self) -> dict:
        """The times and the repeat fields that do not fit together, by field."""
        errors = {}
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = _("The event must end after it starts.")
        if self.repeat:
            if self.repeat_weekday is None:
                errors["repeat_weekday"] = _("Choose the day of the week the event repeats on.")
            if self.repeat == Repeat.MONTHLY and not self.repeat_week_of_month:
                errors["repeat_week_of_month"] = _("Choose which week of the month the event is on.")
            if not self.repeat_until:
                errors["repeat_until"] = _("Choose the last date of a repeating event.")
            elif self.start_date and self.repeat_until < self.start_date:
                errors["repeat_until"] = _("The last date cannot be before the first date.")
        return errors

    def check_rule(self) -> None:
        """Raise ValidationError when the rule gives no date, or more than the calendar expands."""
        if not (self.start_date and self.start_time and self.end_time):
            return
        rule = self.build_rule()
        starts = recurrence.rule_starts(rule, self.start_date, self.start_time)
        if rule and not starts:
            raise ValidationError({"repeat": _("This rule gives no date between the first and last dates.")})
        if len(starts) > recurrence.MAX_OCCURRENCES:
            raise ValidationError(
                {
                    "repeat_until": _(
                        "This rule gives more than %(max)d dates. Please choose an earlier last date."
                    )
                    % {"max": recurrence.MAX_OCCURRENCES}
                }
            )
