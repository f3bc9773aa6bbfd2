"""The demo's evaluation documents: last fiscal year's (令和7年度) complete and published after the
ward office's review, with the seed's own texts (../shared/seed, the hub's real document), and this
year's draft started from it, so a newcomer sees the finished product and the next step at once.

The figures of each goal are drafted from the demo ledger (cms/demo_year.py) by the ledger's
notation; the lines the ledger cannot count (a liaison council, a school's class) follow them.
"""

from django.db import transaction
from django.utils import timezone

from cms.models import User
from common.fiscal import fiscal_year
from coordination.activity.models import ProgrammeType, Target
from coordination.evaluation.models import EvaluationDocument, Goal, NextGoal
from coordination.evaluation.services import document_start_next_year, figures_draft
from coordination.evaluation.workflows import review_workflow

#: The seed's blocks, one item a line where the document lists items.
SEED = {
    "programme_name": "旭区地域子育て支援拠点事業",
    "contract_year": 2,
    "contract_years": 5,
    "implementers": "特定非営利活動法人子そだちしえん・あさひ\n旭区こども家庭支援課",
    "purpose": (
        "市民が安心して子どもを生み育て、子育てに喜びを感じることができる社会環境を形成し、"
        "子育てを地域全体で支援する地域力の創出に寄与することを目的とします。"
    ),
    "principles": "\n".join(
        [
            "旭区における、地域による子育て支援の拠点施設としての運営",
            "子どもの視点に立ち、すべての就学前児童及びその養育者、並びに子育てに関する支援活動を行う者に開かれた運営",
            "子どもと家庭を支援する各種の行政等機関・地域等との連携を図る運営",
            "利用者の意見、子育てをめぐる社会情勢、市民ニーズの変化に柔軟に対応できる運営",
            "子ども及びその養育者の育ちを支援するとともに、養育者自身が事業の担い手として関わることができる視点に立った運営",
            "地域の人と人とのつながりを広げ、地域ぐるみの子育て支援を目指す運営",
        ]
    ),
    "projects": "\n".join(
        [
            "乳幼児の遊びと育ちの場及びその養育者の交流の場の提供(親子の居場所事業)",
            "子育てに関する相談及び関係機関との連携に関すること(子育て相談事業)",
            "子育てに関する情報の収集及び提供に関すること(情報収集・提供事業)",
            "子育てに関する支援活動を行う者同士の連携に関すること(支援者ネットワーク事業)",
            "子育てに関する支援活動を行う者の育成、支援に関すること(人材育成、活動支援事業)",
            "地域の住民同士で子どもを預け、預かる支え合いの促進に関すること(横浜子育てサポートシステム区支部事務局運営事業)",
            "子育て家庭のニーズに応じた施設・事業等の利用の支援に関すること(利用者支援事業)",
        ]
    ),
    "evaluation_method": "\n".join(
        [
            "今年度の取組状況や利用者アンケート結果等をもとに、"
            "協働契約書中の役割分担表の項目に沿って設定した。 "
            "今年度の達成目標のうち、当該年度に特に重点的に取り組む達成目標である「重点目標」について、"
            "以下の通り、相互振り返りを踏まえた取組成果と課題を公表します。",
            "今年度の取組状況や成果、課題を踏まえ、次年度の重点目標を公表します。",
        ]
    ),
    "outcomes": "\n".join(
        [
            "月齢別のプログラムを企画してバトンタッチ方式で次のプログラムへつなぐことにより、継続的な利用につなげることができた。",
            "土曜日に父親向け、プレパパママ向けプログラムを多く開催することにより、父親の育児支援を進めることができた。",
            "子サポdeあずかりおためし券やひろば預かりで利用が増えている子育てサポートシステム事業とサテライトの一時預かりが"
            "連携することにより、預かりを必要とする利用者のニーズにさらに寄り添うことができた。",
            "利用者自身がやってみたいことに協力し、交流やステップアップに貢献することができた。",
            "商業施設内にあるサテライトの環境を活かし、地域の方に子サポ情報などの提供をすることができた。",
            "拠点でボランティアをされている方に声かけし、提供会員になってもらうことができた。",
            "地域とのかかわりを多く持つ事ができた。",
            "SNSによる情報発信を頻回に行い、スピーディで具体的な情報発信を行うことができた。",
        ]
    ),
    "issues": "\n".join(
        [
            "SNS利用により子育て世代への情報提供は円滑になったと実感しているが、支援世代へのアプローチに難しさを感じている。"
            "今後どのような媒体をどのように使っていくかは良いか検討したい。",
            "夕方開催を行ってみてニーズを感じたが、これまでのひろば開催に加えて行うことに関して、人材配置に関する熟慮が必要。",
            "拠点でのボランティア活動内容を具体化して提示し、活動しやすい環境を整える必要がある。",
        ]
    ),
}

#: The year's key goals: (goal, 取組内容, the programme type codes its figures count, the lines
#: the ledger cannot count).
GOALS = [
    (
        "多様な方の育児をサポートし、親になる前から切れ目のない支援をしていきます。",
        [
            "赤ちゃんサロン・O才赤ちゃん集まれ～を開催します。",
            "ぶれママさんあつまれ！・ひとり親家庭応援Day・外国人の親子あつまれ！・ひなたぼっこサロン@しおんカフェを開催します。",
            "ぶれパパぶれママ講座を開催します。母子保健コーディネーターと連携します。",
            "母子健康手帳交付時や母親教室等で拠点事業のチラシを配布します。",
        ],
        ["course", "playroom_salon", "gathering"],
        [],
    ),
    (
        "子育て支援のネットワークの要として、地域との連携を深めるシステムの構築を目指します。",
        ["エリア別の情報交換等、子育て支援関係者の連携を図ります。"],
        ["outreach_playroom", "outdoor_play", "liaison_meeting", "training", "event"],
        [
            "旭区子育て広場連絡会",
            "旭区子育て支援連絡会事務局",
            "ジュニアボランティアとの連携",
            "中学校家庭科授業協力",
            "ひなママ企画への協力",
        ],
    ),
    (
        "子育て世代及び子育て支援に関わる方の欲しい情報を様々な方法で届けます。",
        ["SNS等を活用した情報提供をします。"],
        [],
        ["SNS等を活用した情報提供", "通信やチラシの自治会回覧", "保育園、幼稚園、地域サロン等でのチラシ掲示"],
    ),
]

#: Next year's key goals and what will be done for them.
NEXT_GOALS = [
    (
        "親になる前から切れ目のない支援をし、多様な方の子育てをサポートします。",
        [
            "月齢別、養育者の求める目的別にプログラムを企画し、切れ目のない支援と養育者同士の交流の場を提供する。",
            "両施設それぞれの環境を活かし、合同で行うプログラムや各々で行うものを設定する。",
            "日曜開催や夕方開催を行い、そのニーズを把握する。",
        ],
    ),
    (
        "子育て支援のネットワークの要として地域との連携を深め、子育て世代及び支援に関わる方のほしい情報を様々な方法で届けます。",
        [
            "エリア別連携基本構成員(地域ケアプラザ・旭区社会福祉協議会・旭区役所・旭区地域子育て支援拠点)間が、"
            "地域の子育てや子育て支援の現状把握のために情報共有を行い、協力体制を構築する。",
            "関連機関、地域との連携をさらに充実させる。",
            "通信、チラシ、HP、SNSによる情報提供を行う。",
        ],
    ),
]


@transaction.atomic
def load_demo_evaluation() -> None:
    """Last year's document, published after the review, and this year's draft; once."""
    year = fiscal_year(timezone.localdate()) - 1
    if EvaluationDocument.objects.filter(fiscal_year=year).exists():
        return
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    document = EvaluationDocument(fiscal_year=year, live=False, **SEED)
    types = {t.code: t for t in ProgrammeType.objects.filter(code__isnull=False)}
    for index, (text, actions, codes, uncounted) in enumerate(GOALS):
        measured = [types[code] for code in codes if code in types]
        # Its targets (目標値) with their actuals; ③, measured by no programme, by its information work.
        targets = list(Target.objects.filter(fiscal_year=year, area=None, programme_type__in=measured))
        drafted = figures_draft(
            programme_types=measured, targets=targets, information_work=not codes, fiscal_year=year
        )
        goal = Goal(text=text, actions="\n".join(actions), sort_order=index, information_work=not codes)
        goal.figures = "\n".join(line for line in [drafted, *uncounted] if line)
        goal.programme_types = measured
        goal.targets = targets
        document.goals.add(goal)
    for index, (text, actions) in enumerate(NEXT_GOALS):
        document.next_goals.add(NextGoal(text=text, actions="\n".join(actions), sort_order=index))
    document.save()
    document.save_revision(user=admin, log_action=True)
    # Submitted to the ward office, approved by it (the demo has no ward-office log-in), published.
    state = review_workflow().start(document, user=admin)
    state.current_task_state.approve(
        user=None, update=False, comment="令和7年度の相互振り返りを踏まえ、確認しました。"
    )
    state.update(user=None)
    document.refresh_from_db()
    document_start_next_year(document=document, user=admin)
