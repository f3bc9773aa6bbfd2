"""The flyer's search for the most table rows that fit, started from a guess (common.flyers): it
finds what halving the whole range finds, whatever the guess, in fewer layouts when the guess is
close."""

from common.flyers import _largest, _largest_near


def test_a_search_from_any_guess_finds_what_halving_finds():
    for high in range(0, 12):
        for answer in range(0, high + 1):
            for guess in range(-1, high + 2):
                asked = []

                def fits(n, answer=answer, asked=asked):
                    asked.append(n)
                    return n <= answer

                assert _largest_near(0, high, guess, fits) == _largest(0, high, fits) == answer
                assert all(0 <= n <= high for n in asked)


def test_a_close_guess_lays_out_less_than_halving():
    def counted(search):
        asked = []
        found = search(lambda n: asked.append(n) or n <= 35)
        return found, len(asked)

    near, near_layouts = counted(lambda fits: _largest_near(0, 200, 36, fits))
    halved, halved_layouts = counted(lambda fits: _largest(0, 200, fits))
    assert near == halved == 35
    assert near_layouts <= 2 < halved_layouts
