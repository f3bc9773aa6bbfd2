"""Counting a journey's actions as issue 27 defines them: each tap, each typed field, each choice in
a select, and each swipe needed to bring the next control into the window.

A swipe moves the page by most of a window (80 %), as a thumb or a mouse wheel's few turns do; a
control partly off the window needs one. Playwright then scrolls for real, so what the person
would do is what the browser does."""

import math


class Journey:
    def __init__(self, page, name: str):
        self.page = page
        self.name = name
        self.actions = 0
        self.steps: list[str] = []

    def _count(self, what: str) -> None:
        self.actions += 1
        self.steps.append(what)

    def _reach(self, locator, what: str) -> None:
        locator.wait_for(state="visible")
        box = locator.bounding_box()
        height = self.page.viewport_size["height"]
        below = box["y"] + box["height"] - height
        above = -box["y"]
        distance = max(below, above, 0)
        for _swipe in range(math.ceil(distance / (0.8 * height)) if distance > 0 else 0):
            self._count(f"swipe to {what}")
        locator.scroll_into_view_if_needed()

    def tap(self, locator, what: str = "") -> None:
        what = what or locator.inner_text()[:40]
        self._reach(locator, what)
        locator.click()
        self._count(f"tap {what}")

    def type(self, locator, text: str, what: str = "") -> None:
        self._reach(locator, what or text[:20])
        locator.fill(text)
        self._count(f"type {what or text[:20]}")

    def choose(self, locator, label: str) -> None:
        self._reach(locator, label)
        locator.select_option(label=label)
        self._count(f"choose {label}")

    def report(self) -> str:
        lines = [f"{self.name}: {self.actions} actions"] + [
            f"  {i}. {s}" for i, s in enumerate(self.steps, 1)
        ]
        text = "\n".join(lines)
        print(text)
        return text
