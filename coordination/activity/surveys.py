"""利用者アンケート: short anonymous questionnaires built with Wagtail's form builder.

A survey lives under an area page (that area's) or under the home page (ward-wide, areas
chosen or none), and belongs to a programme type. Answers keep only what was ticked or typed:
no IP address, e-mail or name (no such question can be added), and whether a partner typed it
in from a paper sheet.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import get_usage
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.forms import FormBuilder
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


#: The largest number a survey takes (children, visits, people): what a venue counts on its fingers,
#: not a stuffed average.
SURVEY_NUMBER_MAX = 99
#: How long a device remembers it answered a survey.
ANSWERED_COOKIE_AGE = 365 * 24 * 60 * 60


class SurveyFormBuilder(FormBuilder):
    """Numbers within plausible bounds: 0 to SURVEY_NUMBER_MAX, at most one decimal."""

    def create_number_field(self, field, options):
        return forms.DecimalField(min_value=0, max_value=SURVEY_NUMBER_MAX, decimal_places=1, **options)


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
    form_builder = SurveyFormBuilder

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
        refusal = None if on_paper else self._refusal(request)
        form = self.get_form(request.POST or None, page=self, user=request.user)
        if request.method == "POST" and refusal is None and form.is_valid():
            form.on_paper = on_paper
            answer = self.process_form_submission(form)
            if on_paper:
                messages.success(request, _("Saved. You can type in the next sheet."))
                return redirect(self.url + "?paper=1")
            self._rate_usage(request, increment=True)
            response = self.render_landing_page(request, answer, *args, **kwargs)
            response.set_signed_cookie(
                self._answered_cookie,
                "1",
                salt=self._answered_cookie,
                max_age=ANSWERED_COOKIE_AGE,
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        else:
            context = self.get_context(request, *args, **kwargs)
            context.update(form=form, on_paper=on_paper, refusal=refusal and refusal[1])
            status = refusal[0] if refusal and request.method == "POST" else 400 if form.is_bound else 200
            template = self.get_template(request, *args, **kwargs)
            response = TemplateResponse(request, template, context, status=status)
        patch_cache_control(response, private=True, no_store=True)
        return response

    @property
    def _answered_cookie(self) -> str:
        return f"survey-{self.pk}"

    def _rate_usage(self, request, *, increment):
        return get_usage(
            request,
            group=self._answered_cookie,
            key="ip",
            rate=settings.SURVEY_RATE_LIMIT,
            method="POST",
            increment=increment,
        )

    def _refusal(self, request):
        """(status, why) when this device already answered or its address sent too many answers."""
        try:
            request.get_signed_cookie(
                self._answered_cookie, salt=self._answered_cookie, max_age=ANSWERED_COOKIE_AGE
            )
        except (KeyError, signing.BadSignature):
            pass
        else:
            return 409, _("You have already answered this survey on this device. Thank you!")
        usage = self._rate_usage(request, increment=False)
        if usage is not None and usage["count"] >= usage["limit"]:
            return 429, _("Too many answers came from this connection. Please try again later.")
        return None

    def process_form_submission(self, form):
        return SurveyAnswer.objects.create(
            form_data=form.cleaned_data, page=self, on_paper=getattr(form, "on_paper", False)
        )
