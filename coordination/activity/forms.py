"""The headcount form: big number fields a partner fills in on a phone in half a minute."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from coordination.activity.models import Facility, Session

#: The numbers every session asks for, in the order of the paper sign-in sheet.
COUNTS = ("adults", "children_0", "children_1", "children_2", "children_3_plus", "expectant")
EXTRAS = ("first_time", "volunteers")
REGISTRATION = ("attended", "no_show")


class CountInput(forms.NumberInput):
    """A number field the phone opens with its digit keypad; steppers are added by stepper.js."""

    def __init__(self):
        super().__init__(attrs={"min": 0, "inputmode": "numeric", "pattern": "[0-9]*", "class": "count"})


class HeadcountForm(forms.ModelForm):
    """The session's numbers. With `registered` (places taken on its registration), also how
    many of those came and how many did not; it starts from the registered number."""

    class Meta:
        model = Session
        fields = [*COUNTS, *EXTRAS, *REGISTRATION, "facility", "note"]
        widgets = {name: CountInput() for name in (*COUNTS, *EXTRAS, *REGISTRATION)}
        widgets["note"] = forms.Textarea(attrs={"rows": 2})

    def __init__(self, *args, registered=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.registered = registered
        if registered is None:
            for name in REGISTRATION:
                del self.fields[name]
        elif not self.instance.is_recorded:
            # Everyone registered came, until the partner types who did not.
            self.initial.update(attended=registered, no_show=0)
        for name in (*COUNTS, *EXTRAS):
            self.fields[name].required = False
        # Where it was held: the facilities in use, and the one it has even if no longer in use.
        facility = self.fields["facility"]
        facility.queryset = Facility.objects.filter(Q(active=True) | Q(pk=self.instance.facility_id))
        facility.help_text = _("Where it was held, for the yearly document (本拠点, サテライト…).")

    def count_fields(self):
        return [self[name] for name in COUNTS]

    def extra_fields(self):
        return [self[name] for name in EXTRAS]

    def registration_fields(self):
        return [self[name] for name in REGISTRATION if name in self.fields]

    def clean(self):
        cleaned = super().clean()
        for name in (*COUNTS, *EXTRAS):
            if cleaned.get(name) is None and name not in self.errors:
                cleaned[name] = 0  # an empty box is nobody
        came = sum(cleaned.get(name) or 0 for name in COUNTS)
        if (cleaned.get("first_time") or 0) > came:
            self.add_error("first_time", _("There cannot be more first-time visitors than people who came."))
        if self.registered is not None:
            answered = (cleaned.get("attended") or 0) + (cleaned.get("no_show") or 0)
            if answered > self.registered:
                self.add_error(
                    "no_show",
                    _("Those who came and those who did not add up to more than the %(count)d registered.")
                    % {"count": self.registered},
                )
        return cleaned


class TrainingOutcomeForm(forms.ModelForm):
    """A training session's outcome: how many completed it, and later how many of them
    registered as providing members. The second may stay empty until the hub knows."""

    class Meta:
        model = Session
        fields = ["trained", "providers_registered"]
        widgets = {name: CountInput() for name in fields}

    def __init__(self, *args, took_part=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trained"].required = True
        if self.instance.trained is None and took_part is not None:
            # Those marked as having taken part on the training's applicants list.
            self.initial["trained"] = took_part

    def clean(self):
        cleaned = super().clean()
        trained, registered = cleaned.get("trained"), cleaned.get("providers_registered")
        if trained is not None and registered is not None and registered > trained:
            self.add_error(
                "providers_registered",
                _("More cannot register than the %(count)d who completed the training.") % {"count": trained},
            )
        return cleaned
