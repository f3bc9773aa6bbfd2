"""The home page, the area page and the partner dashboard are assembled from sections feature apps register.

A feature app (meetings, events, volunteering, signups) registers a function with Wagtail's
hooks, as Wagtail's contrib apps extend the admin; `areas` never imports a feature app:

    @hooks.register(AREA_PAGE_SECTIONS)
    def upcoming_events(area, request):
        return Section("events/area_section.html", {"upcoming_events": ...}, order=10)

A function may return None to add nothing (for example, nothing to show this person).
"""

from dataclasses import dataclass, field

from wagtail import hooks

AREA_PAGE_SECTIONS = "tsunagu_area_page_sections"
DASHBOARD_SECTIONS = "tsunagu_dashboard_sections"
HOME_PAGE_SECTIONS = "tsunagu_home_page_sections"


@dataclass
class Section:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


def _collect(hook_name, **kwargs) -> list[Section]:
    sections = [fn(**kwargs) for fn in hooks.get_hooks(hook_name)]
    return sorted((section for section in sections if section is not None), key=lambda s: s.order)


def area_page_sections(*, area, request) -> list[Section]:
    """What each feature app shows on an area page, in order."""
    return _collect(AREA_PAGE_SECTIONS, area=area, request=request)


def dashboard_sections(*, request) -> list[Section]:
    """What each feature app shows on a partner's dashboard, in order."""
    return _collect(DASHBOARD_SECTIONS, request=request)


def home_page_sections(*, request) -> list[Section]:
    """What each feature app shows parents and volunteers on the home page, in order."""
    return _collect(HOME_PAGE_SECTIONS, request=request)
