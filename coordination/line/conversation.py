"""The short choice after following: areas, ages (or the support side), what to receive.

Each question is a text with quick replies (postback buttons); a tap adds or removes a choice and
asks again with ✓ beside what is chosen, 「決定」 goes on. Sending 「設定」 (or the rich menu's
button, which sends the same word) starts again from the areas, showing what was chosen. Every
answer is a reply, which LINE does not count against the month's quota.
"""

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from areas.models import AreaPage
from coordination.line.models import Band, Follower, Interest
from coordination.line.outbox import forget_recipient

#: Words that start the choice again (the rich menu's 「設定」 button sends the first).
RESTART_WORDS = {"設定", "せってい", "変更", "settings", "setting"}
#: Quick replies per question: LINE shows at most 13.
PAGE_SIZE = 11
LABEL_LENGTH = 20


def _button(label: str, data: str, chosen: bool = False) -> dict:
    label = ("✓" if chosen else "") + label
    return {
        "type": "action",
        "action": {
            "type": "postback",
            "label": label[:LABEL_LENGTH],
            "data": data,
            "displayText": label[:300],
        },
    }


def _question(text: str, buttons: list[dict]) -> list[dict]:
    return [{"type": "text", "text": text, "quickReply": {"items": buttons[:13]}}]


def _areas() -> list[AreaPage]:
    return list(AreaPage.objects.live().order_by("code", "pk"))


def ask_areas(follower: Follower, page: int = 0) -> list[dict]:
    chosen = set(follower.areas.values_list("pk", flat=True))
    areas = _areas()
    shown = areas[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    buttons = [_button(area.title, f"area:{area.pk}:{page}", area.pk in chosen) for area in shown]
    if len(areas) > (page + 1) * PAGE_SIZE:
        buttons.append(_button(_("Other areas"), f"area-page:{page + 1}"))
    elif page:
        buttons.append(_button(pgettext("LINE quick reply", "Back"), "area-page:0"))
    buttons.append(_button(pgettext("LINE quick reply", "Done"), "area-done"))
    text = _(
        "Which areas would you like to hear about? Tap one or more, then 「決定」. "
        "With none chosen you hear about the whole ward."
    )
    return _question(text, buttons)


def ask_bands(follower: Follower) -> list[dict]:
    buttons = [_button(str(label), f"band:{value}", value in follower.bands) for value, label in Band.choices]
    buttons.append(_button(pgettext("LINE quick reply", "Done"), "band-done"))
    return _question(_("How old is your child? Or are you interested in volunteering?"), buttons)


def ask_interests(follower: Follower) -> list[dict]:
    buttons = [
        _button(str(label), f"want:{value}", value in follower.interests) for value, label in Interest.choices
    ]
    buttons.append(_button(pgettext("LINE quick reply", "Done"), "want-done"))
    return _question(_("What would you like to receive once a week?"), buttons)


def summary(follower: Follower) -> list[dict]:
    areas = "、".join(follower.areas.order_by("code").values_list("title", flat=True)) or _("The whole ward")
    bands = "、".join(str(Band(b).label) for b in follower.bands if b in Band.values) or _("Not chosen")
    wants = "、".join(str(Interest(i).label) for i in follower.interests if i in Interest.values)
    text = _(
        "Thank you. Area: %(areas)s / Ages: %(bands)s / Receiving: %(wants)s. "
        "You get one message a week, and news at once when a place opens up. "
        "Send 「設定」 at any time to change this."
    ) % {"areas": areas, "bands": bands, "wants": wants or _("nothing")}
    return [{"type": "text", "text": text}]


def _toggle(values: list, value: str) -> list:
    return [v for v in values if v != value] if value in values else [*values, value]


def _on_postback(follower: Follower, data: str) -> list[dict]:
    name, _sep, rest = data.partition(":")
    if name == "area":
        area_id, _sep, page = rest.partition(":")
        area = AreaPage.objects.filter(pk=int(area_id) if area_id.isdigit() else 0).first()
        if area is not None:
            if follower.areas.filter(pk=area.pk).exists():
                follower.areas.remove(area)
            else:
                follower.areas.add(area)
        return ask_areas(follower, int(page) if page.isdigit() else 0)
    if name == "area-page":
        return ask_areas(follower, int(rest) if rest.isdigit() else 0)
    if name == "area-done":
        follower.step = Follower.Step.BANDS
        return ask_bands(follower)
    if name == "band" and rest in Band.values:
        follower.bands = _toggle(follower.bands, rest)
        return ask_bands(follower)
    if name == "band-done":
        follower.step = Follower.Step.INTERESTS
        return ask_interests(follower)
    if name == "want" and rest in Interest.values:
        follower.interests = _toggle(follower.interests, rest)
        return ask_interests(follower)
    if name == "want-done":
        follower.step = Follower.Step.DONE
        return summary(follower)
    return ask_areas(follower)


def _start(follower: Follower) -> list[dict]:
    follower.step = Follower.Step.AREAS
    welcome = {
        "type": "text",
        "text": _(
            "Welcome to つなぐ, the child-rearing support network of Asahi Ward. Three short "
            "questions choose what you receive. We keep your LINE user id and these choices only, "
            "and delete them when you block the account."
        ),
    }
    return [welcome, *ask_areas(follower)]


def answer(event: dict) -> list[dict]:
    """The reply to one webhook event (empty: none), after storing what it changes."""
    user_id = (event.get("source") or {}).get("userId")
    if not user_id:
        return []
    kind = event.get("type")
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        if kind == "unfollow":
            Follower.objects.filter(line_user_id=user_id).delete()
            forget_recipient(user_id)
            return []
        follower, created = Follower.objects.get_or_create(line_user_id=user_id)
        if kind == "follow" or created:
            reply = _start(follower)
        elif kind == "postback":
            reply = _on_postback(follower, (event.get("postback") or {}).get("data", ""))
        elif kind == "message" and (event.get("message") or {}).get("text", "").strip() in RESTART_WORDS:
            reply = _start(follower)
        elif kind == "message":
            reply = [{"type": "text", "text": _("Send 「設定」 to change what you receive.")}]
        else:
            return []
        follower.save()
    return reply
