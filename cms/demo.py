"""Demo content for `make run`: safe to load any number of times."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from areas.models import AreaPage, Membership, PartnerOrganisation
from cms.demo_evaluation import load_demo_evaluation
from cms.demo_line import load_demo_line
from cms.demo_places import load_demo_facilities, load_demo_programme_types
from cms.demo_reach import load_demo_reach
from cms.demo_roster import load_demo_roster
from cms.demo_year import load_demo_year
from cms.models import ContentPage, User
from cms.services import ensure_site, load_areas
from coordination.activity.models import (
    ProgrammeType,
    Session,
    SurveyAnswer,
    SurveyPage,
    SurveyQuestion,
    programme_type_id,
    programme_types_seed,
)
from coordination.activity.services import headcount_record
from coordination.events.models import AgeBand, EventIndexPage, EventPage, EventQuestion
from coordination.meetings.models import ActionItem, MeetingPage, Visibility
from coordination.meetings.services import meeting_close_out
from coordination.volunteering.models import PostingShift, VolunteerIndexPage, VolunteerPostingPage


@dataclass(frozen=True)
class DemoAccount:
    email: str
    password: str
    description: str
    is_superuser: bool = False
    #: The role and the organisation (by kind: the care plaza of area-01, or a nursery there).
    role: str = ""
    organisation_kind: str = ""


DEMO_ACCOUNTS = [
    DemoAccount("admin@tsunagu.example", "tsunagu-demo-admin", "network admin", is_superuser=True),
    DemoAccount(
        "coordinator@tsunagu.example",
        "tsunagu-demo-coordinator",
        "area coordinator of 今宿西エリア (area-01), at its care plaza",
        role="coordinator",
        organisation_kind="care_plaza",
    ),
    DemoAccount(
        "partner@tsunagu.example",
        "tsunagu-demo-partner",
        "partner member of わかば保育園 in 今宿西エリア (area-01)",
        role="member",
        organisation_kind="nursery",
    ),
]
DEMO_NURSERY = "わかば保育園（デモ）"

ABOUT_PAGE = {
    "title": "つなぐについて",
    "slug": "about",
    "summary": (
        "つなぐは、旭区の13エリアで子育てを支える団体が、会議の記録や催し、"
        "ボランティアの募集を共有するための場所です。"
    ),
}


@transaction.atomic
def load_demo_data(*, with_accounts: bool) -> str:
    """Create what is missing of the demo site and return a one-line summary."""
    counts = load_areas()
    programme_types_seed()
    load_demo_facilities()
    load_demo_programme_types()
    home, _index = ensure_site()
    _demo_town_blocks()
    if not ContentPage.objects.filter(slug=ABOUT_PAGE["slug"]).exists():
        about = ContentPage(**ABOUT_PAGE)
        home.add_child(instance=about)
        about.save_revision().publish()
    accounts_created = 0
    if with_accounts:
        for account in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(
                email=account.email,
                defaults={"is_staff": account.is_superuser, "is_superuser": account.is_superuser},
            )
            if created:
                user.set_password(account.password)
                user.save()
                accounts_created += 1
            EmailAddress.objects.update_or_create(
                user=user, email=account.email, defaults={"verified": True, "primary": True}
            )
            _demo_membership(user, account)
        _demo_activities()
        load_demo_roster()
        _demo_meetings()
        _demo_survey()
        _demo_headcounts()
        _demo_cancelled_event()
        load_demo_year()
        load_demo_line()
        load_demo_reach()
        load_demo_evaluation()
    return (
        f"Demo data: {counts['areas_created']} areas created, {counts['areas_updated']} updated, "
        f"{counts['partners_created']} partners created, {accounts_created} log-ins created."
    )


#: Town blocks and stations for three areas, so the area finder can be tried; the hub confirms and
#: completes the real ones in the admin. Only blank areas are filled: the hub's data is never replaced.
DEMO_TOWN_BLOCKS = {
    "area-01": (["今宿西町", "今宿町", "今宿南町"], []),
    "area-02": (["白根1丁目", "白根2丁目", "白根3丁目", "白根4丁目", "白根町"], ["鶴ヶ峰"]),
    "area-03": (["若葉台1丁目", "若葉台2丁目", "若葉台3丁目", "若葉台4丁目"], []),
}


def _demo_town_blocks() -> None:
    for code, (blocks, stations) in DEMO_TOWN_BLOCKS.items():
        area = AreaPage.objects.filter(code=code, town_blocks="", stations="").first()
        if area is not None:
            area.town_blocks, area.stations = "\n".join(blocks), "\n".join(stations)
            area.save_revision().publish()


def _next_weekday(weekday: int, weeks: int = 1):

    today = timezone.localdate()
    return today + timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks)


def _second_tuesdays(count: int) -> list:
    """The second Tuesdays of the coming months, from next month on: 毎月第2火曜."""
    today = timezone.localdate()
    days = []
    for ahead in range(1, count + 1):
        month = (today.month - 1 + ahead) % 12 + 1
        first = today.replace(year=today.year + (today.month - 1 + ahead) // 12, month=month, day=1)
        days.append(first + timedelta(days=(1 - first.weekday()) % 7 + 7))
    return days


def _demo_activities() -> None:
    """One volunteer posting, one providing-member recruitment and one event taking registrations."""

    area = AreaPage.objects.get(code="area-01")
    hub = PartnerOrganisation.objects.filter(kind=PartnerOrganisation.Kind.SUPPORT_HUB).first()
    if hub is None:
        return
    contact = "旭区地域子育て支援拠点 ボランティア担当 045-000-0000（平日9時〜17時）"
    #: Every page says whom to call, where it is and how to apply without the form.
    reach = {
        "contact_section": "ボランティア担当",
        "contact_phone": "045-000-0000",
        "contact_email": "hiroba@example.jp",
        "apply_offline": "お電話（045-000-0000、平日9時〜17時）か、拠点の窓口でもお申し込みいただけます。",
        "after_applying": "3日以内に担当からお電話で、当日の集合場所と持ち物をお知らせします。",
    }
    imajuku = "横浜市旭区今宿西町1-1 今宿西地域ケアプラザ"
    if not VolunteerPostingPage.objects.exists():
        tuesdays = _second_tuesdays(2)
        posting = VolunteerPostingPage(
            title="出張ひろばの見守りボランティア",
            slug="hiroba-volunteer",
            activity_kind="playroom",
            what_you_do="会場にマットとおもちゃを並べ、親子と一緒に遊び、最後に片付けをします。",
            schedule="毎月第2火曜 9:30〜12:00",
            place="今宿西地域ケアプラザ 多目的室",
            duration="1回2時間半",
            for_seniors=True,
            for_students=True,
            support="初回はスタッフが一緒に回ります。ボランティア保険は拠点で加入します。",
            what_to_bring="動きやすい服装、上履き",
            contact=contact,
            deadline=tuesdays[0] - timedelta(days=2),
            address=imajuku,
            calls_applicants=True,
            **reach,
        )
        posting.organisers = [hub]
        posting.areas = [area]
        # Every shift on a day 「毎月第2火曜」 names (the admin form checks the same).
        posting.shifts = [
            PostingShift(date=day, start_time=time(9, 30), end_time=time(12), capacity=3) for day in tuesdays
        ]
        area.add_child(instance=posting)
        posting.save_revision().publish()

        recruitment = VolunteerPostingPage(
            title="提供会員 予定者研修のご案内（横浜子育てサポートシステム）",
            slug="providing-members",
            posting_type="providing_member",
            activity_kind="providing_member",
            what_you_do="保育園への送迎や、保護者の用事の間のお子さんの預かりを、ご自宅などで行います。",
            schedule="研修は2日間、年2回",
            place="旭区役所 会議室",
            duration="研修は1日6時間",
            for_parents=True,
            for_seniors=True,
            support="研修で保育の基本と安全を学びます。活動には謝礼と保険があります。",
            contact=contact,
            deadline=_next_weekday(0, 3),
            address="横浜市旭区鶴ケ峰1-4-12 旭区役所",
            calls_applicants=True,
            **reach,
            # The information session first, then the two days of training as one unit.
            briefing_at=timezone.make_aware(datetime.combine(_next_weekday(2, 2), time(10))),
            steps="提供会員として登録する\n利用会員と事前打ち合わせをして活動開始",
        )
        recruitment.organisers = [hub]
        training = _next_weekday(2, 4)
        recruitment.shifts = [
            PostingShift(
                date=training,
                second_date=training + timedelta(days=3),
                start_time=time(9, 30),
                end_time=time(16),
                capacity=20,
                label="予定者研修（2日間）",
            ),
        ]
        recruitment.programme_type = ProgrammeType.objects.get(code="training")
        VolunteerIndexPage.objects.get().add_child(instance=recruitment)
        recruitment.save_revision().publish()

    if not EventPage.objects.exists():
        first = _next_weekday(6, 1)
        event = EventPage(
            title="日曜の親子ひろば（パパも一緒に）",
            slug="sunday-hiroba",
            place="今宿西地域ケアプラザ 多目的室",
            start_date=first,
            start_time=time(10),
            end_time=time(11, 30),
            repeat="weekly",
            repeat_weekday=6,
            repeat_until=first + timedelta(weeks=8),
            cost="無料",
            what_to_bring="飲み物、おむつ",
            registration="first_come",
            registration_capacity=10,
            registration_unit="groups",
            registration_asks_party=True,
            description=(
                "<p>日曜の朝、親子でゆったり遊べるひろばです。平日は来られないパパも大歓迎。"
                "保育士が子育ての相談にものります。</p>"
            ),
            address=imajuku,
            contact_section="子育てひろば担当",
            contact_phone="045-000-0000",
            contact_email="hiroba@example.jp",
            apply_offline="お電話（045-000-0000、平日9時〜17時）か、ケアプラザの窓口でもお申し込みいただけます。",
            after_applying="確認のメールが届きます。当日は受付でお名前をお伝えください。",
        )
        event.questions = [
            EventQuestion(label="食物アレルギーはありますか", kind="text"),
            EventQuestion(label="ベビーカー置き場を使いますか", kind="yes_no", required=True),
        ]
        event.programme_type = ProgrammeType.objects.get(code="playroom_salon")
        event.organisers = [hub]
        event.areas = [area]
        event.age_bands = list(AgeBand.objects.filter(key__in=["age_0", "age_1", "fathers"]))
        area.add_child(instance=event)
        event.save_revision().publish()

        ward = EventIndexPage.objects.first()
        festival_day = _next_weekday(5, 6)
        festival = EventPage(
            title="旭区子育てフェスタ（親子席は抽選）",
            slug="kosodate-festa",
            place="旭公会堂",
            start_date=festival_day,
            start_time=time(13),
            end_time=time(16),
            cost="無料",
            age_detail="未就学児とその家族",
            registration="lottery",
            registration_capacity=50,
            registration_unit="people",
            registration_deadline=timezone.make_aware(
                datetime.combine(festival_day - timedelta(days=14), time(23, 59))
            ),
            description="<p>区内の子育て支援団体が集まる年に一度のお祭りです。親子席は抽選です。</p>",
            address="横浜市旭区鶴ケ峰1-4-12 旭公会堂",
            contact_section="旭区こども家庭支援課",
            contact_phone="045-000-0002",
            contact_email="festa@example.jp",
            apply_offline="区役所2階のこども家庭支援課の窓口でもお申し込みいただけます。",
            after_applying="締め切りの後に抽選し、結果をメールでお知らせします。",
        )
        festival.organisers = [hub]
        festival.age_bands = list(AgeBand.objects.filter(key__in=["everyone"]))
        ward.add_child(instance=festival)
        festival.save_revision().publish()


def _demo_membership(user, account: DemoAccount) -> None:
    """The coordinator at area-01's care plaza, the partner at a nursery of area-01."""

    if not account.role:
        return
    area = AreaPage.objects.get(code="area-01")
    if account.organisation_kind == PartnerOrganisation.Kind.NURSERY:
        organisation, created = PartnerOrganisation.objects.get_or_create(
            name=DEMO_NURSERY,
            defaults={"kind": PartnerOrganisation.Kind.NURSERY, "public_phone": "045-000-0001"},
        )
        if created:
            organisation.areas.add(area)
            organisation.save()
    else:
        organisation = area.partners.get(kind=account.organisation_kind)
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, defaults={"role": account.role}
    )
    if created and account.role == Membership.Role.COORDINATOR:
        membership.coordinated_areas.set([area])


def _demo_meetings() -> None:
    """A past liaison meeting of area-01 with partner-only minutes, closed out, and the next one
    with its agenda."""

    if MeetingPage.objects.exists():
        return
    area = AreaPage.objects.get(code="area-01")
    core = list(area.partners.filter(kind__in=PartnerOrganisation.CORE_KINDS))
    nursery = PartnerOrganisation.objects.filter(name=DEMO_NURSERY).first()
    today = timezone.localdate()

    def at(day, hour):
        return timezone.make_aware(datetime.combine(day, time(hour)))

    past_day = today - timedelta(days=40)
    past = MeetingPage(
        title="今宿西エリア連携会議（第1回）",
        slug="renkei-1",
        start=at(past_day, 10),
        end=at(past_day, 12),
        place="今宿西地域ケアプラザ 会議室",
        agenda="<ol><li>各団体の近況</li><li>秋の出張ひろば</li><li>提供会員の募集</li></ol>",
        minutes=[
            ("heading", {"text": "各団体の近況", "level": "h2"}),
            (
                "paragraph",
                "<p>0歳児の親子の来所が増えている。日曜の開催を希望する声が複数あった。"
                "支援世代への周知は、自治会の回覧板が最も届くとの報告。</p>",
            ),
        ],
        decisions="<ul><li>秋の出張ひろばは3回、ケアプラザで開く。</li><li>回覧板用のチラシを作る。</li></ul>",
        visibility=Visibility.AREA,
        public_summary="秋の出張ひろばの日程と、回覧板での周知について話し合いました。",
        attendees="ケアプラザ 2名\n社協 1名\n区役所 1名\n拠点 2名",
    )
    past.invited_organisations = core + ([nursery] if nursery else [])
    past.attending_organisations = core
    past.action_items = [
        ActionItem(
            description="回覧板用のチラシ案を作る", owner=nursery or core[0], due=today + timedelta(days=10)
        )
    ]
    area.add_child(instance=past)
    past.save_revision().publish()
    meeting_close_out(
        meeting=past,
        user=User.objects.filter(is_superuser=True).first(),
        organisations=core + ([nursery] if nursery else []),
        people=8,
        report="秋の出張ひろばの日程と分担を決め、回覧板用のチラシを作ることにした。",
    )

    next_day = today + timedelta(days=20)
    upcoming = MeetingPage(
        title="今宿西エリア連携会議（第2回）",
        slug="renkei-2",
        start=at(next_day, 10),
        end=at(next_day, 12),
        place="今宿西地域ケアプラザ 会議室",
        agenda="<ol><li>秋の出張ひろばのふりかえり</li><li>日曜・夕方の試行</li></ol>",
        visibility=Visibility.AREA,
    )
    upcoming.invited_organisations = core + ([nursery] if nursery else [])
    area.add_child(instance=upcoming)
    upcoming.save_revision().publish()


DEMO_SURVEY_ANSWERS = [
    {"where": "回覧板", "sunday": True, "children": "1", "comment": "日曜の午前なら夫婦で来られます。"},
    {"where": "チラシ", "sunday": False, "children": "2", "comment": ""},
    {"where": "友人", "sunday": True, "children": "1", "comment": "夕方の開催もあると助かります。"},
]


def _demo_survey() -> None:
    """出張ひろばの利用者アンケート under area-01, with three answers (one typed in from paper)."""
    if SurveyPage.objects.exists():
        return
    area = AreaPage.objects.get(code="area-01")
    survey = SurveyPage(
        title="出張ひろば 利用者アンケート",
        slug="enquete",
        intro="<p>今後の出張ひろばのために、1分ほどのアンケートにご協力ください。</p>",
        thank_you_text="<p>ご協力ありがとうございました。</p>",
        programme_type_id=programme_type_id("outreach_playroom"),
    )
    survey.form_fields = [
        SurveyQuestion(
            label="どこで知りましたか", clean_name="where", field_type="radio", choices="回覧板\nチラシ\n友人"
        ),
        SurveyQuestion(
            label="日曜や夕方の開催なら来たいですか",
            clean_name="sunday",
            field_type="checkbox",
            required=False,
        ),
        SurveyQuestion(
            label="一緒に来たお子さんの人数", clean_name="children", field_type="number", required=False
        ),
        SurveyQuestion(label="ご意見・ご要望", clean_name="comment", field_type="multiline", required=False),
    ]
    area.add_child(instance=survey)
    survey.areas.set([area])
    survey.save_revision().publish()
    for number, answer in enumerate(DEMO_SURVEY_ANSWERS):
        SurveyAnswer.objects.create(page=survey, form_data=answer, on_paper=number == 1)


#: Headcounts of the demo 出張ひろば's past dates, oldest first; the latest dates wait for theirs.
DEMO_HEADCOUNTS = [
    {"adults": 9, "children_0": 3, "children_1": 4, "children_2": 2, "first_time": 2, "volunteers": 1},
    {"adults": 11, "children_0": 5, "children_1": 3, "children_2": 3, "children_3_plus": 1, "first_time": 3},
    {"adults": 7, "children_0": 2, "children_1": 3, "children_2": 2, "expectant": 1, "volunteers": 2},
    {"adults": 12, "children_0": 4, "children_1": 5, "children_2": 2, "children_3_plus": 2, "first_time": 1},
]


def _demo_headcounts() -> None:
    """A weekly 出張ひろば of area-01 run by the hub, its care plaza and the demo nursery, from
    six weeks ago: the older dates have their headcounts, the latest wait on the dashboard."""
    if EventPage.objects.filter(slug="demae-hiroba").exists():
        return
    area = AreaPage.objects.get(code="area-01")
    organisers = [
        *PartnerOrganisation.objects.filter(kind=PartnerOrganisation.Kind.SUPPORT_HUB)[:1],
        *area.partners.filter(kind=PartnerOrganisation.Kind.CARE_PLAZA)[:1],
        *PartnerOrganisation.objects.filter(name=DEMO_NURSERY),
    ]
    first = _next_weekday(2, -6)
    event = EventPage(
        title="出張ひろば いまじゅく（ケアプラザ）",
        slug="demae-hiroba",
        programme_type=ProgrammeType.objects.get(code="outreach_playroom"),
        place="今宿西地域ケアプラザ 多目的室",
        start_date=first,
        start_time=time(10),
        end_time=time(11, 30),
        repeat="weekly",
        repeat_weekday=2,
        repeat_until=first + timedelta(weeks=12),
        cost="無料",
    )
    event.organisers = organisers
    event.areas = [area]
    event.age_bands = list(AgeBand.objects.filter(key__in=["age_0", "age_1", "age_2"]))
    area.add_child(instance=event)
    event.save_revision().publish()
    recorder = User.objects.filter(memberships__organisation__name=DEMO_NURSERY).first()
    past = Session.objects.filter(page=event, date__lt=timezone.localdate()).order_by("date")
    for session, counts in zip(past, DEMO_HEADCOUNTS, strict=False):
        headcount_record(session=session, user=recorder, **counts)


def _demo_cancelled_event() -> None:
    """An event of area-02 called off (中止), with its reason: how a cancellation reads on the page,
    the calendar, the area page and the feeds."""
    if EventPage.objects.filter(slug="rhythmic-cancelled").exists():
        return
    area = AreaPage.objects.get(code="area-02")
    day = _next_weekday(3, 2)
    event = EventPage(
        title="親子リトミック",
        slug="rhythmic-cancelled",
        programme_type=ProgrammeType.objects.get(code="event"),
        place="地区センター 音楽室",
        start_date=day,
        start_time=time(10, 30),
        end_time=time(11, 30),
        cost="無料",
        registration="first_come",
        registration_capacity=12,
        registration_unit="groups",
        cancelled=True,
        cancellation_reason="講師の体調不良のため中止します。次回は来月を予定しています。",
    )
    event.organisers = list(area.partners.all()[:1]) or list(PartnerOrganisation.objects.all()[:1])
    event.areas = [area]
    event.age_bands = list(AgeBand.objects.filter(key__in=["age_1", "age_2"]))
    area.add_child(instance=event)
    event.save_revision().publish()
