"""Who may write, review and read the hub's yearly evaluation document (評価の文書).

The hub writes it: network admins only. The ward office (区役所こども家庭支援課) reviews it before
it is published (the seed's 相互振り返り): any member of an organisation of the ward-office kind,
and nobody else, not even a superuser, so the hub cannot approve its own document. Once
published it is public; a draft is read by its writers and reviewers only.
"""

from areas.access.people import is_network_admin, roles_of
from areas.models import PartnerOrganisation
from common.page_cache import shared_fragment


def may_edit_evaluation(user) -> bool:
    """Network admins (and superusers) with their second factor passed."""
    return user.is_authenticated and is_network_admin(user)


def may_review_evaluation(user) -> bool:
    """Members of the ward office, whatever their role."""
    if not user.is_authenticated:
        return False
    # From the roles already read and the ward office's ids, the same for everyone (kept under
    # the page cache's generation): no query of its own on the dashboard.
    ward_office = shared_fragment(
        "ward-office-ids", lambda: frozenset(evaluation_reviewer_organisations().values_list("pk", flat=True))
    )
    return bool(roles_of(user).organisation_ids & ward_office)


def evaluation_reviewer_organisations():
    """The organisations whose members review the document: told when one waits for them."""
    return PartnerOrganisation.objects.filter(kind=PartnerOrganisation.Kind.WARD_OFFICE)


def may_read_evaluation_draft(user) -> bool:
    """Its writers and its reviewers."""
    return may_edit_evaluation(user) or may_review_evaluation(user)
