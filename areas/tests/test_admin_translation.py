"""The admin speaks Wagtail's own Japanese: the project's translations of its own words (the
capacity unit 組) never stand in for Wagtail's strings of the same English."""

import json
import re
from pathlib import Path

import polib
import pytest
import wagtail
from django.conf import settings
from django.urls import reverse

from areas.models import Membership, PartnerOrganisation
from areas.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    log_in_with_second_factor,
)

ADMIN_WORDS = Path(__file__).resolve().parent.parent / "admin_japanese.py"


def _menu_labels(response) -> list[str]:
    """The labels of the admin's sidebar menu, as the browser draws them from the sidebar's props."""
    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert props, "the admin page has no sidebar"
    return re.findall(r'"label": "([^"]*)"', json.dumps(json.loads(props.group(1)), ensure_ascii=False))


@pytest.mark.django_db
def test_a_japanese_network_admin_sees_wagtails_own_word_for_groups(client, demo_site):
    # As the demo's network admin: a superuser, the one who manages the groups.
    admin = MembershipFactory(
        role=Membership.Role.NETWORK_ADMIN,
        organisation=OrganisationFactory(
            name="旭区こども家庭支援課", kind=PartnerOrganisation.Kind.WARD_OFFICE
        ),
        user=UserFactory(is_staff=True, is_superuser=True),
    ).user
    log_in_with_second_factor(client, admin)

    labels = _menu_labels(client.get(reverse("wagtailadmin_home")))

    assert "グループ" in labels, " / ".join(labels)
    assert "組数" not in labels, labels


#: Strings the project translates that Wagtail, Django or allauth also translate, differently: the
#: project's catalogue is read first, so each one changes their screens too. Listed on purpose, with
#: why the project's word is right there as well; any other collision fails the test below.
SAME_MEANING = "same meaning; the site's spelling or style, which the admin may share"
NOT_SHOWN = "the app that uses it shows no page to this project's users"
DELIBERATE = {
    "Password (again)": SAME_MEANING,
    "description": SAME_MEANING,
    "name": SAME_MEANING,
    "created at": SAME_MEANING,
    "expires at": SAME_MEANING,
    "user": SAME_MEANING,
    "English": "the language switch names the language, not the American variant",
    "Document": "文書 is the site's word for an uploaded file, in the admin too",
    "document": "文書 is the site's word for an uploaded file, in the admin too",
    "Sessions": NOT_SHOWN + " (Django's sessions app, allauth's user sessions are not installed)",
    "session": NOT_SHOWN + " (Django's sessions app)",
    "sessions": NOT_SHOWN + " (Django's sessions app)",
    "Time": SAME_MEANING,
    "Status": SAME_MEANING + " (状況 and ステータス)",
    "status": SAME_MEANING + " (状況 and ステータス)",
    "Phone": SAME_MEANING,
    "Add": SAME_MEANING + " (verbs end in する)",
    "Save": SAME_MEANING + " (verbs end in する)",
    "Change": SAME_MEANING + " (verbs end in する)",
    "Show": SAME_MEANING + " (verbs end in する)",
    "label": "the form builder's field label is the question's heading, 見出し",
    "Skip to main content": NOT_SHOWN + " (Django's own admin)",
    "Previous": SAME_MEANING,
    "Next": SAME_MEANING,
}


def _catalogue(path):
    return {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(path)) if e.msgstr}


def test_the_projects_words_never_replace_wagtails_by_accident():
    """Each msgid the project shares with Wagtail, Django or allauth, without a context, either
    means the same there (DELIBERATE) or is one of the admin's own words the project translates
    on purpose (areas/admin_japanese.py); the project's own words take a context (pgettext)."""
    site = Path(wagtail.__file__).parent.parent
    theirs = {}
    for mo in [
        *site.glob("wagtail/**/locale/ja/LC_MESSAGES/django.mo"),
        *site.glob("allauth/locale/ja/LC_MESSAGES/django.mo"),
        *site.glob("django/**/locale/ja/LC_MESSAGES/django.mo"),
    ]:
        for key, text in _catalogue(mo).items():
            theirs.setdefault(key, set()).add(text)
    ours = _catalogue(Path(settings.BASE_DIR) / "locale/ja/LC_MESSAGES/django.mo")
    on_purpose = set(
        re.findall(r'(?:gettext_noop|ngettext_lazy)\(\s*"((?:[^"\\]|\\.)*)"', ADMIN_WORDS.read_text())
    )
    on_purpose |= set(
        re.findall(r"(?:gettext_noop|ngettext_lazy)\(\s*'((?:[^'\\]|\\.)*)'", ADMIN_WORDS.read_text())
    )
    accidents = [
        f"{msgid!r}: ours {text!r}, theirs {sorted(theirs[(context, msgid)])}"
        for (context, msgid), text in ours.items()
        if (context, msgid) in theirs
        and text not in theirs[(context, msgid)]
        and msgid not in DELIBERATE
        and msgid not in on_purpose
    ]
    assert not accidents, "\n".join(accidents)
