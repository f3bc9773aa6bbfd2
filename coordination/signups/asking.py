"""What a page asks besides name and contact: furigana, who comes, and the organiser's questions.

Parent-and-child events need the number of groups, adults and children and each child's age
in months (`OffersSignups.signup_asks_party`); organisers add their own questions (allergies,
buggy parking). The answers go with the application to the organisers' list and CSV.
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from coordination.signups.offers import Question

#: Children on one application with their ages asked; more can be written in the message.
MAX_CHILDREN = 5
#: Up to 6 years 11 months: the ward's child-rearing support covers children before school.
MAX_AGE_MONTHS = 83
_KANA = re.compile(r"^[\u3041-\u309f\u30a0-\u30ff\u30fc\s\u3000]+$")


def _count(label, *, low, high, initial):
    message = _("Please enter a number from %(low)d to %(high)d.") % {"low": low, "high": high}
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        initial=initial,
        error_messages={"required": message, "invalid": message, "min_value": message, "max_value": message},
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": low, "max": high}),
    )


def party_fields() -> dict:
    fields = {
        "furigana": forms.CharField(
            label=_("Name in furigana"),
            max_length=100,
            help_text=_("In hiragana or katakana, for example やまだ はなこ."),
            error_messages={"required": _("Please enter your name in furigana.")},
        ),
        "groups": _count(_("Number of groups"), low=1, high=5, initial=1),
        "adults": _count(_("Adults"), low=0, high=10, initial=1),
        "children": _count(_("Children"), low=0, high=MAX_CHILDREN, initial=1),
    }
    for number in range(1, MAX_CHILDREN + 1):
        field = _count(
            _("Age in months of child %(number)d") % {"number": number},
            low=0,
            high=MAX_AGE_MONTHS,
            initial=None,
        )
        field.required = False
        if number == 1:
            field.help_text = _(
                "One box per child coming, from the first: for example 14 for one year and two months."
            )
        fields[f"child_age_{number}"] = field
    return fields


def question_field(question: Question) -> forms.Field:
    required_message = {"required": _("Please answer this question.")}
    if question.kind == Question.TEXT:
        return forms.CharField(
            label=question.label, required=question.required, max_length=200, error_messages=required_message
        )
    choices = question.choices if question.kind == Question.CHOICE else [str(_("Yes")), str(_("No"))]
    return forms.ChoiceField(
        label=question.label,
        required=question.required,
        choices=[(choice, choice) for choice in choices],
        widget=forms.RadioSelect,
        error_messages=required_message,
    )


class AsksAboutParty:
    """Mixin for the application form: adds the page's extra fields and gathers their answers."""

    def add_about_fields(self, page) -> None:
        self.questions = page.signup_questions()
        extra = party_fields() if page.signup_asks_party else {}
        for number, question in enumerate(self.questions, start=1):
            extra[f"question_{number}"] = question_field(question)
        fields = list(self.fields.items())
        at = next((i for i, (name, _field) in enumerate(fields) if name == "message"), len(fields))
        self.fields = dict(fields[:at] + list(extra.items()) + fields[at:])
        self.asks_party = page.signup_asks_party

    def clean_furigana(self):
        value = self.cleaned_data["furigana"].strip()
        if not _KANA.match(value):
            raise forms.ValidationError(_("Please write your name in hiragana or katakana."))
        return value

    def clean_about(self, cleaned) -> None:
        if not self.asks_party or "children" not in cleaned:
            return
        ages = [cleaned.get(f"child_age_{n}") for n in range(1, MAX_CHILDREN + 1)]
        given = [age for age in ages if age is not None]
        if any(f"child_age_{n}" in self.errors for n in range(1, MAX_CHILDREN + 1)):
            return
        if len(given) != cleaned["children"] or ages[: len(given)] != given:
            self.add_error(
                "child_age_1",
                _("Please enter the age in months of each of the %(count)d children, from the first box.")
                % {"count": cleaned["children"]},
            )
        if cleaned.get("adults", 0) + cleaned["children"] == 0:
            self.add_error("adults", _("Please say how many adults and children are coming."))

    def about(self) -> dict:
        """What the services store besides name and contact (`services.apply`'s `about`)."""
        data = self.cleaned_data
        answers = [
            [question.label, data.get(f"question_{n}", "")] for n, question in enumerate(self.questions, 1)
        ]
        if not self.asks_party:
            return {"answers": answers}
        ages = [data[f"child_age_{n}"] for n in range(1, data["children"] + 1)]
        return {
            "furigana": data["furigana"],
            "groups": data["groups"],
            "adults": data["adults"],
            "children": data["children"],
            "child_ages": ages,
            "answers": answers,
        }
