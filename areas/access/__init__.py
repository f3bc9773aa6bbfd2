"""The one access module: who may see, edit, see the applicants of, or manage what.

Every "may this person …" question is answered here, once; pages, views, search, feeds, exports,
the admin's hooks and the notification audiences ask it and never repeat a rule. `areas` sits
below the feature apps, so the rules are written on what objects offer (Wagtail's view
restrictions and page permissions, a page's `organisers` and `signup_organisations()`, an action
item's `owner`, a notification's audience fields) or on what the feature app passes in (the
organisations taking part in a meeting). Import from `areas.access`, never from its modules.

Naming (docs/architecture.md): `may_<verb>_<object>(person, object)` asks whether a person may do
something to one object (the person is the request where a session decides, as for a password
restriction); `is_<fact>(person, …)` states a fact about a person (a role, a belonging); a plural
noun names the set a rule selects (`manageable_organisations(user)`, `partner_memberships(area)`).
"""

from areas.access.approvals import (
    AwaitingApproval,
    may_approve_page,
    may_write_minutes,
    pages_awaiting_approval,
)
from areas.access.audiences import (
    Audience,
    NotificationReader,
    audience_user_ids,
    may_read_notification_body,
    notification_readers,
)
from areas.access.evaluation import (
    evaluation_reviewer_organisations,
    may_edit_evaluation,
    may_read_evaluation_draft,
    may_review_evaluation,
)
from areas.access.managing import (
    manageable_organisations,
    may_edit_area_data,
    may_give_areas,
    may_manage_membership,
    may_manage_organisation,
)
from areas.access.pages import (
    EditedByOrganisers,
    OrganisersPagePermissionTester,
    Reader,
    documents_visible_in_admin,
    is_public_page,
    may_edit_page,
    may_view_invitation_only,
    may_view_page,
    pages_visible_in_admin,
    pages_visible_on_site,
    public_pages,
    refusing_restrictions,
)
from areas.access.people import (
    coordinated_areas,
    forget_roles,
    groups_of,
    is_area_partner,
    is_member_of,
    is_network_admin,
    is_network_partner,
    is_privileged,
    is_without_second_factor,
    organisations_of,
    partner_groups,
    partner_memberships,
    served_area_ids,
    served_areas,
)
from areas.access.records import (
    is_session_recorder,
    may_close_out_meeting,
    may_mark_action_item_done,
    may_record_headcount,
    may_record_training_outcome,
    may_see_applicants,
    recordable_sessions,
)
from areas.access.reports import (
    area_coordinators,
    may_reopen_fiscal_year,
    may_see_report,
    may_see_ward_report,
    reportable_areas,
)
from areas.access.roster import may_see_roster, roster_entries_visible_to
from areas.access.second_factor import (
    second_factor_redirect,
    second_factor_required,
)
from areas.access.sessions import attach_session

__all__ = [
    "Audience",
    "AwaitingApproval",
    "EditedByOrganisers",
    "NotificationReader",
    "OrganisersPagePermissionTester",
    "Reader",
    "area_coordinators",
    "attach_session",
    "audience_user_ids",
    "coordinated_areas",
    "documents_visible_in_admin",
    "evaluation_reviewer_organisations",
    "forget_roles",
    "groups_of",
    "is_area_partner",
    "is_member_of",
    "is_network_admin",
    "is_network_partner",
    "is_privileged",
    "is_public_page",
    "is_session_recorder",
    "is_without_second_factor",
    "manageable_organisations",
    "may_approve_page",
    "may_close_out_meeting",
    "may_edit_area_data",
    "may_edit_evaluation",
    "may_edit_page",
    "may_give_areas",
    "may_manage_membership",
    "may_manage_organisation",
    "may_mark_action_item_done",
    "may_read_evaluation_draft",
    "may_read_notification_body",
    "may_record_headcount",
    "may_record_training_outcome",
    "may_reopen_fiscal_year",
    "may_review_evaluation",
    "may_see_applicants",
    "may_see_report",
    "may_see_roster",
    "may_see_ward_report",
    "may_view_invitation_only",
    "may_view_page",
    "may_write_minutes",
    "notification_readers",
    "organisations_of",
    "pages_awaiting_approval",
    "pages_visible_in_admin",
    "pages_visible_on_site",
    "partner_groups",
    "partner_memberships",
    "public_pages",
    "recordable_sessions",
    "refusing_restrictions",
    "reportable_areas",
    "roster_entries_visible_to",
    "second_factor_redirect",
    "second_factor_required",
    "served_area_ids",
    "served_areas",
]
