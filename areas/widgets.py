"""Choosing organisations in the editor: checkboxes grouped by the area they serve.

A plain multi-select lists every organisation of the ward in character-code order; people
find theirs under their area instead. An organisation serving several areas (the ward office,
the welfare council, the hub) or none is listed once, under its own heading before the areas.
"""

from django import forms
from django.utils.translation import gettext as _

from areas.models import AreaPage, PartnerOrganisation

KIND_ORDER = {kind: n for n, kind in enumerate(PartnerOrganisation.Kind.values)}


def _headings(organisation_ids) -> tuple[dict[int, str], list[str]]:
    """Each organisation's heading (its one area's title, or the ward-wide heading), and the
    headings in order: ward-wide first, then the areas as the site lists them."""
    ward = _("Ward-wide and several areas")
    areas = list(AreaPage.objects.order_by("path").values_list("pk", "title"))
    titles = dict(areas)
    served: dict[int, list[str]] = {pk: [] for pk in organisation_ids}
    links = PartnerOrganisation.areas.through.objects.filter(partnerorganisation_id__in=organisation_ids)
    for organisation_id, area_id in links.values_list("partnerorganisation_id", "areapage_id"):
        served[organisation_id].append(titles[area_id])
    heading = {pk: names[0] if len(names) == 1 else ward for pk, names in served.items()}
    return heading, [ward, *(title for _pk, title in areas)]


class OrganisationsByArea(forms.CheckboxSelectMultiple):
    """Checkboxes under one heading per area; within an area, by kind (care plaza first), then name."""

    template_name = "areas/widgets/organisations_by_area.html"

    def optgroups(self, name, value, attrs=None):
        choices = [(choice, label) for choice, label in self.choices if getattr(choice, "instance", None)]
        heading, order = _headings([choice.value for choice, _label in choices])
        grouped: dict[str, list] = {}
        choices.sort(key=lambda c: (KIND_ORDER.get(c[0].instance.kind, len(KIND_ORDER)), c[0].instance.name))
        for choice, label in choices:
            grouped.setdefault(heading[choice.value], []).append((choice, label))
        original = self.choices
        self.choices = [(title, grouped[title]) for title in order if title in grouped]
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = original
