"""The plain minutes form: agenda, attendance, minutes, decisions and action items, typed as plain
text on a phone or a laptop; the meeting page keeps its rich text (coordination.meetings.text)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from areas.models import PartnerOrganisation
from coordination.meetings.forms import OrganisationChoices
from coordination.meetings.models import ActionItem

TEXTAREA = {"rows": 6}


class PlainText(forms.CharField):
    """Text typed in a text box; a browser's CR LF line ends are read as LF, so that a field sent
    back as it was shown counts as unchanged (and keeps the page's rich text)."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if value else value


class MinutesForm(forms.Form):
    agenda = PlainText(
        label=_("Agenda"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One item per line."),
    )
    organisations = OrganisationChoices(
        label=_("Organisations that attended"),
        queryset=PartnerOrganisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    attendees = PlainText(
        label=_("People attending"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One name per line."),
    )
    minutes = PlainText(
        label=_("Minutes"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("What was said. Leave an empty line between paragraphs."),
    )
    decisions = PlainText(
        label=_("Decisions"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One decision per line."),
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["organisations"].queryset = choices


class ActionItemRow(forms.Form):
    """One action item; a row left empty adds nothing."""

    pk = forms.IntegerField(widget=forms.HiddenInput, required=False)
    description = forms.CharField(label=_("What"), max_length=300, required=False)
    owner = forms.ModelChoiceField(
        label=_("Owner organisation"), queryset=PartnerOrganisation.objects.none(), required=False
    )
    due = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Please enter a date such as 2026-07-31.")},
    )
    status = forms.ChoiceField(
        label=pgettext_lazy("action item", "Status"), choices=ActionItem.Status.choices, required=False
    )

    def __init__(self, *args, owners, meeting_day, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["owner"].queryset = owners
        self.meeting_day = meeting_day

    def clean(self):
        cleaned = super().clean()
        typed = cleaned.get("description") or cleaned.get("owner") or cleaned.get("due")
        if not typed:
            return cleaned
        if not cleaned.get("description"):
            self.add_error("description", _("Please say what is to be done."))
        if not cleaned.get("owner"):
            self.add_error("owner", _("Please choose the organisation that will do it."))
        due = cleaned.get("due")
        if not due and "due" not in self.errors:
            self.add_error("due", _("Please enter the due date."))
        elif due and due < self.meeting_day:
            self.add_error("due", _("An action item cannot be due before the meeting."))
        return cleaned

    @property
    def is_filled(self):
        return bool(self.cleaned_data.get("description"))


ActionItemRows = forms.formset_factory(ActionItemRow, extra=0)
