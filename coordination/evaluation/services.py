"""What writes evaluation documents: the figures drafted from the ledger, a new year started from
last year's text."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from areas.access import evaluation_reviewer_organisations
from coordination.activity.notation import seed_lines
from coordination.activity.report import information_rows, targets_progress
from coordination.evaluation.models import EvaluationDocument, Goal, NextGoal
from coordination.evaluation.workflows import review_workflow
from coordination.notifications.models import Audience, Kind
from coordination.notifications.services import notify

#: What a new year takes over from last year as it is.
CARRIED_OVER = (
    "programme_name",
    "contract_years",
    "implementers",
    "purpose",
    "principles",
    "projects",
    "evaluation_method",
)


def figures_draft(
    *, programme_types, fiscal_year: int, areas=None, targets=(), information_work: bool = False
) -> str:
    """A goal's figures as the ledger drafts them: one line per programme type in the seed's
    notation, then each target (目標値) with the year's actual and its note, then the year's ③
    information work kind by kind (those with a count); in the document's language (Japanese),
    whatever the writer's."""
    with override(settings.LANGUAGE_CODE):
        return _figures_draft(
            programme_types=programme_types,
            fiscal_year=fiscal_year,
            areas=areas,
            targets=targets,
            information_work=information_work,
        )


def _figures_draft(*, programme_types, fiscal_year, areas, targets, information_work) -> str:
    found = seed_lines(list(programme_types), fiscal_year, areas)
    targets = list(targets)
    for target, progress in zip(targets, targets_progress(fiscal_year, targets), strict=True):
        line = _("Target: %(label)s %(target)d (actual %(actual)d, %(percent)d%%)") % {
            "label": progress.label,
            "target": progress.target,
            "actual": progress.actual,
            "percent": progress.percent,
        }
        found.append(f"{line} {target.note}".strip() if target.note else line)
    if information_work:
        found += [
            _("%(kind)s: %(count)d") % {"kind": row.kind, "count": row.count}
            for row in information_rows(fiscal_year)
            if row.count
        ]
    return "\n".join(found)


@transaction.atomic
def document_start_next_year(*, document: EvaluationDocument, user=None) -> EvaluationDocument:
    """The next fiscal year's document, a draft started from this one: the same outline, next
    year's key goals as its goals (with this year's programme types where a goal keeps its
    place), and nothing yet of its outcomes or issues. Returns the one that exists, if any."""
    year = document.fiscal_year + 1
    existing = EvaluationDocument.objects.filter(fiscal_year=year).first()
    if existing is not None:
        return existing
    review_workflow()
    latest = document.get_latest_revision_as_object() if document.latest_revision_id else document
    new = EvaluationDocument(
        fiscal_year=year,
        contract_year=latest.contract_year + 1,
        live=False,
        **{name: getattr(latest, name) for name in CARRIED_OVER},
    )
    old_goals = list(latest.goals.all())
    for index, next_goal in enumerate(latest.next_goals.all()):
        goal = Goal(text=next_goal.text, actions=next_goal.actions, sort_order=index)
        if index < len(old_goals):
            goal.programme_types = list(old_goals[index].programme_types.all())
        new.goals.add(goal)
        new.next_goals.add(NextGoal(text=next_goal.text, actions=next_goal.actions, sort_order=index))
    new.save()
    new.save_revision(user=user, log_action=True)
    return new


def review_requested(*, document: EvaluationDocument) -> None:
    """Submitted: the ward office's members are told that it waits for them (inbox and e-mail)."""
    url = reverse("evaluation:review", args=[document.fiscal_year])
    title = _("Please review: %(title)s") % {"title": document.title}
    for organisation in evaluation_reviewer_organisations():
        notify(
            kind=Kind.REMINDER,
            title=title,
            audience=Audience.ORGANISATION,
            organisation=organisation,
            url=url,
        )
