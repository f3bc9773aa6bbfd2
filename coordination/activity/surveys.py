"""利用者アンケート: short anonymous questionnaires built with Wagtail's form builder.

A survey lives under an area page (that area's) or under the home page (ward-wide, areas
chosen or none), and belongs to a programme type. Answers keep only what was ticked or typed:
no IP address, e-mail or name (no such question can be added), and whether a partner typed it
in from a paper sheet.
"""

from django.contrib import messages
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import (
    FORM_FIELD_CHOICES,
    AbstractForm,
    AbstractFormField,
    AbstractFormSubmission,
)
from wagtail.fields import RichTextField

from areas.access import may_edit_page

#: Question types that cannot ask who someone is: no e-mail, no free single line (a name).
QUESTION_TYPES = [
    (value, label)
    for value, label in FORM_FIELD_CHOICES
    if value in ("multiline", "number", "checkbox", "checkboxes", "dropdown", "radio")
]


class SurveyQuestion(AbstractFormField):
    page = ParentalKey("SurveyPage", on_delete=models.CASCADE, related_name="form_fields")
    field_type = models.CharField(_("question type"), max_length=16, choices=QUESTION_TYPES)


class SurveyAnswer(AbstractFormSubmission):
    """One questionnaire's answers, and how they came: on a phone or typed in from paper."""

    on_paper = models.BooleanField(_("typed in from paper"), default=False)


class SurveyPage(AbstractForm):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "link"])
    thank_you_text = RichTextField(_("thank-you text"), blank=True, features=["bold", "link"])
    programme_type = models.ForeignKey(
        "activity.ProgrammeType",
        on_delete=models.PROTECT,
        limit_choices_to={"active": True},
        related_name="+",
        verbose_name=_("programme type"),
        help_text=_("Which programme the answers are about, for the yearly evaluation."),
    )
    areas = ParentalManyToManyField(
        "areas.AreaPage",
        blank=True,
        related_name="surveys",
        verbose_name=_("areas"),
        help_text=_("Leave empty for the whole ward. A survey under an area page is that area's."),
    )

    content_panels = AbstractForm.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel([FieldPanel("programme_type"), FieldPanel("areas")], heading=_("For the evaluation")),
        InlinePanel("form_fields", label=_("Questions")),
        FieldPanel("thank_you_text"),
    ]
    parent_page_types = ["areas.AreaPage", "cms.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def get_submission_class(self):
        return SurveyAnswer

    def serve(self, request, *args, **kwargs):
        """Answering on a phone; with ?paper=1, a partner who may edit the survey types in a
        paper sheet and gets a blank form again for the next one. Never cached: it holds a
        CSRF token."""
        on_paper = request.GET.get("paper") == "1" and may_edit_page(request.user, self)
        form = self.get_form(request.POST or None, page=self, user=request.user)
        if request.method == "POST" and form.is_valid():
            form.on_paper = on_paper
            answer = self.process_form_submission(form)
            if on_paper:
                messages.success(request, _("Saved. You can type in the next sheet."))
                return redirect(self.url + "?paper=1")
            response = self.render_landing_page(request, answer, *args, **kwargs)
        else:
            context = self.get_context(request, *args, **kwargs)
            context.update(form=form, on_paper=on_paper)
            response = TemplateResponse(request, self.get_template(request, *args, **kwargs), context)
        patch_cache_control(response, private=True, no_store=True)
        return response

    def process_form_submission(self, form):
        return SurveyAnswer.objects.create(
            form_data=form.cleaned_data, page=self, on_paper=getattr(form, "on_paper", False)
        )
