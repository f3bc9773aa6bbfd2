"""Japanese search text: one normalisation for the indexed text and the query, readings, snippets.

The site search (cms.search) matches the normalised query as substrings of the normalised text,
so it finds a word inside a sentence, one character, and the same pages on SQLite and PostgreSQL.
Normalising both sides alike is what makes it find what people type:

- NFKC folds full- and half-width forms (ＯＫ → ok, ｻﾎﾟｰﾄ → さぽーと), and letters are lower-cased;
- katakana become hiragana (ソトアソビ finds そとあそび), small kana their full size (ヶ, ヵ, ぁ);
- a dash typed after kana is the long-vowel mark (サポ－ト finds サポート).

Readings (`reading`) come from SudachiPy's dictionary: the kanji words of titles and places are
also indexed in hiragana, so いまじゅくにし finds 今宿西.

Wagtail's own backend still serves the admin's page search, through the bigram field below.
"""

import re
import unicodedata

import jaconv
from django.utils.html import escape
from django.utils.safestring import mark_safe
from sudachipy import Dictionary, SplitMode
from wagtail.search import index

_SMALL_KANA = str.maketrans("ぁぃぅぇぉっゃゅょゎゕゖヵヶ", "あいうえおつやゆよわかけかけ")
_DASHES = frozenset("-‐‑‒–—―−ｰ")
_COMBINING = frozenset("\u3099\u309a")  # voiced sound marks left alone by NFKC of ﾞ and ﾟ
_KANJI = re.compile(r"[\u3400-\u9fff\uf900-\ufaff々〆ヶ]")
_WORDS = re.compile(r"\w+")
#: The boost of the search fields that weigh as places (a page's place, an area's town blocks).
PLACE_BOOST = 2
#: SudachiPy refuses longer input; readings are for short fields anyway.
_READING_LIMIT = 2000


def _fold(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char).lower()
    return jaconv.kata2hira(folded).translate(_SMALL_KANA)


def _is_kana(char: str) -> bool:
    return "\u3041" <= char <= "\u309f" or char == "ー"


def normalise_with_map(text: str) -> tuple[str, list[int]]:
    """The normalised text, and for each of its characters the index of the one it came from.

    Character by character, so a match in the normalised text can be highlighted in the original.
    """
    out: list[str] = []
    origin: list[int] = []
    for position, char in enumerate(str(text)):
        folded = _fold(char)
        if folded in _COMBINING and out:
            composed = unicodedata.normalize("NFC", out[-1] + folded)
            if len(composed) == 1:
                out[-1] = composed
                continue
        if folded in _DASHES and out and _is_kana(out[-1]):
            folded = "ー"
        elif folded.isspace():
            folded = " "
        for piece in folded:
            out.append(piece)
            origin.append(position)
    return "".join(out), origin


def normalise(text: str) -> str:
    """The text as it is indexed and searched: see the module's docstring."""
    return normalise_with_map(text)[0] if text else ""


def query_terms(query: str) -> list[str]:
    """The normalised words of a query, each to be found (all of them); duplicates dropped."""
    return list(dict.fromkeys(normalise(query).split()))


_tokenizer = None


def _tokenize(text: str):
    global _tokenizer
    if _tokenizer is None:
        # Loading the dictionary takes a fraction of a second: once per process.
        _tokenizer = Dictionary().tokenizer(mode=SplitMode.C)
    return _tokenizer.tokenize(text)


def reading(text: str) -> str:
    """The text in normalised hiragana where it has kanji: 「今宿西エリア」 → 「いまじゅくにしえりあ」.

    Words without kanji are kept as written, so the reading of a title reads like the title.
    """
    lines = []
    for line in str(text)[:_READING_LIMIT].splitlines():
        if not _KANJI.search(line):
            continue
        words = [
            morpheme.reading_form() if _KANJI.search(morpheme.surface()) else morpheme.surface()
            for morpheme in _tokenize(line)
        ]
        lines.append(normalise("".join(words)))
    return "\n".join(lines)


def snippet(text: str, terms: list[str], *, before: int = 30, length: int = 120) -> str:
    """A short extract of the text around the first term found, the terms marked with <mark>."""
    normalised, origin = normalise_with_map(text)
    spans = []
    for term in terms:
        spans += [(m.start(), m.end()) for m in re.finditer(re.escape(term), normalised)]
    spans.sort()
    first = origin[spans[0][0]] if spans else 0
    start = max(0, first - before)
    end = min(len(text), start + length)
    marked, cursor = [], start
    for begin, finish in spans:
        begin, finish = origin[begin], origin[finish - 1] + 1
        if begin < cursor or finish > end:
            continue
        marked += [escape(text[cursor:begin]), "<mark>", escape(text[begin:finish]), "</mark>"]
        cursor = finish
    marked.append(escape(text[cursor:end]))
    extract = "".join(marked).strip()
    return mark_safe(("…" if start else "") + extract + ("…" if end < len(text) else ""))  # noqa: S308


def bigrams(text: str) -> str:
    """Space-separated bigrams of each run of word characters; short runs are kept whole."""
    tokens = []
    for word in _WORDS.findall(str(text).lower()):
        if len(word) < 3:
            tokens.append(word)
        else:
            tokens.extend(word[i : i + 2] for i in range(len(word) - 1))
    return " ".join(tokens)


class BigramSearchField(index.SearchField):
    """Indexes the bigrams of a text attribute instead of the text itself (for Wagtail's backend,
    which the admin's page search uses: a Japanese word inside a sentence is no token of its own)."""

    def get_value(self, obj):
        value = super().get_value(obj)
        return bigrams(value) if value else value
