"""Counting a journey's actions as issue 27 defines them: each tap, each typed field, each choice
in a select, and each swipe (one screen's scroll) needed to bring the next control into view.

    journey = Journey(page, "hub: last year's report")
    journey.tap(page.get_by_role("link", name="…"))
    journey.type(page.get_by_label("大人の人数"), "5")
    print(journey.summary())
"""

from dataclasses import dataclass, field

#: One swipe scrolls this share of the screen: the next control comes into view by whole swipes.
SWIPE = 0.8


@dataclass
class Journey:
    page: object
    name: str
    taps: int = 0
    typed: int = 0
    selects: int = 0
    swipes: int = 0
    steps: list = field(default_factory=list)

    @property
    def actions(self) -> int:
        return self.taps + self.typed + self.selects + self.swipes

    def _reach(self, locator) -> None:
        """Swipe, one screen at a time, until the control is wholly in view; each swipe counts."""
        locator.wait_for(state="visible")
        height = self.page.viewport_size["height"]
        for _ in range(50):
            box = locator.bounding_box()
            if box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height:
                return
            direction = 1 if box is None or box["y"] > 0 else -1
            self.page.evaluate(f"window.scrollBy(0, {direction * int(height * SWIPE)})")
            self.swipes += 1
            self.steps.append("swipe")
        raise AssertionError(f"{locator} never came into view")

    def tap(self, locator) -> None:
        self._reach(locator)
        locator.click()
        self.taps += 1
        self.steps.append("tap")

    def type(self, locator, text: str) -> None:
        self._reach(locator)
        locator.fill(text)
        self.typed += 1
        self.steps.append("type")

    def select(self, locator, value) -> None:
        self._reach(locator)
        locator.select_option(value)
        self.selects += 1
        self.steps.append("select")

    def summary(self) -> str:
        return (
            f"journey «{self.name}»: {self.actions} actions "
            f"({self.taps} taps, {self.typed} typed, {self.selects} selects, {self.swipes} swipes: "
            f"{' → '.join(self.steps)})"
        )
