"""Text folded for searching: accents, case and punctuation do not count.

``fold("Öztürk-de Vries")`` is ``"ozturk de vries"``: the text decomposed (NFKD) without its combining marks,
case-folded, with every character that is not a letter or digit as one space. Letters that Unicode does not
decompose (ø, ł, ß, æ, ...) are written out as people type them on a Dutch keyboard. The same function
folds the stored column (``core.fields.FoldedTextField``) and what a user types, so both databases compare
the same strings (docs/search.md).

Why own code: the libraries that do this (``unidecode``, ``text-unidecode``) transliterate every script;
names in this product are Latin, and these dozen lines keep the stored column stable across library
versions (a changed fold would need a migration of every row)."""

import re
import unicodedata

_NOT_DECOMPOSED = str.maketrans(
    {
        "ø": "o",
        "Ø": "o",
        "ł": "l",
        "Ł": "l",
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "đ": "d",
        "Đ": "d",
        "ı": "i",
        "ĳ": "ij",
        "Ĳ": "ij",
    }
)
_SEPARATORS = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """``text`` folded for comparison and searching (see the module)."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.translate(_NOT_DECOMPOSED))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return _SEPARATORS.sub(" ", bare).strip()


def fold_words(text: str) -> list[str]:
    """The folded words of ``text``, each once, in order."""
    return list(dict.fromkeys(fold(text).split()))
