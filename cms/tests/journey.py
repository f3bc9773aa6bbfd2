"""Counting a journey's actions on a phone, as issue 27 defines them.

An action is a tap, a typed field, a choice in a select, and each swipe needed to bring the next
control into the viewport: whether one is needed is measured from where the next control is on the
screen before it is used (`Journey._reach`).
"""

import re

from django.core import mail


class Journey:
    """Wraps a Playwright page; each method does one thing a person does, and counts it."""

    def __init__(self, page, name: str):
        self.page = page
        self.name = name
        self.actions: list[str] = []

    @property
    def count(self) -> int:
        return len(self.actions)

    def _reach(self, locator) -> None:
        """Swipe until the control is wholly on the screen. A swipe moves the page as a thumb's
        flick or the page-down key does: by up to seven eighths of the screen, bringing what
        comes next near the top; no further than needed when the control is already close."""
        locator.wait_for(state="visible")
        height = self.page.viewport_size["height"]
        for _swipe in range(40):
            box = locator.bounding_box()
            if box["y"] >= 0 and box["y"] + box["height"] <= height:
                return
            if box["y"] + box["height"] > height:  # below: bring it up, near the top
                step = min(box["y"] - height / 8, height * 7 / 8)
            else:  # above: bring it down into view
                step = -min(-box["y"] + height / 8, height * 7 / 8)
            before = self.page.evaluate("window.scrollY")
            self.page.evaluate("(dy) => window.scrollBy(0, dy)", step)
            if self.page.evaluate("window.scrollY") == before:
                return  # the page cannot scroll further: the control is as visible as it gets
            self.actions.append(f"swipe to {self._describe(locator)}")
        raise AssertionError(f"{locator} never came into view")

    @staticmethod
    def _describe(locator) -> str:
        return locator.evaluate(
            "el => (el.getAttribute('aria-label') || (el.labels && el.labels[0] && el.labels[0].innerText)"
            " || el.innerText || el.name || el.tagName).trim().slice(0, 30)"
        )

    def tap(self, locator) -> None:
        self._reach(locator)
        self.actions.append(f"tap {self._describe(locator)}")
        locator.click()

    def type(self, locator, text: str) -> None:
        self._reach(locator)
        self.actions.append(f"type {self._describe(locator)}")
        locator.fill(text)

    def select(self, locator, **option) -> None:
        self._reach(locator)
        self.actions.append(f"select {self._describe(locator)}")
        locator.select_option(**option)

    def open_link_in_last_email(self, base_url: str, to: str) -> None:
        """Tapping the link in the e-mail (read from Django's outbox) is one tap."""
        message = next(m for m in reversed(mail.outbox) if to in m.to)
        path = re.search(r"https?://[^/\s]+(/signups/[^/\s]+/confirm/)", message.body).group(1)
        self.actions.append("tap the link in the e-mail")
        self.page.goto(base_url + path)

    def report(self) -> str:
        lines = [f"{self.name}: {self.count} actions"]
        lines += [f"  {n:2d}. {action}" for n, action in enumerate(self.actions, 1)]
        return "\n".join(lines)
