"""What the browser tests share: the phone of the issues and the axe-core check (WCAG 2.1 AA)."""

from axe_playwright_python.sync_playwright import Axe

#: A 375×667 phone. axe runs its script in the page, so the test (never the site) lets it past
#: the site's CSP.
PHONE = {
    "viewport": {"width": 375, "height": 667},
    "locale": "ja-JP",
    "is_mobile": True,
    "has_touch": True,
    "bypass_csp": True,
}
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def axe_violations(page) -> list[str]:
    """The page's WCAG 2.1 AA violations, one line per element: the page, the rule, where.

    The colours are read at rest: transitions are finished first, or a button caught fading in
    (Wagtail's 公開 button) is measured half-way between two colours."""
    still = "*, *::before, *::after { transition: none !important; animation: none !important; }"
    page.add_style_tag(content=still)
    results = Axe().run(page, options=WCAG_21_AA)
    path = page.url.split("/", 3)[-1]
    return [
        f"/{path}: {violation['id']} ({violation['help']}) at {node['target']}: {node['failureSummary']}"
        for violation in results.response["violations"]
        for node in violation["nodes"]
    ]


def assert_no_axe_violations(page) -> None:
    violations = axe_violations(page)
    assert not violations, "\n".join(violations)
