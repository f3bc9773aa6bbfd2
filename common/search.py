"""Japanese search that works on SQLite as well as PostgreSQL.

Full-text indexes split words at spaces and punctuation, and Japanese has neither, so a
word inside a sentence is never a token of its own. We index the text also as overlapping
pairs of characters (bigrams) and search for the query's bigrams, all of them required:
「出張ひろば」 finds 「来月の出張ひろばは中止」.
"""

import re

from wagtail.search import index

_WORDS = re.compile(r"\w+")


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
    """Indexes the bigrams of a text attribute instead of the text itself."""

    def get_value(self, obj):
        value = super().get_value(obj)
        return bigrams(value) if value else value
