"""The rich menu is set up through the SDK against the fake Messaging API: created, its image
uploaded to the data host's path, made every follower's default; its 「設定を変える」 button sends the
word that starts the choice again, and its links carry the LINE channel. Setting it up again
replaces it."""

import pytest
from django.core.management import CommandError, call_command

from coordination.line import conversation
from coordination.line.tests.conftest import signed

pytestmark = pytest.mark.django_db


def test_the_rich_menu_is_created_with_its_image_and_made_the_default(
    line_api, client, django_capture_on_commit_callbacks
):
    call_command("line_rich_menu")

    (menu_id,) = line_api.rich_menus
    menu = line_api.rich_menus[menu_id]
    assert line_api.default_rich_menu == menu_id
    content_type, image = menu["image"]
    assert content_type == "image/png" and image.startswith(b"\x89PNG")
    (upload,) = [r for r in line_api.requests if r["path"] == f"/v2/bot/richmenu/{menu_id}/content"]
    assert upload["headers"]["Authorization"] == f"Bearer {line_api.token}"
    assert [r["path"] for r in line_api.requests][:2] == ["/v2/bot/richmenu/validate", "/v2/bot/richmenu"]

    actions = [area["action"] for area in menu["areas"]]
    (words,) = [a["text"] for a in actions if a["type"] == "message"]
    assert words in conversation.RESTART_WORDS
    uris = [a["uri"] for a in actions if a["type"] == "uri"]
    assert uris and all(uri.startswith("http") and "ch=line" in uri for uri in uris)

    # The button's word, sent by a follower, asks the first question again.
    body, signature = signed(
        [
            {
                "type": "message",
                "webhookEventId": "01RICHMENU",
                "replyToken": "r1",
                "source": {"type": "user", "userId": "U-menu"},
                "message": {"type": "text", "id": "1", "text": words},
                "timestamp": 0,
                "mode": "active",
                "deliveryContext": {"isRedelivery": False},
            }
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/line/webhook/", body, content_type="application/json", HTTP_X_LINE_SIGNATURE=signature
        )
    assert response.status_code == 200
    ((token, reply),) = line_api.replies
    assert token == "r1" and "どのエリア" in reply[-1]["text"] and reply[-1]["quickReply"]["items"]

    call_command("line_rich_menu")  # set up again: the new one replaces it
    assert len(line_api.rich_menus) == 1 and line_api.default_rich_menu != menu_id


def test_a_menu_line_would_refuse_is_refused_and_without_line_it_says_so(line_api, settings):
    from coordination.line import client

    with pytest.raises(client.LineError):
        client.rich_menu_install(
            menu={"size": {"width": 100, "height": 100}, "name": "x", "areas": []},
            image=b"\x89PNG",
            content_type="image/png",
            name="x",
        )
    assert line_api.rich_menus == {}
    settings.LINE_CHANNEL_ACCESS_TOKEN = ""
    with pytest.raises(CommandError, match="not configured"):
        call_command("line_rich_menu")
