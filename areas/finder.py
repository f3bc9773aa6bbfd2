"""Finding one's area by town block (町丁目) or railway station, as people write them.

People type 「二俣川２丁目」, 「二俣川二丁目」, 「二俣川2-3-5」 or 「二俣川駅」; the hub types
「二俣川2丁目」 and 「二俣川」 in the admin. Both sides are brought to one spelling first.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from areas.access import public_pages
from areas.models import AreaPage

_KANJI_DIGITS = str.maketrans("一二三四五六七八九", "123456789")
#: 「2丁目」, 「二丁目」 or the 「2-」 of an address: the block number people give with the town.
_CHOME = re.compile(r"([一二三四五六七八九\d]+)(?:丁目|[-ー－−‐])")


def normalise(text: str) -> str:
    """One spelling: half-width digits, no spaces, 「ヶ」 between kanji, 「2丁目」 however the block
    is written (the rest of an address dropped), no 「駅」 at the end."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"(?<=[一-龥])[ヶケ](?=[一-龥])", "ヶ", text)  # 鶴ケ峰 and 鶴ヶ峰 are one place
    text = _CHOME.sub(lambda m: m.group(1).translate(_KANJI_DIGITS) + "丁目", text, count=1)
    text = re.sub(r"丁目.*$", "丁目", text)
    return text.removesuffix("駅")


@dataclass
class AreaSearch:
    query: str
    #: The areas whose town blocks or stations match, in the ward's order.
    areas: list[AreaPage] = field(default_factory=list)
    #: Whether any area has its town blocks or stations filled in yet.
    has_data: bool = False


def _matches(wanted: str, names: list[str]) -> bool:
    for name in map(normalise, names):
        if not name:
            continue
        # 「今宿西町」 finds the area of 「今宿西町」; 「二俣川2丁目」 also the area listing 「二俣川」
        # as a whole; 「二俣川」 alone finds every area with one of its blocks.
        if wanted == name or name in wanted or wanted in name:
            return True
    return False


def find_areas(query: str) -> AreaSearch:
    """The live public areas covering the town block or station typed."""
    areas = list(public_pages(AreaPage.objects.live()).order_by("path"))
    search = AreaSearch(query=query.strip(), has_data=any(a.town_blocks or a.stations for a in areas))
    wanted = normalise(query)
    if wanted:
        search.areas = [a for a in areas if _matches(wanted, a.town_block_list + a.station_list)]
    return search
