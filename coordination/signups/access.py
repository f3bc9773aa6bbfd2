"""Who may see applicants' personal data: the page's organisations' members and network admins."""

from areas.access import is_network_admin
from areas.models import Membership


def may_see_applicants(user, page) -> bool:
    if not user.is_authenticated:
        return False
    if is_network_admin(user):
        return True
    organisation_ids = [organisation.pk for organisation in page.signup_organisations()]
    return Membership.objects.filter(user=user, organisation_id__in=organisation_ids).exists()
