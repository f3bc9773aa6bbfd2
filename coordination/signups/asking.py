"""What a page asks besides name and contact: furigana, who comes, and the organiser's questions.

Parent-and-child events (`OffersSignups.signup_asks_party`) need the number of groups and adults
and each child's age: one row per child, chosen as 歳・か月 and kept in months. Organisers add
their own questions (allergies, buggy parking). The answers go with the application to the
organisers' list and CSV.
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from common.dates import age_in_years
from coordination.signups.offers import Question

#: Children on one application with their ages asked; more can be written in the message.
MAX_CHILDREN = 5
#: Up to 6 years 11 months: the ward's child-rearing support covers children before school.
MAX_AGE_MONTHS = 83
#: The name of the button that adds a child's row when JavaScript does not.
ADD_CHILD = "add_child"
_KANA = re.compile(r"^[\u3041-\u309f\u30a0-\u30ff\u30fc\s\u3000]+$")


def _count(label, *, low, high, initial):
    """A small number chosen from a list: no typing, and a target as tall as any field."""
    message = _("Please choose a number from %(low)d to %(high)d.") % {"low": low, "high": high}
    return forms.TypedChoiceField(
        label=label,
        coerce=int,
        choices=[(n, n) for n in range(low, high + 1)],
        initial=initial,
        error_messages={"required": message, "invalid_choice": message},
    )


def age_choices() -> list:
    """「1歳3か月」 in groups of a year: a parent knows the age in years and months, not in months."""
    years = []
    for year in range(MAX_AGE_MONTHS // 12 + 1):
        months = [
            (year * 12 + month, age_in_years(year * 12 + month))
            for month in range(12)
            if year * 12 + month <= MAX_AGE_MONTHS
        ]
        years.append((_("%(years)d years") % {"years": year}, months))
    return [("", _("Choose the age")), *years]


def child_field(number: int) -> forms.Field:
    return forms.TypedChoiceField(
        label=_("Age of child %(number)d") % {"number": number},
        coerce=int,
        empty_value=None,
        required=False,
        choices=age_choices(),
        error_messages={"invalid_choice": _("Please choose the age from the list.")},
        widget=forms.Select(attrs={"class": "child-age"}),
    )


def child_rows(data) -> int:
    """How many child rows the form shows: those sent back, one more when 「add a child」 was
    pressed (without JavaScript), at least one and at most MAX_CHILDREN."""
    if data is None:
        return 1
    sent = [int(key.rsplit("_", 1)[1]) for key in data if re.fullmatch(r"child_age_[1-9]\d*", key)]
    rows = max(sent, default=1) + (1 if data.get(ADD_CHILD) else 0)
    return max(1, min(rows, MAX_CHILDREN))


def party_fields(data=None) -> dict:
    fields = {
        "furigana": forms.CharField(
            label=_("Name in furigana"),
            max_length=100,
            help_text=_("In hiragana or katakana, for example やまだ はなこ."),
            error_messages={"required": _("Please enter your name in furigana.")},
        ),
        "groups": _count(_("Number of groups"), low=1, high=5, initial=1),
        "adults": _count(_("Adults"), low=0, high=10, initial=1),
    }
    for number in range(1, child_rows(data) + 1):
        fields[f"child_age_{number}"] = child_field(number)
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
        extra = party_fields(self.data if self.is_bound else None) if page.signup_asks_party else {}
        for number, question in enumerate(self.questions, start=1):
            extra[f"question_{number}"] = question_field(question)
        fields = list(self.fields.items())
        at = next((i for i, (name, _field) in enumerate(fields) if name == "message"), len(fields))
        fields = fields[:at] + list(extra.items()) + fields[at:]
        # Furigana right under the name it spells.
        furigana = [(name, field) for name, field in fields if name == "furigana"]
        fields = [pair for pair in fields if pair[0] != "furigana"]
        at = next((i + 1 for i, (name, _field) in enumerate(fields) if name == "name"), 0)
        self.fields = dict(fields[:at] + furigana + fields[at:])
        self.asks_party = page.signup_asks_party

    def clean_furigana(self):
        value = self.cleaned_data["furigana"].strip()
        if not _KANA.match(value):
            raise forms.ValidationError(_("Please write your name in hiragana or katakana."))
        return value

    def child_ages(self) -> list[int]:
        """The ages chosen, in the order of the rows; an empty row is no child."""
        names = sorted(
            (name for name in self.fields if name.startswith("child_age_")), key=lambda n: int(n[10:])
        )
        return [self.cleaned_data[name] for name in names if self.cleaned_data.get(name) is not None]

    def clean_about(self, cleaned) -> None:
        if not self.asks_party or "adults" not in cleaned:
            return
        if cleaned["adults"] + len(self.child_ages()) == 0:
            self.add_error("adults", _("Please say how many adults and children are coming."))

    def about(self) -> dict:
        """What the services store besides name and contact (`services.apply`'s `about`)."""
        data = self.cleaned_data
        answers = [
            [question.label, data.get(f"question_{n}", "")] for n, question in enumerate(self.questions, 1)
        ]
        if not self.asks_party:
            return {"answers": answers}
        ages = self.child_ages()
        return {
            "furigana": data["furigana"],
            "groups": data["groups"],
            "adults": data["adults"],
            "children": len(ages),
            "child_ages": ages,
            "answers": answers,
        }
