"""Tell English, Spanish, French, Portuguese, German and Italian apart by their function words.

Each language has a list of frequent short words; a word on the lists of
several languages ("de", "la", "que", "in") counts for each of them in part.
The text is in the language with the most hits when they make a fair share
of its words and clearly beat the runner-up; otherwise it is "und"
(undetermined, BCP 47) rather than a guess.

We keep this over lingua-language-detector (a 96 MB wheel), by measurement:
on the paragraphs of tests/sources/fixtures/language_*.txt ours was never
wrong (59 paragraphs, one "und" for a short Spanish one), while lingua named
a language for every paragraph in none of the six, five times (docs/format.md).
"""

from __future__ import annotations

import re
from collections import Counter

_WORDS = {
    "en": "the of and to is that for on with as was by are this from be at have has which "
    "will their its were been it not they said would after about but who in a",
    "es": "el los las del y por con una es su sus al más fue son este esta sobre pero "
    "de la que en para entre como se dos "
    "también ha han dijo muy lo hasta desde tras según ya le ante cuando donde",
    "fr": "le les des du et est une dans pour pas qui sur au aux avec ce cette ont sont été "
    "il elle nous leur leurs ou où à d l qu n avait selon après ne plus deux afin ces "
    "de la que en se",
    "pt": "o os as da do das dos não em um uma com é ao aos pelo pela nos foi são seu sua "
    "também está ser disse após segundo mas na no isso à duas dois seus suas sem depois "
    "desta deste tinha pelos pelas de que para entre como se dos e a",
    "de": "der die das und ist nicht mit von den dem zu ein eine einer auf für sich im "
    "auch wird wurde werden sind hat haben bei nach dass aus über ob vor wieder laut in",
    "it": "gli della delle dei degli di che è per non sono anche nel nella alla dal dalla "
    "questo questa stato sul sulla più ai tra ma hanno aveva dopo ha il i loro "
    "la e a in una del un senza",
}
_COUNTS = Counter(word for words in _WORDS.values() for word in set(words.split()))
# A word on the lists of k languages counts 1/k for each: "los" speaks for
# Spanish alone, "de" a third each for Spanish, French and Portuguese.
_WEIGHTS: dict[str, dict[str, float]] = {}
for _language, _words in _WORDS.items():
    for _word in set(_words.split()):
        _WEIGHTS.setdefault(_word, {})[_language] = 1 / _COUNTS[_word]
_WORD = re.compile(r"[^\W\d_]+")
_MIN_SHARE = 0.12  # of the words: below this, too few function words to tell
_MIN_LEAD = 1.5  # the best language's hits against the runner-up's


def detect_language(text: str, default: str = "und") -> str:
    """The BCP 47 code of the text's language, or `default` when it cannot be told."""
    words = _WORD.findall(text.lower()[:20_000])
    if not words:
        return default
    hits = dict.fromkeys(_WORDS, 0.0)
    for word, count in Counter(words).items():
        for language, weight in _WEIGHTS.get(word, {}).items():
            hits[language] += weight * count
    ranked = sorted(hits, key=lambda language: hits[language], reverse=True)
    best, second = hits[ranked[0]], hits[ranked[1]]
    if best < _MIN_SHARE * len(words) or best < _MIN_LEAD * second or best < 1.5:
        return default
    return ranked[0]
