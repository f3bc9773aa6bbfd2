"""Japanese telephone numbers as people type them: 090-1234-5678, 045-123-4567, 0312345678,
with full-width digits, long-vowel marks or dashes for hyphens, spaces or brackets."""

import re
import unicodedata

#: What people type for a hyphen on a Japanese keyboard: dashes, the minus sign, 「ー」.
_DASHES = re.compile(r"[\u2010-\u2015\u2212\u30fc\uff70\ufe63]")
_BRACKETS = re.compile(r"[()（）]")
_HYPHENATED = re.compile(r"^0\d{0,4}-\d{1,4}-\d{3,4}$")
#: Mobile, IP and M2M numbers (070, 080, 090, 050, 020) and 0800 free dial have 11 digits;
#: landlines and 0120 have 10.
_ELEVEN = re.compile(r"^(0[25789]0\d{8}|0800\d{7})$")
_TEN = re.compile(r"^0(?![25789]0)[1-9]\d{8}$")


class InvalidPhone(ValueError):
    pass


def normalise_phone(text: str) -> str:
    """The number in half-width digits, hyphens kept where they were typed; InvalidPhone if it
    is not a Japanese number of 10 or 11 digits."""
    value = unicodedata.normalize("NFKC", text or "").strip()
    value = _DASHES.sub("-", value)
    value = _BRACKETS.sub("-", value)
    value = re.sub(r"\s+", "", value).strip("-")
    value = re.sub(r"-+", "-", value)
    digits = value.replace("-", "")
    if not digits.isdigit() or not (_ELEVEN.match(digits) or _TEN.match(digits)):
        raise InvalidPhone(text)
    if "-" in value and not _HYPHENATED.match(value):
        raise InvalidPhone(text)
    return value
