from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from areas import memberships
from areas.access import (
    manageable_organisations,
    may_manage_membership,
    may_manage_organisation,
    public_pages,
    second_factor_required,
)
from areas.finder import find_areas
from areas.forms import InvitationForm, NewAccountForm, RoleForm
from areas.models import AreaPage, Membership, PartnerOrganisation


def _add_errors(form, error: ValidationError):
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


@login_required
@second_factor_required
def invite(request):
    """Invite a person into an organisation with a role (network admins and coordinators)."""
    if not manageable_organisations(request.user).exists():
        raise PermissionDenied
    form = InvitationForm(request.POST or None, actor=request.user, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                organisation = data["organisation"] or memberships.organisation_create(
                    actor=request.user,
                    name=data["new_organisation_name"].strip(),
                    kind=data["new_organisation_kind"],
                    areas=[data["new_organisation_area"]],
                )
                memberships.invitation_send(
                    inviter=request.user,
                    email=data["email"],
                    organisation=organisation,
                    role=data["role"],
                    areas=list(data["coordinated_areas"]),
                )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("An invitation was sent to %(email)s. The link works once, for 14 days.")
                % {"email": data["email"]},
            )
            return redirect("areas:organisation_members", organisation.pk)
    return render(request, "areas/invite.html", {"form": form})


def accept_invitation(request, token):
    """The link in the invitation e-mail: create or link the account, then join."""
    try:
        invitation = memberships.invitation_find(token)
    except memberships.InvitationError as error:
        return render(request, "areas/invitation_problem.html", {"problem": str(error)}, status=error.status)

    context = {"invitation": invitation}
    if request.user.is_authenticated:
        if not memberships.user_may_accept(request.user, invitation):
            context["problem"] = _(
                "This invitation was sent to %(invited)s, but you are logged in as %(current)s. "
                "Log out, then open the link again."
            ) % {"invited": invitation.email, "current": request.user.email}
            return render(request, "areas/invitation_problem.html", context, status=403)
        if request.method == "POST":
            return _join(request, token)
        return render(request, "areas/invitation_accept.html", context)

    if get_user_model().objects.filter(email__iexact=invitation.email).exists():
        context["login_url"] = f"{reverse('account_login')}?next={request.path}"
        return render(request, "areas/invitation_accept.html", context)

    form = NewAccountForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = get_user_model().objects.create_user(
                email=invitation.email,
                password=form.cleaned_data["password1"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )
            login(request, user, backend="allauth.account.auth_backends.AuthenticationBackend")
            return _join(request, token)
    context["form"] = form
    return render(request, "areas/invitation_accept.html", context)


def _join(request, token):
    try:
        membership = memberships.invitation_accept(token=token, user=request.user)
    except memberships.InvitationError as error:
        return render(request, "areas/invitation_problem.html", {"problem": str(error)}, status=error.status)
    messages.success(
        request,
        _("Welcome! You are now a member of %(organisation)s.") % {"organisation": membership.organisation},
    )
    return redirect("dashboard")


@login_required
@second_factor_required
def organisation_members(request, pk, bound=None):
    """The members of one organisation, with their roles, for admins and coordinators."""
    organisation = get_object_or_404(PartnerOrganisation, pk=pk)
    if not may_manage_organisation(request.user, organisation):
        raise PermissionDenied
    rows = []
    for membership in organisation.memberships.select_related("user").prefetch_related("coordinated_areas"):
        if not may_manage_membership(request.user, membership):
            form = None
        elif bound is not None and bound[0].pk == membership.pk:
            form = bound[1]
        else:
            form = RoleForm(
                actor=request.user,
                prefix=f"m{membership.pk}",
                initial={"role": membership.role, "coordinated_areas": membership.coordinated_areas.all()},
            )
        rows.append((membership, form))
    pending = organisation.invitations.filter(accepted_at__isnull=True).order_by("-created_at")
    return render(
        request,
        "areas/organisation_members.html",
        {"organisation": organisation, "rows": rows, "pending": pending},
    )


@login_required
@second_factor_required
@require_POST
def change_role(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("organisation"), pk=pk)
    form = RoleForm(request.POST, actor=request.user, prefix=f"m{membership.pk}")
    if form.is_valid():
        try:
            memberships.membership_change_role(
                actor=request.user,
                membership=membership,
                role=form.cleaned_data["role"],
                areas=list(form.cleaned_data["coordinated_areas"]),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The role of %(person)s was changed.") % {"person": membership.user})
            return redirect("areas:organisation_members", membership.organisation_id)
    return organisation_members(request, membership.organisation_id, bound=(membership, form))


@login_required
@second_factor_required
@require_POST
def remove_member(request, pk):
    """Remove someone from an organisation, or leave it yourself."""
    membership = get_object_or_404(Membership.objects.select_related("organisation", "user"), pk=pk)
    leaving = membership.user_id == request.user.pk
    try:
        memberships.membership_remove(actor=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if leaving:
            messages.success(
                request, _("You left %(organisation)s.") % {"organisation": membership.organisation}
            )
        else:
            messages.success(request, _("%(person)s was removed.") % {"person": membership.user})
    if leaving or not may_manage_organisation(request.user, membership.organisation):
        return redirect("dashboard")
    return redirect("areas:organisation_members", membership.organisation_id)


def find_area(request):
    """Which area am I in? By town block or station; until the hub fills them in, the list of areas."""
    query = request.GET.get("q", "")[:100]
    search = find_areas(query)
    areas = public_pages(AreaPage.objects.live()).order_by("path")
    return render(request, "areas/find_area.html", {"search": search, "areas": areas})
