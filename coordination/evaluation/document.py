"""The evaluation document laid out as the seed lays it out: a title, then sections of rows, each
row a label (事業実施期間, 取組の成果…) and its content, one paragraph a line. The public page, the
PDF and the Word file are all drawn from `document_layout`, so they show the same blocks."""

from dataclasses import dataclass, field

from django.utils.translation import override, pgettext

from common.fiscal import fiscal_year_range
from coordination.activity.models import Project
from coordination.evaluation.models import EvaluationDocument, lines, reiwa_year


@dataclass
class Row:
    label: str
    paragraphs: list[str]


@dataclass
class Part:
    heading: str
    rows: list[Row] = field(default_factory=list)


@dataclass
class Layout:
    title: str
    fiscal_year: int
    parts: list[Part]


def project_lines(document) -> list[str]:
    """事業の内容: the document's own list, or else the projects the hub keeps as data (the ones
    its programme types belong to), in the contract's order, written as the seed writes them:
    「乳幼児の遊びと育ちの場…の提供(親子の居場所事業)」."""
    return lines(document.projects) or [
        f"{project.name}({project.short_name})" if project.short_name else project.name
        for project in Project.objects.order_by("number")
    ]


def circled(number: int) -> str:
    """①, ②… ⑳ for 1 to 20; (21) beyond."""
    return chr(0x2460 + number - 1) if 1 <= number <= 20 else f"({number})"


def era_date(value) -> str:
    """令和7年4月1日."""
    reiwa = value.year - 2018
    return f"令和{'元' if reiwa == 1 else reiwa}年{value.month}月{value.day}日"


def numbered(items: list[str]) -> list[str]:
    return [f"{index} {item}" for index, item in enumerate(items, start=1)]


def bullets(items: list[str]) -> list[str]:
    """・ before each item, unless it is a heading (【…】) or already has one."""
    return [item if item.startswith(("・", "【", "※")) else f"・{item}" for item in items]


def period(document: EvaluationDocument) -> str:
    first, last = fiscal_year_range(document.fiscal_year)
    return (
        f"{era_date(first)}～{era_date(last)}({document.contract_year}年度目/{document.contract_years}か年度)"
    )


def _goal_lines(goals) -> list[str]:
    return [f"{circled(index)}{goal.text}" for index, goal in enumerate(goals, start=1)]


def _numbered_items(goals, text_of) -> list[str]:
    """Each goal's items under its number: ① on its own line, then its bullets."""
    paragraphs = []
    for index, goal in enumerate(goals, start=1):
        items = lines(text_of(goal))
        if items:
            paragraphs.append(circled(index))
            paragraphs.extend(bullets(items))
    return paragraphs


def document_layout(document: EvaluationDocument) -> Layout:
    """The document's blocks in the seed's order, in Japanese whatever the reader's language."""
    with override("ja"):
        return _layout(document)


def _layout(document: EvaluationDocument) -> Layout:
    goals = list(document.goals.all())
    next_goals = list(document.next_goals.all())
    year, next_year = reiwa_year(document.fiscal_year), reiwa_year(document.fiscal_year + 1)
    purpose = [*lines(document.purpose)]
    if lines(document.principles):
        purpose += [
            pgettext("evaluation document", "[Basic principles of the programme and its facilities]"),
            *numbered(lines(document.principles)),
        ]
    outline = Part(
        "",
        [
            Row(pgettext("evaluation document", "Programme period"), [period(document)]),
            Row(pgettext("evaluation document", "Carried out by"), lines(document.implementers)),
            Row(pgettext("evaluation document", "Purpose of the programme"), purpose),
            Row(
                pgettext("evaluation document", "What the programme does"), numbered(project_lines(document))
            ),
            Row(
                pgettext("evaluation document", "How it is evaluated and how the results are published"),
                numbered(lines(document.evaluation_method)),
            ),
        ],
    )
    evaluation = Part(
        pgettext("evaluation document", "Evaluation of the key goals of %(year)s") % {"year": year},
        [
            Row(
                pgettext("evaluation document", "Key goals of %(year)s") % {"year": year}, _goal_lines(goals)
            ),
            Row(
                pgettext("evaluation document", "Actions"), _numbered_items(goals, lambda goal: goal.actions)
            ),
            Row(
                pgettext("evaluation document", "Outcomes"),
                _numbered_items(goals, lambda goal: goal.figures) + bullets(lines(document.outcomes)),
            ),
            Row(pgettext("evaluation document", "Issues"), bullets(lines(document.issues))),
        ],
    )
    next_part = Part(
        pgettext("evaluation document", "Next year's key goals"),
        [
            Row(
                pgettext("evaluation document", "Key goals of %(year)s, next year") % {"year": next_year},
                _goal_lines(next_goals),
            ),
            Row(
                pgettext("evaluation document", "Actions"),
                _numbered_items(next_goals, lambda goal: goal.actions),
            ),
        ],
    )
    return Layout(
        title=document.title, fiscal_year=document.fiscal_year, parts=[outline, evaluation, next_part]
    )


def file_name(document: EvaluationDocument, extension: str) -> str:
    """令和7年度_旭区地域子育て支援拠点事業_重点目標評価結果_区全体.pdf: the year and the scope."""
    return (
        f"{reiwa_year(document.fiscal_year)}_{document.programme_name}_重点目標評価結果_旭区全体.{extension}"
    )
