"""Done when (issue 26): the hub's staff enter a whole fiscal year through the site, as they would
(the admin's forms, the page editor, the headcount form; nothing typed goes through the ORM), the
ward office reviews it, and the public page, the PDF and the Word file carry every block of the seed
(../shared/seed) with its figures in the seed's notation, equal to the ledger's own counts.

The year is reduced but complete: every notation the seed uses appears (one base, both bases
counted in total, each, separately, places with equal and with varying counts, care plazas about
so often, no place at all), with fewer sessions where the seed has dozens. The figures are compared
with what `coordination.activity` counts, never with numbers written here. The staff's actions
(requests that are something a person does: a form sent, a page published) are counted and printed.
"""

import io
import re
from collections import Counter
from datetime import date

import pytest
from django.db.models import Count
from django.urls import reverse
from docx import Document
from pypdf import PdfReader
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from areas.models import AreaPage, Membership, PartnerOrganisation
from areas.tests.factories import MembershipFactory, coordinator_of, log_in_with_second_factor
from cms.demo_evaluation import NEXT_GOALS, SEED
from coordination.activity.models import (
    Facility,
    InformationWork,
    Notation,
    ProgrammeType,
    Project,
    Session,
    Target,
)
from coordination.activity.notation import seed_lines
from coordination.activity.report import information_rows, targets_progress
from coordination.activity.selectors import sessions_in, totals_by_area_and_type
from coordination.evaluation.models import EvaluationDocument, lines
from coordination.events.models import EventIndexPage
from coordination.events.tests.test_events_admin import _form as event_form
from coordination.signups.models import Applicant

pytestmark = pytest.mark.django_db

YEAR = 2025  # 令和7年度, the seed's year: every date entered below is past (published late)
EDIT_URL = "wagtailsnippets_evaluation_evaluationdocument:edit"
ACTION_URL = "wagtailsnippets_evaluation_evaluationdocument:workflow_action"
HUB, SATELLITE = "旭区地域子育て支援拠点 本拠点", "旭区地域子育て支援拠点 サテライト"
BODY = "親子でからだをつかってあそぼう1歳～2歳0か月"
FLYERS = "予定者研修前の提供会員獲得のため駅コンコースでのチラシ配布"
#: What a family gave when registering, and a name a staff member wrote in a note: in no output.
PERSONAL = {"name": "旭野はなこ", "email": "hanako.asahino@example.jp", "phone": "090-1234-5678"}

#: The programme types the hub adds: (name, project number, notation).
TYPES = [
    ("赤ちゃんサロン", 1, Notation.TOTAL),
    ("O才赤ちゃん集まれ～", 1, Notation.TOTAL),
    ("ぷれパパぷれママ講座", 1, Notation.SEPARATELY),
    ("パパとあそぼう", 1, Notation.TOTAL),
    ("育休パパ集まれ～", 1, Notation.TOTAL),
    ("ばあばの会", 1, Notation.TOTAL),
    ("夕涼み会", 1, Notation.EACH),
    ("キッズクッキング(年中～小3)", 1, Notation.EACH),
    ("双子ちゃん三つちゃん集まれ～", 1, Notation.TOTAL),
    (BODY, 1, Notation.TOTAL),
    ("リサイクルマーケット", 4, Notation.TOTAL),
    (FLYERS, 6, Notation.TOTAL),
    ("会員間の交流プログラム", 6, Notation.TOTAL),
]
#: Monthly pages published now for last year's dates: (type, place, area code or None for the
#: ward, first date, last date). The first runs into April of the next year, which is not counted.
MONTHLY = [
    ("赤ちゃんサロン", "本拠点 ひろば", None, "2025-04-08", "2026-04-30"),
    ("ぷれパパぷれママ講座", "本拠点", None, "2025-04-08", "2026-03-31"),
    ("出張ひろば", "{plaza}", "area-01", "2025-04-08", "2026-03-31"),
    ("出張ひろば", "{plaza}", "area-02", "2025-04-08", "2026-03-31"),
    ("出張ひろば", "{plaza}", "area-03", "2025-04-08", "2026-03-31"),
]
#: Activities entered in the session list, some with their numbers: (type, date, start, place,
#: area codes, adults).
ACTIVITIES = [
    ("O才赤ちゃん集まれ～", "2025-04-15", "10:00", "拠点 サテライト", None, 12),
    ("O才赤ちゃん集まれ～", "2025-05-20", "10:00", "拠点 サテライト", None, ""),
    ("ぷれパパぷれママ講座", "2025-06-14", "14:00", "サテライト", None, 16),
    ("ぷれパパぷれママ講座", "2025-09-13", "14:00", "サテライト", None, ""),
    ("パパとあそぼう", "2025-05-10", "10:00", "本拠点", None, 9),
    ("パパとあそぼう", "2025-11-08", "10:00", "サテライト", None, 7),
    ("パパとあそぼう", "2026-02-14", "10:00", "本拠点", None, ""),
    ("育休パパ集まれ～", "2025-08-02", "10:00", "サテライト", None, 6),
    ("ばあばの会", "2025-09-19", "10:00", "本拠点", None, 5),
    ("キッズクッキング(年中～小3)", "2025-08-05", "10:00", "本拠点", None, 10),
    ("キッズクッキング(年中～小3)", "2025-08-06", "10:00", "サテライト", None, 8),
    ("双子ちゃん三つちゃん集まれ～", "2025-10-21", "10:00", "サテライト", None, 4),
    (BODY, "2025-11-11", "10:00", "本拠点", None, 9),
    (BODY, "2025-11-18", "10:00", "サテライト", None, ""),
    ("夕涼み会", "2025-07-25", "17:30", "本拠点", None, 24),
    ("夕涼み会", "2025-07-26", "17:30", "サテライト", None, 18),
    ("リサイクルマーケット", "2025-10-18", "10:00", "本拠点", None, 31),
    (FLYERS, "2025-09-06", "07:30", "", None, 3),
    (FLYERS, "2026-01-17", "07:30", "", None, 3),
    ("会員間の交流プログラム", "2025-12-06", "10:00", "", None, 11),
    *[("そとあそび", "2025-06-12", "10:00", "{park}", code, "") for code in ("area-04", "area-05")],
    # One held jointly for two areas, at the first one's park: once in the ward, once in each area.
    ("そとあそび", "2025-07-10", "10:00", "{park}", "area-04 area-05", 14),
    *[("そとあそび", "2025-10-09", "10:00", "{park}", f"area-0{n}", "") for n in range(4, 10)],
    *[("エリア別連携", "2025-06-20", "14:00", "{plaza}", f"area-{n:02}", 6) for n in range(1, 14)],
    ("エリア別連携", "2026-01-23", "14:00", "{plaza}", "area-01", 7),
]
#: The year's ③ information work staff count by hand: (kind, first of the month, count).
INFORMATION = [
    ("sns_post", "2025-04-01", 14),
    ("flyer_display", "2025-05-01", 9),
    ("circular", "2025-06-01", 2),
]

#: The year's goals: (text, 取組内容, the types that measure it, the targets' types, ③ counted).
GOALS = [
    (
        "多様な方の育児をサポートし、親になる前から切れ目のない支援をしていきます。",
        [
            "赤ちゃんサロン・O才赤ちゃん集まれ～を開催します。",
            "ぷれママさんあつまれ！・ひとり親家庭応援Day・外国人の親子あつまれ！・ひなたぼっこサロン@しおんカフェを開催します。",
            "ぷれパパぷれママ講座を開催します。母子保健コーディネーターと連携します。",
            "母子健康手帳交付時や母親教室等で拠点事業のチラシを配布します。",
        ],
        [
            "赤ちゃんサロン",
            "O才赤ちゃん集まれ～",
            "ぷれパパぷれママ講座",
            "パパとあそぼう",
            "育休パパ集まれ～",
            "ばあばの会",
            "夕涼み会",
            "キッズクッキング(年中～小3)",
            "双子ちゃん三つちゃん集まれ～",
            BODY,
        ],
        [],
        False,
    ),
    (
        "子育て支援のネットワークの要として、地域との連携を深めるシステムの構築を目指します。",
        ["エリア別の情報交換等、子育て支援関係者の連携を図ります。"],
        [
            "出張ひろば",
            "そとあそび",
            FLYERS,
            "会員間の交流プログラム",
            "エリア別連携",
            "リサイクルマーケット",
        ],
        ["出張ひろば", "エリア別連携"],
        False,
    ),
    (
        "子育て世代及び子育て支援に関わる方の欲しい情報を様々な方法で届けます。",
        ["SNS等を活用した情報提供をします。"],
        [],
        [],
        True,
    ),
]
#: What staff type among the drafted figures, goal by goal: the seed's headings and what the
#: ledger does not count. A name in 《》 stands for that type's drafted line, moved there.
ARRANGED = [
    [
        "【0歳児向け】",
        "《赤ちゃんサロン》",
        "《O才赤ちゃん集まれ～》 他",
        "【妊娠期】",
        "《ぷれパパぷれママ講座》",
        "ぷれママ拠点見学会",
        "ぷれママさんあつまれ～ 他",
        "【父親支援】",
        "《パパとあそぼう》",
        "《育休パパ集まれ～》",
        "【その他】",
        "シングルママのおしゃべりティータイム",
        "外国人の親子あつまれ～",
        "《ばあばの会》",
        "《夕涼み会》",
        "《キッズクッキング(年中～小3)》",
        "教えて先輩ママ(小学校入学編)",
        "《双子ちゃん三つちゃん集まれ～》",
        f"《{BODY}》",
        "きょうだい育児座談会(サテライト)",
        "ちょこっとお預かり 他",
    ],
    [
        "《出張ひろば》",
        "《そとあそび》",
        f"《{FLYERS}》",
        "《会員間の交流プログラム》",
        "《エリア別連携》",
        "旭区子育て広場連絡会",
        "旭区子育て支援連絡会事務局",
        "ジュニアボランティアとの連携",
        "中学校家庭科授業協力",
        "《リサイクルマーケット》",
        "ひなママ企画への協力",
        "わくわくフェスティバルの開催 他",
    ],
    ["SNS等を活用した情報提供", "通信やチラシの自治会回覧", "保育園、幼稚園、地域サロン等でのチラシ掲示"],
]
#: The seed's labels and headings, in its words.
LABELS = [
    "旭区地域子育て支援拠点事業令和7年度重点目標評価結果・令和8年度重点目標",
    "事業実施期間",
    "令和7年4月1日～令和8年3月31日(2年度目/5か年度)",
    "事業の実施者",
    "事業目的",
    "【事業・施設運営の基本理念】",
    "事業の内容",
    "事業の評価実施方法及び評価結果の公表方法",
    "令和7年度重点目標の評価",
    "令和7年度重点目標",
    "取組内容",
    "取組の成果",
    "取組の課題",
    "次年度重点目標",
    "令和8年度重点目標",
]


class Staff:
    """A logged-in person's client that counts what they do: each form sent is one action."""

    def __init__(self, client, user):
        self.client, self.user, self.actions = client, user, 0
        log_in_with_second_factor(client, user)

    def send(self, url, data, *, expect=302):
        response = self.client.post(url, data)
        assert response.status_code == expect, _errors(response)
        self.actions += 1
        return response


def _errors(response) -> str:
    html = response.content.decode()
    found = re.findall(r'class="[^"]*error[^"]*"[^>]*>(.*?)</', html, re.S)
    return str(found[:10]) if found else html[-2000:]


def _squash(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def hub_staff(client, demo_site):
    """The hub's network admin, before anything of the year is entered: the demo's places and
    the seed's programme types (cms/demo_places.py) are taken away, so the staff enter them."""
    Facility.objects.all().delete()
    ProgrammeType.objects.filter(code__isnull=True).delete()
    ProgrammeType.objects.filter(code="liaison_meeting").update(notation=Notation.TOTAL)
    hub = PartnerOrganisation.objects.get(kind=PartnerOrganisation.Kind.SUPPORT_HUB)
    admin = MembershipFactory(organisation=hub, role=Membership.Role.NETWORK_ADMIN).user
    return Staff(client, admin)


def _enter_places(staff, areas):
    add = reverse("facilities:add")
    for order, (name, short, kind, aliases) in enumerate(
        [
            (HUB, "本拠点", "main_base", "拠点 本拠点"),
            (SATELLITE, "サテライト", "satellite", "拠点 サテライト"),
        ]
    ):
        staff.send(
            add,
            {"name": name, "short_name": short, "kind": kind, "area": "", "aliases": aliases}
            | {"sort_order": str(order + 1), "active": "on"},
        )
    for code, area in areas.items():
        place = {"short_name": "", "aliases": "", "area": str(area.pk), "active": "on", "sort_order": "50"}
        staff.send(add, {**place, "name": area.care_plaza, "kind": "care_plaza"})
        if code in {f"area-0{n}" for n in range(4, 10)}:
            staff.send(add, {**place, "name": f"{area.title}の公園", "kind": "park"})


def _enter_types(staff) -> dict[str, ProgrammeType]:
    projects = dict(Project.objects.values_list("number", "pk"))
    for order, (name, number, notation) in enumerate(TYPES, start=1):
        staff.send(
            reverse("programme_types:add"),
            {"name": name, "project": str(projects[number]), "kind": "other", "sort_order": str(order)}
            | {"notation": notation, "next_programme": "", "active": "on"},
        )
    # The seeded type of liaison meetings, renamed as the seed writes it and counted per plaza.
    liaison = ProgrammeType.objects.get(code="liaison_meeting")
    staff.send(
        reverse("programme_types:edit", args=[liaison.pk]),
        {"name": "エリア別連携", "project": str(liaison.project_id), "kind": "liaison_meeting"}
        | {"sort_order": "70", "notation": Notation.ABOUT, "next_programme": "", "active": "on"},
    )
    return {found.name: found for found in ProgrammeType.objects.all()}


def _publish_monthly_pages(staff, types, areas, hub):
    index = EventIndexPage.objects.get()
    for number, (name, place, code, first, last) in enumerate(MONTHLY):
        area = areas[code] if code else None
        data = event_form(
            hub,
            area or areas["area-01"],
            title=name,
            slug=f"r7-{number}",
            place=place.format(plaza=area.care_plaza if area else ""),
            start_date=first,
            repeat_until=last,
            start_time="10:00",
            end_time="11:30",
        )
        data["programme_type"] = types[name].pk
        data["areas"] = [area.pk] if area else []
        data["action-publish"] = "action-publish"
        parent = area.pk if area else index.pk
        staff.send(reverse("wagtailadmin_pages:add", args=["events", "eventpage", parent]), data)


def _enter_activities(staff, types, areas):
    for name, day, start, place, codes, adults in ACTIVITIES:
        held_for = [areas[code] for code in (codes or "").split()]
        area = held_for[0] if held_for else None
        where = place.format(
            plaza=area.care_plaza if area else "", park=f"{area.title}の公園" if area else ""
        )
        staff.send(
            reverse("activity_sessions:add"),
            {"programme_type": str(types[name].pk), "title": name, "date": day, "start_time": start}
            | {"end_time": "", "facility": "", "place": where, "areas": [a.pk for a in held_for]}
            | {"organisations": [], "adults": str(adults), "note": ""},
        )


def _record_headcounts(staff):
    """On the headcount form, as from the sign-in sheets: a note naming a family, too."""
    for title in ("赤ちゃんサロン", "出張ひろば"):
        session = Session.objects.filter(title=title, date__year=2025).order_by("date").first()
        staff.send(
            reverse("activity:headcount", args=[session.pk]),
            {"adults": "11", "children_0": "9", "children_1": "2", "first_time": "3", "volunteers": "1"}
            | {"facility": str(session.facility_id or ""), "note": f"{PERSONAL['name']}さんが初参加"},
        )


def _enter_information_and_targets(staff, types):
    for kind, day, count in INFORMATION:
        staff.send(
            reverse("information_work:add"), {"kind": kind, "date": day, "count": str(count), "note": ""}
        )
    for name, metric, value, note in (
        ("出張ひろば", "sessions", 36, "3か所で月1回"),
        ("エリア別連携", "meetings", 26, "各エリア年2回"),
    ):
        staff.send(
            reverse("targets:add"),
            {"fiscal_year": str(YEAR), "area": "", "programme_type": str(types[name].pk)}
            | {"metric": metric, "value": str(value), "note": note},
        )


def _document_form(types, document=None, figures=None) -> dict:
    targets = {t.programme_type.name: t.pk for t in Target.objects.filter(fiscal_year=YEAR)}
    saved = list(document.goals.all()) if document else []
    goals = []
    for index, (text, actions, _types, _targets, information) in enumerate(GOALS):
        goal = {"text": text, "actions": "\n".join(actions), "figures": figures[index] if figures else ""}
        if information:
            goal["information_work"] = "on"
        if saved:
            goal["id"] = str(saved[index].pk)
        goals.append(goal)
    next_goals = [{"text": t, "actions": "\n".join(a)} for t, a in NEXT_GOALS]
    for item, saved_next in zip(next_goals, document.next_goals.all() if document else [], strict=False):
        item["id"] = str(saved_next.pk)
    texts = {key: SEED[key] for key in SEED if key != "projects"}  # 事業の内容: from the hub's data
    data = nested_form_data(
        {
            **{key: str(value) for key, value in texts.items()},
            "projects": "",
            "fiscal_year": str(YEAR),
            "goals": inline_formset(goals, initial=len(saved)),
            "next_goals": inline_formset(next_goals, initial=len(saved)),
        }
    )
    for index, (_text, _actions, names, target_names, _information) in enumerate(GOALS):
        data[f"goals-{index}-programme_types"] = [types[name].pk for name in names]
        data[f"goals-{index}-targets"] = [targets[name] for name in target_names]
    return data


def _arranged(drafted: list[str]) -> list[str]:
    """The staff's figures: the drafted lines moved under the seed's headings, what the ledger
    cannot count typed between them; the lines no 《》 names (targets, ③) kept at the end."""
    figures = []
    for goal_lines, arrangement in zip(drafted, ARRANGED, strict=True):
        moved, kept = set(), []
        for item in arrangement:
            if match := re.fullmatch(r"《(.+?)》(.*)", item):
                line = next(line for line in goal_lines if line.startswith(match[1]))
                moved.add(line)
                kept.append(line + match[2])
            else:
                kept.append(item)
        kept += [line for line in goal_lines if line not in moved]
        figures.append("\n".join(kept))
    return figures


def _held(name, scope=None, **filters) -> list[int]:
    """The ledger's count of a type's sessions in the year, per facility (sessions_in: the fiscal
    year's dates, every session once; with `scope`, those held for its areas)."""
    rows = (
        sessions_in(YEAR, scope)
        .filter(programme_type__name=name, **filters)
        .order_by()
        .values("facility")
        .annotate(n=Count("pk"))
    )
    return sorted(row["n"] for row in rows)


def _notation_expected() -> list[str]:
    """The seed's notation, filled with the ledger's counts."""
    salon, zero = _held("赤ちゃんサロン"), _held("O才赤ちゃん集まれ～")
    course_hub = _held("ぷれパパぷれママ講座", facility__kind="main_base")
    course_satellite = _held("ぷれパパぷれママ講座", facility__kind="satellite")
    outreach, outdoor, liaison = _held("出張ひろば"), _held("そとあそび"), _held("エリア別連携")
    evening, cooking = _held("夕涼み会"), _held("キッズクッキング(年中～小3)")
    assert (
        len(set(outreach)) == len(set(evening)) == len(set(cooking)) == 1
        and len(outdoor) == 6
        and len(liaison) == 13
    )
    about = int(sum(liaison) / len(liaison) + 0.5)
    return [
        f"赤ちゃんサロン(本拠点){salon[0]}回",
        f"O才赤ちゃん集まれ～(サテライト){zero[0]}回",
        f"ぷれパパぷれママ講座 本拠点{course_hub[0]}回、サテライト{course_satellite[0]}回",
        f"パパとあそぼう(両拠点)計{sum(_held('パパとあそぼう'))}回",
        f"育休パパ集まれ～(サテライト){sum(_held('育休パパ集まれ～'))}回",
        f"ばあばの会(本拠点){sum(_held('ばあばの会'))}回",
        f"夕涼み会(夕方開催)(両拠点)各{evening[0]}回",
        f"キッズクッキング(年中～小3)(両拠点)各{cooking[0]}回",
        f"双子ちゃん三つちゃん集まれ～(サテライト){sum(_held('双子ちゃん三つちゃん集まれ～'))}回",
        f"{BODY}(両拠点)計{sum(_held(BODY))}回",
        f"出張ひろば({len(outreach)}か所 年間各{outreach[0]}回)",
        f"そとあそび(6か所 年間各{min(outdoor)}～{max(outdoor)}回)",
        f"エリア別連携(13地域ケアプラザ別 各{about}回程度)",
        f"{FLYERS} {sum(_held(FLYERS))}回",
        f"会員間の交流プログラム {sum(_held('会員間の交流プログラム'))}回",
        f"リサイクルマーケット(本拠点){sum(_held('リサイクルマーケット'))}回",
    ]


def _outputs(client) -> dict[str, str]:
    page = client.get(reverse("evaluation:detail", args=[YEAR]))
    pdf = client.get(reverse("evaluation:file", args=[YEAR, "pdf"]))
    docx = client.get(reverse("evaluation:file", args=[YEAR, "docx"]))
    assert page.status_code == pdf.status_code == docx.status_code == 200
    word = Document(io.BytesIO(docx.content))
    cells = [p.text for t in word.tables for row in t.rows for cell in row.cells for p in cell.paragraphs]
    return {
        "page": _squash(page.content.decode()),
        "pdf": _squash("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)),
        "docx": _squash("".join([p.text for p in word.paragraphs] + cells)),
    }


def _seed_texts() -> list[str]:
    texts = [SEED["purpose"]]
    for key in ("implementers", "principles", "projects", "evaluation_method", "outcomes", "issues"):
        texts += lines(SEED[key])
    for text, actions, *_rest in GOALS:
        texts += [text, *actions]
    for arrangement in ARRANGED:
        texts += [item for item in arrangement if "《" not in item]
    for text, actions in NEXT_GOALS:
        texts += [text, *actions]
    return texts


def _a_coordinator_reads_their_areas_figures_only(client, types, areas):
    """The report of a coordinator of 今宿西 (area-01): its 出張ひろば and liaison meetings in the
    seed's notation, as the ledger counts them for the area, and nothing of any other area's or
    of the ward-wide programmes; no one's personal data either."""
    mine = areas["area-01"]
    log_in_with_second_factor(client, coordinator_of(mine))
    html = client.get(reverse("activity:report"), {"year": YEAR}).content.decode()
    csv = client.get(reverse("activity:report_export", args=["csv"]), {"year": YEAR}).content.decode(
        "utf-8-sig"
    )
    client.logout()
    scope = AreaPage.objects.filter(pk=mine.pk)
    own = seed_lines([types["出張ひろば"], types["エリア別連携"]], YEAR, scope)
    assert own == [
        f"出張ひろば({mine.care_plaza}){sum(_held('出張ひろば', scope))}回",
        f"エリア別連携({mine.care_plaza}){sum(_held('エリア別連携', scope))}回",
    ]
    ward_wide = seed_lines(ProgrammeType.objects.filter(name__in=[n for n, *_r in TYPES]), YEAR)
    for name, text in (("page", html), ("csv", csv)):
        assert all(_squash(line) in _squash(text) for line in own), name
        others = [a.care_plaza for code, a in areas.items() if code != "area-01"]
        assert not [other for other in others if other in text], name
        assert not [line for line in ward_wide if _squash(line) in _squash(text)], name
        assert not [value for value in PERSONAL.values() if value in text], name


def test_the_hub_enters_a_whole_year_and_the_published_document_carries_every_block_of_the_seed(
    client, hub_staff
):
    staff = hub_staff
    areas = {area.code: area for area in AreaPage.objects.order_by("code")}
    hub = PartnerOrganisation.objects.get(kind=PartnerOrganisation.Kind.SUPPORT_HUB)
    assert len(areas) == 13

    _enter_places(staff, areas)
    types = _enter_types(staff)
    _publish_monthly_pages(staff, types, areas, hub)
    _enter_activities(staff, types, areas)
    _record_headcounts(staff)
    _enter_information_and_targets(staff, types)
    entered = staff.actions

    # A family registered on a page of the year: their details stay with the registration.
    outreach_page = Session.objects.filter(title="出張ひろば").first().page
    Applicant.objects.create(page=outreach_page, consent_at=outreach_page.first_published_at, **PERSONAL)

    # Past dates published now are in the ledger; the April after the year is not counted in it.
    salon = Session.objects.filter(programme_type=types["赤ちゃんサロン"])
    assert sum(_held("赤ちゃんサロン")) == salon.count() - 1 and salon.last().date == date(2026, 4, 14)
    assert not Session.objects.filter(facility__isnull=True).exclude(place="").exists()  # all attributed
    # The joint session: once ward-wide, once in each of its two areas (the report's totals).
    outdoor = [row for row in ACTIVITIES if row[0] == "そとあそび"]
    totals = totals_by_area_and_type(YEAR)
    assert totals.overall[types["そとあそび"].pk].sessions == sum(_held("そとあそび")) == len(outdoor)
    for code in ("area-04", "area-05"):
        in_area = sum(1 for row in outdoor if code in row[4].split())
        assert totals.by_area[areas[code].pk, types["そとあそび"].pk].sessions == in_area

    # The document: the texts typed once, the figures drafted from the ledger.
    add = reverse("wagtailsnippets_evaluation_evaluationdocument:add")
    staff.send(add, _document_form(types))
    document = EvaluationDocument.objects.get(fiscal_year=YEAR)
    drafted = [lines(goal.figures) for goal in document.goals.all()]
    for (_text, _actions, names, _targets, _information), goal_lines in zip(GOALS, drafted, strict=True):
        # In the hub's order of the types (by project, then their order).
        assert goal_lines[: len(names)] == seed_lines(ProgrammeType.objects.filter(name__in=names), YEAR)

    # Arranged under the seed's headings, with what the ledger cannot count, and submitted.
    arranged = _arranged(drafted)
    staff.send(
        reverse(EDIT_URL, args=[document.pk]),
        {**_document_form(types, document, arranged), "action-submit": "submit"},
    )
    staff.client.logout()
    # Waiting for the ward office: public by no route, the sitemap included.
    assert client.get(reverse("evaluation:detail", args=[YEAR])).status_code == 404
    assert "/evaluation/" not in client.get("/sitemap.xml").content.decode()

    ward = PartnerOrganisation.objects.get(kind=PartnerOrganisation.Kind.WARD_OFFICE)
    reviewer = Staff(client, MembershipFactory(organisation=ward, role=Membership.Role.MEMBER).user)
    task_state = EvaluationDocument.objects.get(pk=document.pk).current_workflow_task_state
    reviewer.send(
        reverse(ACTION_URL, args=[document.pk, "approve", task_state.pk]), {"comment": "確認しました。"}
    )
    client.logout()
    document.refresh_from_db()
    assert document.live

    # The public reads every block, and the figures are the ledger's, in the seed's notation.
    outputs = _outputs(client)
    targets = list(Target.objects.filter(fiscal_year=YEAR).order_by("pk"))
    progress = targets_progress(YEAR, targets)
    target_lines = [
        f"目標：{found.label} {found.target}(実績 {found.actual}、{found.percent}%){target.note}"
        for target, found in zip(targets, progress, strict=True)
    ]
    information = [f"{row.kind}：{row.count}" for row in information_rows(YEAR) if row.count]
    recorded = dict(InformationWork.objects.values_list("kind", "count"))
    assert Counter(recorded) == Counter({kind: count for kind, _day, count in INFORMATION})
    expected = [*LABELS, *_seed_texts(), *_notation_expected(), *target_lines, *information]
    for name, text in outputs.items():
        missing = [item for item in expected if _squash(item) not in text]
        assert not missing, (name, missing)
        leaked = [value for value in PERSONAL.values() if _squash(value) in text]
        assert not leaked and staff.user.email not in text, (name, leaked)
    assert "/evaluation/2025/" in client.get("/sitemap.xml").content.decode()
    _a_coordinator_reads_their_areas_figures_only(client, types, areas)

    print(
        f"\nStaff actions: {entered} to enter the year, {staff.actions - entered} to write the document, "
        f"{reviewer.actions} for the ward office's review; {staff.actions + reviewer.actions} in all."
    )
