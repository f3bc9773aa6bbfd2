"""The organisers' roster page: filters by area and interest, and the invitation."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from areas.models import AreaPage


class RosterFilterForm(forms.Form):
    area = forms.ModelChoiceField(
        queryset=AreaPage.objects.none(), required=False, label=_("Area"), empty_label=_("All areas")
    )
    interest = forms.ChoiceField(required=False, label=_("Interest"))

    def __init__(self, *args, areas, interests: dict, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["interest"].choices = [("", _("All interests")), *interests.items()]

    def filter(self, entries):
        """The entries with the chosen area and interest; all of them while nothing valid is chosen."""
        if not self.is_valid():
            return entries
        if self.cleaned_data["area"]:
            entries = entries.filter(areas=self.cleaned_data["area"])
        if self.cleaned_data["interest"]:
            entries = entries.filter(interests__has_key=self.cleaned_data["interest"])
        return entries


class InviteForm(forms.Form):
    """Choose people from the list, a published posting or training, and a short message."""

    entries = forms.ModelMultipleChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Please choose at least one person.")},
    )
    page = forms.ModelChoiceField(
        queryset=None,
        label=_("Posting or training to invite to"),
        empty_label=pgettext_lazy("choice", "Choose"),
        error_messages={"required": _("Please choose a posting or training.")},
    )
    message = forms.CharField(
        label=_("Short message"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Sent with the link to the posting. Each person gets their own e-mail: no one sees the "
            "others' addresses."
        ),
        error_messages={"required": _("Please write a short message.")},
    )

    def __init__(self, *args, entries, pages, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        #: Only entries the organiser may see: an id of another area's entry is refused, not sent.
        self.fields["entries"].queryset = entries
        self.fields["page"].queryset = pages
