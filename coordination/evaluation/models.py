"""The hub's yearly evaluation document (令和7年度重点目標評価結果・令和8年度重点目標), as data.

One document per fiscal year, a Wagtail snippet with drafts, revisions and a workflow: the hub's
network admins write it, the ward office reviews it (coordination/evaluation/workflows.py), and
the approved revision is published, then public. Its texts are kept one item a line, so the page,
the PDF and the Word file lay them out the same way (coordination/evaluation/document.py). The
figures of each 重点目標 are drafted from the ledger (coordination.activity.notation.seed_lines)
and stay editable, so what the ward office approves is what is published.
"""

from django import forms
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import PermissionDenied
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import (
    DraftStateMixin,
    Orderable,
    PreviewableMixin,
    RevisionMixin,
    Task,
    TaskState,
    WorkflowMixin,
)

from areas.access import may_review_evaluation
from coordination.activity.models import ProgrammeType, Target

LINES_HELP = _("One item a line.")


def lines(text: str) -> list[str]:
    """The non-empty lines of a text field, stripped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class EvaluationDocument(WorkflowMixin, DraftStateMixin, RevisionMixin, PreviewableMixin, ClusterableModel):
    """The document of one fiscal year."""

    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"),
        unique=True,
        validators=[MinValueValidator(2019)],
        help_text=_("The Western year in which it starts: 2025 for 令和7年度 (April 2025 to March 2026)."),
    )
    programme_name = models.CharField(_("programme"), max_length=100, default="旭区地域子育て支援拠点事業")
    contract_year = models.PositiveSmallIntegerField(
        _("year of the contract"), default=1, validators=[MinValueValidator(1)], help_text=_("2 for 2年度目.")
    )
    contract_years = models.PositiveSmallIntegerField(
        _("years in the contract"),
        default=5,
        validators=[MinValueValidator(1)],
        help_text=_("5 for 5か年度."),
    )
    implementers = models.TextField(_("carried out by"), help_text=LINES_HELP)
    purpose = models.TextField(_("purpose of the programme"))
    principles = models.TextField(_("basic principles"), blank=True, help_text=LINES_HELP)
    # Left empty, the document lists the projects the hub keeps as data (activity.Project).
    projects = models.TextField(_("what the programme does"), blank=True, help_text=LINES_HELP)
    evaluation_method = models.TextField(
        _("how it is evaluated and published"), blank=True, help_text=LINES_HELP
    )
    outcomes = models.TextField(
        _("outcomes, in words"), blank=True, help_text=_("One item a line; the figures are with each goal.")
    )
    issues = models.TextField(_("issues"), blank=True, help_text=LINES_HELP)

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="evaluation_document")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="evaluation_document",
        for_concrete_model=False,
    )

    panels = [
        FieldRowPanel([FieldPanel("fiscal_year"), FieldPanel("contract_year"), FieldPanel("contract_years")]),
        FieldPanel("programme_name"),
        FieldPanel("implementers"),
        FieldPanel("purpose"),
        FieldPanel("principles"),
        FieldPanel("projects"),
        FieldPanel("evaluation_method"),
        MultiFieldPanel([InlinePanel("goals", label=_("Key goal"))], heading=_("This year's key goals")),
        FieldPanel("outcomes"),
        FieldPanel("issues"),
        MultiFieldPanel([InlinePanel("next_goals", label=_("Key goal"))], heading=_("Next year's key goals")),
    ]

    class Meta:
        verbose_name = _("evaluation document")
        verbose_name_plural = _("evaluation documents")
        ordering = ["-fiscal_year"]

    def __str__(self):
        return self.title

    @property
    def revisions(self):
        return self._revisions

    @property
    def title(self) -> str:
        year = self.fiscal_year or 0
        return f"{self.programme_name} {reiwa_year(year)}重点目標評価結果・{reiwa_year(year + 1)}重点目標"

    title.fget.short_description = _("title")  # the admin listing's column

    def get_preview_template(self, request, mode_name):
        return "evaluation/preview.html"


class Goal(ClusterableModel, Orderable):
    """One of the year's numbered key goals (重点目標 ①②③), what was done for it (取組内容), what
    measures it, and its figures."""

    document = ParentalKey(EvaluationDocument, on_delete=models.CASCADE, related_name="goals")
    text = models.TextField(_("key goal"))
    actions = models.TextField(_("what is done for it"), blank=True, help_text=LINES_HELP)
    programme_types = ParentalManyToManyField(
        ProgrammeType, blank=True, related_name="+", verbose_name=_("programme types that measure it")
    )
    targets = ParentalManyToManyField(
        Target, blank=True, related_name="+", verbose_name=_("targets that measure it")
    )
    information_work = models.BooleanField(
        _("count ③ information work"),
        default=False,
        help_text=_("Draft the year's information work (SNS posts, flyers, circulars…) into its figures."),
    )
    figures = models.TextField(
        _("figures"),
        blank=True,
        help_text=_(
            "Drafted from the ledger when left empty: one line per programme type, then each "
            "target with its actual, then the information work. Edit or add lines; empty it to "
            "draft it again."
        ),
    )

    panels = [
        FieldPanel("text"),
        FieldPanel("actions"),
        FieldPanel("programme_types", widget=forms.CheckboxSelectMultiple),
        FieldPanel("targets", widget=forms.CheckboxSelectMultiple),
        FieldPanel("information_work"),
        FieldPanel("figures"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("key goal")
        verbose_name_plural = _("key goals")


class NextGoal(Orderable):
    """One of next year's key goals, with what will be done for it."""

    document = ParentalKey(EvaluationDocument, on_delete=models.CASCADE, related_name="next_goals")
    text = models.TextField(_("key goal"))
    actions = models.TextField(_("what will be done for it"), blank=True, help_text=LINES_HELP)

    panels = [FieldPanel("text"), FieldPanel("actions")]

    class Meta(Orderable.Meta):
        verbose_name = _("next year's key goal")
        verbose_name_plural = _("next year's key goals")


class WardOfficeReviewTask(Task):
    """The ward office's review (相互振り返り): its members approve or ask for changes, nobody
    else (areas.access.may_review_evaluation). Nobody edits the document while it waits: what is
    approved is what was submitted."""

    admin_form_fields = Task.admin_form_fields

    class Meta:
        verbose_name = _("ward office review")
        verbose_name_plural = _("ward office reviews")

    def user_can_access_editor(self, obj, user):
        """Never: Wagtail's editor would let a reviewer save changes even while locked (tried),
        so the reviewers read the draft on the site's review page (evaluation:review)."""
        return False

    def locked_for_user(self, obj, user):
        return True

    def user_can_lock(self, obj, user):
        return False

    def user_can_unlock(self, obj, user):
        return False

    def get_actions(self, obj, user):
        if not may_review_evaluation(user):
            return []
        return [
            ("reject", pgettext_lazy("evaluation document", "Request changes"), True),
            ("approve", pgettext_lazy("evaluation document", "Approve"), False),
            ("approve", pgettext_lazy("evaluation document", "Approve with comment"), True),
        ]

    def on_action(self, task_state, user, action_name, **kwargs):
        """Approving publishes: the ward office's approval is the permission to publish, which
        nobody holds otherwise (Wagtail would check the approver's own publish permission). The
        approval is logged as the reviewer's, the publication as the workflow's."""
        if action_name != "approve":
            return super().on_action(task_state, user, action_name, **kwargs)
        if not may_review_evaluation(user):
            raise PermissionDenied
        task_state.approve(user=user, update=False, **kwargs)
        task_state.workflow_state.update(user=None)
        return None

    def get_task_states_user_can_moderate(self, user, **kwargs):
        """None for Wagtail's "awaiting your review" panel, whose links open the editor the
        reviewers may not use: they are told by a notification and find the document on their
        dashboard and on /evaluation/, which link to the review page."""
        return TaskState.objects.none()

    @classmethod
    def get_description(cls):
        return _("Members of the ward office approve the evaluation document or ask for changes")


def reiwa_year(year: int) -> str:
    """令和7年度 for 2025 (令和元年度 for 2019)."""
    reiwa = year - 2018
    return "令和元年度" if reiwa == 1 else f"令和{reiwa}年度"
