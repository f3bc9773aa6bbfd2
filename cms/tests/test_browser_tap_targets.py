"""Every page a phone reaches, found from the system (the sitemap, the URL map, the dashboard's
links for a partner), at 375×667: nothing wider than the screen and no control under 44×44 px.

The rule (docs/decisions.md, "Tap targets"): every visible a, button, input, select, textarea,
summary and [role=button] has a box at least 44×44 px, except a link inside a run of text (a
paragraph, a list item or a table cell that holds text besides the link, WCAG 2.5.5's inline
exception) and a checkbox or radio whose label, the thing a thumb taps, is at least 44 px tall.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from playwright.sync_api import Error as PlaywrightError

from cms.tests.live_demo import load_demo
from cms.tests.phone import PHONE
from coordination.activity.tests.test_browser_headcount import _logged_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MIN = 44
#: What is not a page of the site: Wagtail's admin (its own CSS), documents and media, the
#: language switch, Wagtail's utility routes, the sitemap, files and feeds, and logging out.
SKIP = re.compile(
    r"^/(admin|documents|media|i18n|_util|sitemap\.xml)|\.(ics|pdf|csv|xml|rss)$|/feed/|/logout/"
)

#: Offenders in the page, as [description, width, height]. A link counts as inline when its
#: nearest p, li, td, dd, figcaption or label has text of its own beside the link.
OFFENDERS_JS = """
(min) => {
  const inline = (el) => {
    if (el.tagName !== 'A') return false;
    const block = el.closest('p, li, td, dd, figcaption, label');
    if (!block) return false;
    const own = block.textContent.replace(el.textContent, '').replace(/\\s+/g, '');
    return own.length > 0 && getComputedStyle(el).display === 'inline';
  };
  const label = (el) => (el.labels && el.labels[0]) || el.closest('label');
  const name = (el) => {
    const text = (el.getAttribute('aria-label') || el.textContent || el.value || el.name || '').trim();
    return `${el.tagName.toLowerCase()}${el.type ? '[' + el.type + ']' : ''} "${text.slice(0, 30)}"`;
  };
  const out = [];
  const controls = 'a[href], button, input, select, textarea, summary, [role=button]';
  for (const el of document.querySelectorAll(controls)) {
    if (el.type === 'hidden' || el.closest('.skip-link, .visually-hidden, [hidden]')) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (getComputedStyle(el).visibility === 'hidden') continue;
    if (inline(el)) continue;
    if (el.type === 'checkbox' || el.type === 'radio') {
      const l = label(el);
      const h = l ? l.getBoundingClientRect().height : box.height;
      if (h >= min - 0.5) continue;
      out.push([name(el) + ' (label)', Math.round(box.width), Math.round(h)]);
      continue;
    }
    if (box.width < min - 0.5 || box.height < min - 0.5) {
      out.push([name(el), Math.round(box.width), Math.round(box.height)]);
    }
  }
  return out;
}
"""


def _url_map_pages() -> list[str]:
    """Every route of the site that takes no argument and is not skipped."""
    paths = []

    def walk(patterns, prefix="", namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace or namespace
                walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern) and pattern.name and not pattern.pattern.regex.groups:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                try:
                    paths.append(reverse(name))
                except NoReverseMatch:  # a route that needs arguments after all
                    continue

    walk(get_resolver().url_patterns)
    return sorted({path for path in paths if not SKIP.search(path)})


def _offenders(page, base, paths, seen) -> list[str]:
    """Each path's offenders, once per address this person may open (``seen`` grows)."""
    found = []
    for path in paths:
        if path in seen or SKIP.search(path):
            continue
        try:
            response = page.goto(base + path)
        except PlaywrightError:  # a POST-only route or a download: not a page
            continue
        landed = urlsplit(page.url).path
        if response is None or not response.ok or "text/html" not in response.headers.get("content-type", ""):
            continue
        if landed in seen:  # a redirect (to the log-in page, say) to a page already checked
            continue
        seen.update({path, landed})
        # Against the phone's own width: on a mobile viewport a page too wide widens the layout
        # viewport to fit (zooming out), so window.innerWidth would grow with it and hide the fault.
        wide = page.evaluate("document.documentElement.scrollWidth")
        if wide > PHONE["viewport"]["width"]:
            found.append(f"{landed}: page is {wide} px wide on a {PHONE['viewport']['width']} px screen")
        found.extend(f"{landed}: {what} is {w}×{h} px" for what, w, h in page.evaluate(OFFENDERS_JS, MIN))
    return found


def _sitemap_paths(page, base) -> list[str]:
    page.goto(base + "/sitemap.xml")
    return [urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", page.content())]


def _same_site_links(page, base) -> list[str]:
    hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(e => e.href)")
    return [urlsplit(h).path for h in hrefs if h.startswith(base)]


def test_every_page_fits_a_phone_and_every_control_is_44px(live_server, browser):
    load_demo(with_accounts=True)
    seen, seen_logged_in, offenders = set(), set(), []

    public = browser.new_context(**PHONE).new_page()
    public.set_default_timeout(15000)
    paths = _sitemap_paths(public, live_server.url) + _url_map_pages()
    assert len(paths) > 20, paths
    offenders += _offenders(public, live_server.url, paths, seen)

    for email in ("partner@tsunagu.example", "admin@tsunagu.example"):  # a partner, and the hub's admin
        logged_in = _logged_in(browser, live_server, get_user_model().objects.get(email=email)).new_page()
        logged_in.set_default_timeout(15000)
        logged_in.goto(live_server.url + reverse("dashboard"))
        dashboard_links = _same_site_links(logged_in, live_server.url)
        assert dashboard_links, f"the dashboard of {email} links to nothing"
        paths = [reverse("dashboard"), *dashboard_links, *_url_map_pages()]
        offenders += _offenders(logged_in, live_server.url, paths, seen_logged_in)

    assert reverse("activity:report") in seen_logged_in, "the hub's yearly report was not checked"
    print("\n".join(offenders))
    assert not offenders, f"{len(offenders)} offenders:\n" + "\n".join(offenders)
