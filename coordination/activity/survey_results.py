"""What the yearly report reads of the surveys: the answers per question, added up."""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from common.fiscal import fiscal_year_range
from coordination.activity.surveys import SurveyAnswer, SurveyQuestion


@dataclass
class QuestionResult:
    """One question's answers: `counts` per choice (choices and yes/no questions, "yes"/"no" for
    a single tick box), `average` of the numbers given, `texts` for free text."""

    label: str
    field_type: str
    answered: int = 0
    counts: Counter = field(default_factory=Counter)
    numbers: list = field(default_factory=list)
    texts: list = field(default_factory=list)

    @property
    def choices(self) -> list[tuple[str, int]]:
        """(choice, count), the most chosen first, equal counts by the choice's text: the same order
        whatever order the database handed the answers in (PostgreSQL's varies)."""
        return sorted(self.counts.items(), key=lambda item: (-item[1], str(item[0])))

    @property
    def average(self) -> float | None:
        return round(sum(self.numbers) / len(self.numbers), 1) if self.numbers else None

    def add(self, value) -> None:
        if value in (None, "", []):
            return
        self.answered += 1
        if self.field_type == "checkbox":
            self.counts["yes" if value else "no"] += 1
        elif self.field_type == "checkboxes":
            self.counts.update(value)
        elif self.field_type in ("radio", "dropdown"):
            self.counts[value] += 1
        elif self.field_type == "number":
            try:
                self.numbers.append(float(Decimal(str(value))))
            except InvalidOperation:
                pass
        else:
            self.texts.append(str(value))


@dataclass
class SurveyResult:
    survey_id: int
    title: str
    programme_type_id: int
    answers: int = 0
    on_paper: int = 0
    questions: list = field(default_factory=list)


def survey_results(fiscal_year: int, areas=None) -> list[SurveyResult]:
    """The surveys answered in the fiscal year, each with its questions' results, in two
    queries. With `areas` (areas or their ids), the surveys chosen for one of them; ward-wide
    surveys without areas only without `areas`."""
    first, last = fiscal_year_range(fiscal_year)
    questions = SurveyQuestion.objects.select_related("page").order_by("page_id", "sort_order", "pk")
    answers = SurveyAnswer.objects.filter(submit_time__date__range=(first, last))
    if areas is not None:
        questions = questions.filter(page__areas__in=areas).distinct()
        answers = answers.filter(page__surveypage__areas__in=areas).distinct()
    results = {}
    for question in questions:
        page = question.page
        result = results.setdefault(page.pk, SurveyResult(page.pk, page.title, page.programme_type_id))
        result.questions.append((question.clean_name, QuestionResult(question.label, question.field_type)))
    for answer in answers.only("page_id", "form_data", "on_paper").order_by("pk"):
        result = results.get(answer.page_id)
        if result is None:
            continue
        result.answers += 1
        result.on_paper += answer.on_paper
        for name, question in result.questions:
            question.add(answer.form_data.get(name))
    for result in results.values():
        result.questions = [question for _name, question in result.questions]
    return [result for result in results.values() if result.answers]
