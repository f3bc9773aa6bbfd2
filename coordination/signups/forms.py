"""The public application form: one form for volunteer postings and event registration."""

from django import forms
from django.conf import settings
from django.forms.utils import ErrorDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.dates import ja_datetime
from common.links import CHANNELS, HEARD_VIA
from common.phone import InvalidPhone, normalise_phone
from coordination.signups.asking import MAX_CHILDREN, AsksAboutParty
from coordination.signups.models import Signup, Slot
from coordination.signups.services import Decision, SignupError, check_count, places_left, with_counts


def availability(slot, *, in_groups=False) -> str:
    """「残り3人」 (「残り3組」 where places are groups), 「満員（キャンセル待ちで受付）」, 「抽選」, or
    nothing when there is no limit."""
    left = places_left(slot)
    if slot.lottery:
        return str(_("lottery"))
    if left is None:
        return ""
    if left > 0:
        if in_groups:
            return str(_("%(count)d groups left")) % {"count": left}
        return str(_("%(count)d places left")) % {"count": left}
    return str(_("full: waiting list")) if slot.waitlist else str(_("full"))


def slot_label(slot, in_groups=False) -> str:
    """「12月8日（火）10:00〜 今宿西地区センター　残り3人」: what a phone user needs to choose."""
    parts = [slot.label or ja_datetime(slot.starts_at), slot.place, availability(slot, in_groups=in_groups)]
    return "　".join(part for part in parts if part)


class SlotChoiceField(forms.ModelMultipleChoiceField):
    #: Places counted in groups (an event's 組): 「残り3組」.
    in_groups = False

    def label_from_instance(self, obj):
        return slot_label(obj, self.in_groups)


class SingleSlotChoiceField(forms.ModelChoiceField):
    #: Places counted in groups (an event's 組): 「残り3組」.
    in_groups = False

    def label_from_instance(self, obj):
        return slot_label(obj, self.in_groups)


def phone_field(*, required: bool, label=None) -> forms.CharField:
    """A Japanese telephone number (`common.phone`): 090-1234-5678, 045-123-4567, with or without
    hyphens, full-width digits made half-width."""
    return PhoneField(
        label=label or (_("Phone number") if required else _("Phone (optional)")),
        max_length=30,
        required=required,
        error_messages={"required": _("Please enter a telephone number: the organisers will call you.")},
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "tel", "type": "tel", "placeholder": "090-1234-5678"}
        ),
    )


class PhoneField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        try:
            return normalise_phone(value)
        except InvalidPhone:
            raise forms.ValidationError(
                _("Please enter a telephone number in digits, such as 090-1234-5678 or 045-123-4567.")
            ) from None


def slot_field(page, slots, *, label, help_text="", choose=False):
    """Checkboxes where one may choose several (shifts), radio buttons where exactly one (a date);
    with `choose`, where one is chosen for the applicant (the next one, changed with one control),
    exactly one is a select."""
    if page.signup_multiple:
        field = SlotChoiceField(
            queryset=slots,
            label=label,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": _("Please choose at least one.")},
            help_text=help_text,
        )
        field.in_groups = page.counts_groups
        return field
    field = SingleSlotChoiceField(
        queryset=slots,
        label=label,
        widget=forms.Select if choose else forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Please choose one.")},
    )
    field.in_groups = page.counts_groups
    return field


class ChoosesSlots:
    """A form whose `slots` field is made by `slot_field` for `self.page`."""

    def chosen_slot_ids(self) -> list[int]:
        chosen = self.cleaned_data["slots"]
        return [slot.pk for slot in chosen] if self.page.signup_multiple else [chosen.pk]


class ApplicationForm(AsksAboutParty, ChoosesSlots, forms.Form):
    """Name, contact, choice and consent, what the page asks besides (`asking`); a hidden
    field that only robots fill in."""

    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=100)
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("We send a link to confirm your application there. Without e-mail, please telephone."),
        error_messages={"invalid": _("Please enter an e-mail address such as hanako@example.jp.")},
    )
    phone = phone_field(required=False)
    message = forms.CharField(
        label=_("Message (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Anything the organisers should know, for example experience or questions."),
    )
    #: 「どこで知りましたか」: optional, counted by channel and never stored with the application.
    heard_via = forms.ChoiceField(
        label=_("Where did you hear about this? (optional)"),
        required=False,
        choices=[("", _("Rather not say"))] + [(code, CHANNELS[code]) for code in HEARD_VIA],
        help_text=_("Only counted, to learn which ways reach people; not kept with your application."),
    )
    consent = forms.BooleanField(
        label=_("I agree to my data being used as described above."),
        error_messages={"required": _("Please agree to how your data is used, or telephone us instead.")},
    )
    #: Hidden from people (CSS and aria-hidden); a robot filling every field fills this too.
    website = forms.CharField(required=False, label=_("Leave this field empty"))
    #: Only where the page offers it (`OffersSignups.signup_offers_roster`); its own consent, never
    #: needed to apply. Its text is `RosterEntry.CONSENT_VERSION`: change both together.
    roster = forms.BooleanField(
        label=_("Yes, keep me on the volunteer roster (optional)"),
        required=False,
        help_text=_(
            "The hub and the organisers may then tell you by e-mail about later activities and "
            "training. We keep your name, e-mail address, phone number and the areas and kind of "
            "activity of this posting, also after the data of this application is deleted. Every such "
            "e-mail has a link to leave the roster at any time, which deletes all of it. You can apply "
            "without this."
        ),
    )

    def __init__(self, *args, page, slots, chosen_key="", **kwargs):
        kwargs.setdefault("label_suffix", "")  # no colon after Japanese labels
        super().__init__(*args, **kwargs)
        self.page = page
        limit = _(
            "Up to %(count)d in one application; more can be added from the link once you have confirmed."
        ) % {"count": settings.SIGNUP_MAX_SLOTS_PER_APPLICATION}
        label = getattr(page, "signup_slot_label", pgettext_lazy("choice", "Choose"))
        slots_field = slot_field(page, slots, label=label, help_text=limit, choose=True)
        self.fields = {"slots": slots_field, **self.fields}
        # The date an event card's 「申し込む」 was for, else the next one; a form sent back shows
        # what was sent, so it asks for neither.
        first = None
        if not self.is_bound:
            first = (slots.filter(key=chosen_key).first() if chosen_key else None) or slots.first()
        if first is not None:  # the next date or shift is chosen; the others are one control away
            self.initial.setdefault("slots", [first.pk] if page.signup_multiple else first.pk)
        if getattr(page, "signup_phone_required", False):
            self.fields["phone"] = phone_field(required=True)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["name"].error_messages["required"] = _("Please enter your name.")
        self.fields["email"].error_messages["required"] = _("Please enter your e-mail address.")
        self.add_about_fields(page)
        if not page.signup_offers_roster:
            del self.fields["roster"]

    def clean(self):
        cleaned = super().clean()
        self.clean_about(cleaned)
        return cleaned

    def without_errors(self):
        """Shown again as sent, without checking it: after 「add a child」 without JavaScript."""
        self._errors = ErrorDict()
        self.cleaned_data = {}
        return self

    def slot_choices(self) -> dict:
        """Shifts as checkboxes: the first on its own, the others behind one 「more」 control,
        open when one of them is chosen."""
        boxes = list(self["slots"])
        rest = boxes[1:]
        return {"first": boxes[:1], "rest": rest, "open": any(box.data["selected"] for box in rest)}

    max_children = MAX_CHILDREN

    def child_fields(self) -> list:
        return [self[name] for name in self.fields if name.startswith("child_age_")]

    @property
    def more_children(self) -> bool:
        """Whether a row for one more child may be added."""
        return len(self.child_fields()) < MAX_CHILDREN

    def error_links(self) -> list[tuple[str, str]]:
        """(the id of the control to go to, the message) for each wrong field in the form's order:
        the error summary at the top of the form (the GOV.UK pattern) links each to its field."""
        links = []
        for name, field in self.fields.items():
            if name not in self.errors:
                continue
            bound = self[name]
            multiple = isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
            target = f"{bound.auto_id}_0" if multiple else bound.id_for_label
            links += [(target, f"{field.label}：{message}") for message in self.errors[name]]
        return links

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website"))

    def clean_slots(self):
        chosen = self.cleaned_data["slots"]
        if self.page.signup_multiple:
            try:
                check_count(len(chosen))
            except SignupError as error:
                raise forms.ValidationError(error.message) from None
        return chosen


class EnteredApplicationForm(ChoosesSlots, forms.Form):
    """An organiser types in an application taken by telephone or at the counter."""

    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=100)
    phone = phone_field(required=False, label=_("Phone"))
    email = forms.EmailField(
        label=_("E-mail address (optional)"),
        required=False,
        error_messages={"invalid": _("Please enter an e-mail address such as hanako@example.jp.")},
    )
    message = forms.CharField(
        label=_("Notes (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    consent = forms.BooleanField(
        label=_("They agreed on the telephone to how their data is used."),
        error_messages={"required": _("Please explain how their data is used and ask for their agreement.")},
    )

    def __init__(self, *args, page, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        self.fields = {"slots": slot_field(page, slots, label=_("Shifts, dates or session")), **self.fields}

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("phone") and not cleaned.get("email"):
            self.add_error(
                "phone", _("Give a telephone number or an e-mail address, so that they can be reached.")
            )
        return cleaned


class DetailsForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=100)
    phone = phone_field(required=False)
    message = forms.CharField(
        label=_("Message (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AddSlotsForm(forms.Form):
    slots = SlotChoiceField(
        queryset=Slot.objects.none(),
        label=_("Add"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Please choose at least one.")},
    )

    def __init__(self, *args, slots, in_groups=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slots"].queryset = slots
        self.fields["slots"].in_groups = in_groups


class ChangeSlotForm(forms.Form):
    """For pages where one chooses exactly one (a date, a training session): choose another."""

    slot = SingleSlotChoiceField(
        queryset=Slot.objects.none(),
        label=pgettext_lazy("new choice", "Change to"),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Please choose one.")},
    )

    def __init__(self, *args, slots, in_groups=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = slots
        self.fields["slot"].in_groups = in_groups


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.CHOICES)
    message = forms.CharField(
        label=_("Message to the applicant"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Sent by e-mail with the decision."),
    )


def open_slots(page, now=None):
    """The page's slots that still take applications, with counts for the labels."""
    now = now or timezone.now()
    slots = Slot.objects.filter(page=page, is_open=True).exclude(deadline__lt=now).exclude(starts_at__lte=now)
    return with_counts(slots, now).order_by("sort_order", "starts_at", "pk")


def places_shown(page_id, now=None) -> list[tuple]:
    """What the form shows that an application changes, in one query: the open slots and their
    places left (`availability`; a full slot stays full however many wait). The rest of the form
    changes only with a write that replaces the page cache's content generation (common.page_cache)."""
    return [(slot.pk, places_left(slot)) for slot in open_slots(page_id, now).only("pk", "capacity")]


class TookPartForm(forms.Form):
    """After a shift or date: one checkbox per person holding a place, ticked if they took part.
    Bound again after an error, it keeps what the organiser ticked."""

    took_part = forms.TypedMultipleChoiceField(
        label=_("Took part"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Someone you ticked no longer holds a place here. Please tick again.")
        },
    )

    def __init__(self, *args, signups, **kwargs):
        holding = [signup for signup in signups if signup.status in Signup.HOLDING]
        kwargs.setdefault("initial", {"took_part": [s.pk for s in holding if s.took_part_at is not None]})
        super().__init__(*args, **kwargs)
        self.fields["took_part"].choices = [(signup.pk, signup.applicant.name) for signup in holding]
