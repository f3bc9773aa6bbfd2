"""The public subscription form: an address and what to receive, nothing more."""

from django import forms
from django.utils.translation import gettext_lazy as _

from areas.models import AreaPage
from common.audiences import AGE_BANDS, INTERESTS


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("We send a link to confirm there; nothing is kept until you open it."),
        error_messages={
            "required": _("Please enter your e-mail address."),
            "invalid": _("Please enter an e-mail address such as hanako@example.jp."),
        },
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas (none ticked: the whole ward)"),
        queryset=AreaPage.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    age_bands = forms.MultipleChoiceField(
        label=_("Your child's age (optional)"),
        choices=list(AGE_BANDS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only to pick the events for that age; leave empty for all."),
    )
    interests = forms.MultipleChoiceField(
        label=_("What to receive (none ticked: everything)"),
        choices=list(INTERESTS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent = forms.BooleanField(
        label=_("I agree to my data being used as described above."),
        error_messages={"required": _("Please agree to how your data is used.")},
    )
    #: Hidden from people (CSS and aria-hidden); a robot filling every field fills this too.
    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = AreaPage.objects.live().public().order_by("code")
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website"))
