from django import forms
from django.utils.translation import gettext_lazy as _

from areas.access import coordinated_areas, is_network_admin, manageable_organisations
from areas.models import AreaPage, Membership, PartnerOrganisation


class RoleFieldsMixin:
    """Role choices and coordinated areas limited to what the acting person may give."""

    def limit_to(self, actor):
        self.fields["role"].error_messages["invalid_choice"] = _("You cannot give this role.")
        self.fields["coordinated_areas"].error_messages["invalid_choice"] = _(
            "You can only choose areas that you coordinate yourself."
        )
        roles = Membership.Role.choices
        if not is_network_admin(actor):
            roles = [(v, label) for v, label in roles if v != Membership.Role.NETWORK_ADMIN]
        self.fields["role"].choices = roles
        areas = AreaPage.objects.order_by("path") if is_network_admin(actor) else coordinated_areas(actor)
        self.fields["coordinated_areas"].queryset = areas.order_by("path")


class InvitationForm(RoleFieldsMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail address of the person to invite"))
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=None,
        required=False,
        empty_label=_("— a new organisation (below) —"),
    )
    new_organisation_name = forms.CharField(
        label=_("New organisation's name"), max_length=150, required=False
    )
    new_organisation_kind = forms.ChoiceField(
        label=_("New organisation's kind"),
        choices=PartnerOrganisation.Kind.choices,
        initial=PartnerOrganisation.Kind.NURSERY,
        required=False,
    )
    new_organisation_area = forms.ModelChoiceField(
        label=_("Area the new organisation serves"), queryset=AreaPage.objects.none(), required=False
    )
    role = forms.ChoiceField(label=_("Role"), initial=Membership.Role.MEMBER)
    coordinated_areas = forms.ModelMultipleChoiceField(
        label=_("Areas they will coordinate (coordinators only)"),
        queryset=AreaPage.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = manageable_organisations(actor).order_by("name")
        self.limit_to(actor)
        self.fields["new_organisation_area"].queryset = self.fields["coordinated_areas"].queryset
        self.fields["organisation"].error_messages["invalid_choice"] = _(
            "You can only invite people into organisations that serve only the areas you coordinate."
        )
        self.fields["new_organisation_area"].error_messages["invalid_choice"] = _(
            "You can only choose areas that you coordinate yourself."
        )

    def clean(self):
        cleaned = super().clean()
        chosen, name = cleaned.get("organisation"), cleaned.get("new_organisation_name", "").strip()
        if chosen and name:
            self.add_error("new_organisation_name", _("Choose an organisation or name a new one, not both."))
        elif not chosen and not name:
            self.add_error("organisation", _("Choose the organisation, or name a new one below."))
        elif name:
            if PartnerOrganisation.objects.filter(name=name).exists():
                self.add_error("new_organisation_name", _("An organisation with this name already exists."))
            if not cleaned.get("new_organisation_area"):
                self.add_error("new_organisation_area", _("Choose the area the new organisation serves."))
        return cleaned


class RoleForm(RoleFieldsMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"))
    coordinated_areas = forms.ModelMultipleChoiceField(
        label=_("Areas they coordinate (coordinators only)"),
        queryset=AreaPage.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_to(actor)


class NewAccountForm(forms.Form):
    """The little an invited person must give to create their account."""

    last_name = forms.CharField(label=_("Family name"), max_length=150)
    first_name = forms.CharField(label=_("Given name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password (again)"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.password_validation import validate_password

        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif cleaned.get("password1"):
            user = get_user_model()(email=self.email, last_name=cleaned.get("last_name", ""))
            try:
                validate_password(cleaned["password1"], user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
