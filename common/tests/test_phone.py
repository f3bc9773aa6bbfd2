"""Japanese telephone numbers as people type them on a phone (issue 27)."""

import pytest

from common.phone import InvalidPhone, normalise_phone


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("090-1234-5678", "090-1234-5678"),
        ("09012345678", "09012345678"),
        ("０９０－１２３４－５６７８", "090-1234-5678"),  # full-width digits and hyphens
        ("090ー1234ー5678", "090-1234-5678"),  # the long-vowel mark typed for a hyphen
        ("045-123-4567", "045-123-4567"),
        ("0451234567", "0451234567"),
        ("03-1234-5678", "03-1234-5678"),
        ("(045)123-4567", "045-123-4567"),
        (" 045 123 4567 ", "0451234567"),
        ("0120-123-456", "0120-123-456"),
        ("050-1234-5678", "050-1234-5678"),
    ],
)
def test_a_japanese_number_is_kept_in_half_width_digits(typed, kept):
    assert normalise_phone(typed) == kept


@pytest.mark.parametrize(
    "typed",
    ["abc", "", "090-1234-567", "0901234567", "12345678901", "045-123-45678", "+81 90 1234 5678", "045--"],
)
def test_anything_else_is_refused(typed):
    with pytest.raises(InvalidPhone):
        normalise_phone(typed)
