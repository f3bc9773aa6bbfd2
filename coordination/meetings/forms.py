"""The meeting's close-out form, typed on a phone after the meeting."""

from django import forms
from django.utils.translation import gettext_lazy as _

from areas.models import PartnerOrganisation


class OrganisationChoices(forms.ModelMultipleChoiceField):
    """Each organisation by name, core members marked (they are counted in the yearly report)."""

    def label_from_instance(self, obj):
        if obj.kind in PartnerOrganisation.CORE_KINDS:
            return _("%(name)s (core member)") % {"name": obj.name}
        return obj.name


class CloseOutForm(forms.Form):
    organisations = OrganisationChoices(
        label=_("Organisations that attended"),
        queryset=PartnerOrganisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Please tick at least one organisation that attended.")},
    )
    people = forms.IntegerField(
        label=_("Number of people"),
        min_value=1,
        max_value=500,
        error_messages={
            "required": _("Please enter how many people attended."),
            "invalid": _("Please enter the number of people in figures."),
            "min_value": _("Please enter at least 1."),
            "max_value": _("Please enter 500 or fewer."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    report = forms.CharField(
        label=_("Short report"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was discussed or decided, in a few lines (up to 1,000 characters)."),
        error_messages={"max_length": _("Please keep the report to 1,000 characters or fewer.")},
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = choices
