"""The rich menu: three buttons under the chat, made every follower's default through the API
(`manage.py line_rich_menu`). 「設定を変える」 sends the word 「設定」, which starts the choice again
(conversation.RESTART_WORDS); the other two open the site, their links carrying `ch=line`."""

from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from coordination.line import client
from coordination.line.conversation import RESTART_WORDS
from coordination.line.links import line_url

#: The name our menus carry (LINE does not show it): a new menu replaces the older ones of this name.
NAME = "tsunagu-main"
WIDTH, HEIGHT = 2500, 843
#: The image the buttons are drawn on (2500×843 PNG, under LINE's 1 MB), in the project's static files.
IMAGE = Path(settings.BASE_DIR) / "static" / "img" / "line-rich-menu.png"
#: What the first button sends: a word that starts the choice again.
SETTINGS_WORD = next(word for word in ("設定",) if word in RESTART_WORDS)


def _area(column: int, action: dict) -> dict:
    width = WIDTH // 3
    return {
        "bounds": {
            "x": column * width,
            "y": 0,
            "width": WIDTH - 2 * width if column == 2 else width,
            "height": HEIGHT,
        },
        "action": action,
    }


def menu() -> dict:
    """The rich menu object, as the Messaging API takes it."""
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "size": {"width": WIDTH, "height": HEIGHT},
            "selected": True,
            "name": NAME,
            "chatBarText": _("Menu")[:14],
            "areas": [
                _area(0, {"type": "message", "label": _("Change settings")[:20], "text": SETTINGS_WORD}),
                _area(
                    1,
                    {
                        "type": "uri",
                        "label": _("Events calendar")[:20],
                        "uri": line_url(reverse("events:calendar")),
                    },
                ),
                _area(2, {"type": "uri", "label": _("Tsunagu")[:20], "uri": line_url("/")}),
            ],
        }


def rich_menu_setup() -> str:
    """Create the menu, upload its image, make it the default for every follower and delete our
    older menus; returns the new menu's id. Raises client.LineError when LINE refuses or is away."""
    return client.rich_menu_install(
        menu=menu(), image=IMAGE.read_bytes(), content_type="image/png", name=NAME
    )
