"""Search on many pages: indexing time, and the time of a search request (p50 and p95).

Usage: .venv/bin/python bench/search.py [--pages N] [--rounds R] [--database-url URL | --postgres]
       [--explain] [--profile]

N pages (default 20,000: events, volunteer postings, meeting records of each visibility and
notices) with Japanese text are spread over the 13 areas of the demo site, on a fresh SQLite file
(the embedded default), an empty database given by URL, or a throwaway PostgreSQL cluster
(`--postgres`: production's database, scripts/throwaway_postgres.py). The pages are written with
bulk inserts (bench.history.add_pages), a minute or two for 20,000 instead of tens of minutes. The site
search's entries are then rebuilt (`search_reindex`, timed: the normalisation and the readings
of every page) and each query below is asked R times through the search page, as a visitor and
as a partner of an area, with and without filters. `--explain` then prints the database's plan
of one search (「ひろば」, no filter) for each reader: EXPLAIN ANALYZE on PostgreSQL, the query
plan on SQLite; `--profile` cProfile's figures of that search. Each line gives the wall time and
the CPU time of this process (Django, and SQLite, which runs in it; not PostgreSQL's server): on a
shared machine the CPU time is what a request costs whatever the load, which is printed too.
"""

import argparse
import cProfile
import os
import pstats
import random
import statistics
import sys
import time
from datetime import time as clock
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from throwaway_postgres import cluster  # noqa: E402

from bench.start import start_django  # noqa: E402

#: What the pages are made of: phrases the site's own pages use.
PHRASES = [
    "親子で楽しめる手あそびとわらべうたの時間です。",
    "はじめての方もお気軽にどうぞ。",
    "地域の民生委員・児童委員が見守ります。",
    "絵本の読み聞かせのあと、おもちゃで自由に遊びます。",
    "子育ての悩みを保育士に相談できます。",
    "雨天の場合は室内で行います。",
    "駐車場がありませんので、公共交通機関でお越しください。",
    "ボランティア保険は拠点で加入します。",
    "会場の準備と片付けを手伝ってくださる方を募集しています。",
    "前回の議事録を確認し、夏の合同ひろばの進め方を話し合いました。",
    "次回までに各団体で参加者の名簿を用意することになりました。",
    "サポート会員の研修は全3回です。",
    "ＯＫカードをお持ちの方は受付でお見せください。",
]
PLACES = [
    "今宿西地域ケアプラザ",
    "白根地区センター",
    "鶴ケ峰駅前広場",
    "二俣川駅前",
    "若葉台公園",
    "旭公会堂",
]
TITLES = ["出張ひろば", "親子たいそう", "絵本の会", "子育てサロン", "パパの会", "そとあそび", "連携会議"]
QUERIES = [
    "ひろば",
    "出張ひろば 白根",
    "子",
    "会",
    "ＯＫ",
    "ｻﾎﾟｰﾄ",
    "ソトアソビ",
    "いまじゅくにし",
    "鶴ヶ峰",
    "議事録",
    "読み聞かせ",
    "見つからない言葉",
]


def _text(rng, sentences):
    return "".join(rng.choice(PHRASES) for _ in range(sentences))


def make_pages(count, rng):
    """`count` live pages under the areas, one kind after another; returns how many.

    Written with bulk inserts and treebeard paths computed in bench.history.add_pages, not
    `add_child()` one by one (that took tens of minutes for 20,000): real pages the site serves,
    published, without revisions (neither serving nor search reads them).
    """
    from django.utils import timezone
    from wagtail.rich_text import RichText

    from areas.models import AreaPage
    from bench.history import add_pages
    from cms.models import ContentPage
    from coordination.events.models import EventPage
    from coordination.meetings.models import MeetingPage, Visibility
    from coordination.meetings.privacy import sync_page_restriction
    from coordination.volunteering.models import VolunteerPostingPage

    areas = list(AreaPage.objects.order_by("path"))
    today = timezone.localdate()
    children = {}  # (area, page type) → the field values of its new children
    for n in range(count):
        area = areas[n % len(areas)]
        day = today + timedelta(days=rng.randrange(-365, 365))
        title = f"{rng.choice(TITLES)} {area.title.removesuffix('エリア')} 第{n}回"
        # 56 % events, 32 % postings, 4 % meeting records, 8 % notices. Not more meetings: Wagtail's
        # `.public()` writes one OR per view restriction, and SQLite refuses the query past about
        # 1,000 restricted meetings (the site's own listings use areas.access.public_pages).
        kind = n % 25
        if kind < 14:
            model, fields = (
                EventPage,
                {
                    "title": title,
                    "place": rng.choice(PLACES),
                    "start_date": day,
                    "start_time": clock(10),
                    "end_time": clock(11, 30),
                    "description": f"<p>{_text(rng, 6)}</p>",
                },
            )
        elif kind < 22:
            model, fields = (
                VolunteerPostingPage,
                {
                    "title": f"{title}のボランティア",
                    "activity_kind": "playroom",
                    "what_you_do": _text(rng, 4),
                    "schedule": "毎月第2火曜 9:30〜12:00",
                    "place": rng.choice(PLACES),
                    "duration": "2時間",
                    "support": _text(rng, 2),
                    "contact": "045-000-0000",
                    "deadline": day,
                },
            )
        elif kind < 23:
            start = timezone.now() + timedelta(days=rng.randrange(-365, 30))
            model, fields = (
                MeetingPage,
                {
                    "title": f"{title} 連携会議",
                    "start": start,
                    "end": start + timedelta(hours=2),
                    "place": rng.choice(PLACES),
                    "minutes": [("paragraph", RichText(f"<p>{_text(rng, 8)}</p>"))],
                    "visibility": rng.choice(list(Visibility)),
                },
            )
        else:
            model, fields = ContentPage, {"title": f"{title}のお知らせ", "summary": _text(rng, 3)}
        fields["slug"] = f"{model.__name__.lower()}-{n}"
        children.setdefault((area, model), []).append(fields)
    made, meetings = 0, []
    for (area, model), specifics in children.items():
        ids = add_pages(area, model, specifics)
        made += len(ids)
        if model is MeetingPage:
            meetings += ids
    # Restricted as publishing a meeting restricts it (its area's partners, or the network's).
    for meeting in MeetingPage.objects.filter(pk__in=meetings).exclude(visibility=Visibility.PUBLIC):
        sync_page_restriction(meeting)
    return made


def spot_check(visitor):
    """The built pages are pages the site serves: the first of each type opens for a visitor, with
    its title, and a meeting for partners only does not."""
    from wagtail.models import PageViewRestriction

    from cms.models import ContentPage
    from coordination.events.models import EventPage
    from coordination.meetings.models import MeetingPage, Visibility
    from coordination.volunteering.models import VolunteerPostingPage

    restricted = PageViewRestriction.objects.values("page_id")
    for model in (EventPage, VolunteerPostingPage, MeetingPage, ContentPage):
        page = model.objects.live().exclude(pk__in=restricted).filter(slug__contains="-").last()
        response = visitor.get(page.url)
        assert response.status_code == 200 and page.title in response.content.decode(), page.url
    private = MeetingPage.objects.exclude(visibility=Visibility.PUBLIC).last()
    assert visitor.get(private.url).status_code != 200, private.url


def _percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def profile(visitor, member):
    """Where a search's time goes: cProfile of 「ひろば」, no filter, 10 times for each reader."""
    for name, client in (("visitor", visitor), ("partner", member)):
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(10):
            client.get("/search/", {"q": "ひろば"})
        profiler.disable()
        print(f"\nprofile of 「ひろば」 for the {name}, 10 requests")
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def explain(readers):
    """Print the plan of the search query for each reader (name: user or None for a visitor)."""
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test import RequestFactory

    from cms.search import search_entries

    options = {"analyze": True} if connection.vendor == "postgresql" else {}
    for name, user in readers.items():
        request = RequestFactory().get("/search/")
        request.user, request.session = user or AnonymousUser(), {}
        print(f"\nplan of 「ひろば」 for the {name}")
        # What the search page asks: the ranked ids of every match (cms.search.ranked_page_ids).
        print(search_entries(request, query="ひろば").values_list("page_id", flat=True).explain(**options))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url", help="an empty database to use instead of a fresh SQLite file")
    parser.add_argument("--explain", action="store_true", help="print the plan of a search for each reader")
    parser.add_argument("--profile", action="store_true", help="print cProfile's figures of a search")
    parser.add_argument("--postgres", action="store_true", help="on a throwaway PostgreSQL cluster")
    args = parser.parse_args()
    if args.postgres:
        with cluster() as database_url:
            run(args, database_url)
    else:
        run(args, args.database_url)


def run(args, database_url):
    start_django(database_url)
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import setup_test_environment

    from areas.models import AreaPage
    from areas.tests.factories import MembershipFactory, OrganisationFactory, log_in_with_second_factor
    from cms.models import SearchEntry
    from cms.search_index import search_reindex
    from cms.sqlite import analyze_sqlite

    # Wagtail's own index (the admin's search) is not what is measured: not kept while building.
    settings.WAGTAILSEARCH_BACKENDS["default"]["AUTO_UPDATE"] = False
    rng = random.Random(16)  # noqa: S311 - the same pages on every run, not a secret
    start = time.perf_counter()
    with transaction.atomic():
        made = make_pages(args.pages, rng)
    built = time.perf_counter() - start
    start = time.perf_counter()
    indexed = search_reindex()
    indexing = time.perf_counter() - start
    analyze_sqlite()  # as every migrate does: the statistics of a site that has these pages

    setup_test_environment()
    area = AreaPage.objects.get(code="area-02")
    partner = MembershipFactory(organisation=OrganisationFactory(areas=[area])).user
    visitor, member = Client(), Client()
    log_in_with_second_factor(member, partner)
    spot_check(visitor)
    print(f"database           {connection.vendor}")
    print(f"pages              {made} made in {built:.0f} s; {indexed} live pages indexed")
    print(f"indexing           {indexing:.1f} s ({1000 * indexing / indexed:.2f} ms a page)")
    print(f"entries            {SearchEntry.objects.count()}")
    print(f"load average       {_load()} (before the searches)")
    timings, cpu = [], []
    columns = ("p50 ms", "p95 ms", "CPU p50", "CPU p95")
    print(f"{'query':<20} {'reader':<8} {'filter':<10} " + " ".join(f"{column:>8}" for column in columns))
    for query in QUERIES:
        for reader, client in (("visitor", visitor), ("partner", member)):
            for label, extra in (("", {}), ("area+type", {"area": area.pk, "type": "event"})):
                times, spent = [], []
                for _ in range(args.rounds):
                    began, began_cpu = time.perf_counter(), time.process_time()
                    response = client.get("/search/", {"q": query, **extra})
                    times.append(1000 * (time.perf_counter() - began))
                    spent.append(1000 * (time.process_time() - began_cpu))
                    assert response.status_code == 200
                timings += times
                cpu += spent
                p50, p95 = statistics.median(times), _percentile(times, 0.95)
                c50, c95 = statistics.median(spent), _percentile(spent, 0.95)
                print(f"{query:<20} {reader:<8} {label:<10} {p50:>8.1f} {p95:>8.1f} {c50:>8.1f} {c95:>8.1f}")
    p50, p95 = statistics.median(timings), _percentile(timings, 0.95)
    c50, c95 = statistics.median(cpu), _percentile(cpu, 0.95)
    print(f"all queries        p50 {p50:.1f} ms, p95 {p95:.1f} ms; CPU p50 {c50:.1f} ms, p95 {c95:.1f} ms")
    print(f"load average       {_load()} (after)")
    print(
        f"SUMMARY search: {connection.vendor}, {made} pages, all queries p50 {p50:.0f} ms, p95 {p95:.0f} ms "
        f"(goal p95 < 100 ms: {'met' if p95 < 100 else 'NOT met'}); CPU p50 {c50:.0f} ms, p95 {c95:.0f} ms; "
        f"load {_load()}"
    )
    if args.profile:
        profile(visitor, member)
    if args.explain:
        explain({"visitor": None, "partner": partner})


if __name__ == "__main__":
    main()
