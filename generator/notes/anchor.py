"""Find the exact passage a note quotes, or say precisely why it cannot be found.

Matching ignores differences of whitespace, of straight vs curly quotes and
of dash kinds, and nothing else. When the quote is not word for word in the
text (a typo, or a source corrected since), a passage is accepted only if it
is clearly the same (high similarity) and the only such passage; anything
doubtful is an error, never a silent guess.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from rapidfuzz import fuzz

# A changed passage is taken only when this similar (0–100), this long, and
# this far ahead of any other candidate.
REANCHOR_SCORE = 90.0
REANCHOR_MIN_LENGTH = 12
REANCHOR_MARGIN = 8.0
_CLOSEST_MIN_SCORE = 50.0

_EQUIVALENT = str.maketrans(
    {
        "“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "″": '"',
        "‘": "'", "’": "'", "‚": "'", "‹": "'", "›": "'", "′": "'", "`": "'",
        "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
    }
)  # fmt: skip
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Anchor:
    """Where a passage is: offsets into the document's plain text."""

    start: int
    end: int
    score: float = 100.0  # < 100 when re-anchored to a changed passage


class AnchorProblem(Exception):
    """A quote that cannot be anchored; the message tells the editor what to do.

    `key` names the note's key at fault (`quote`, `occurrence`, `prefix`), so
    that the problem points at its line.
    """

    def __init__(self, message: str, key: str = "quote") -> None:
        super().__init__(message)
        self.key = key


@dataclass(frozen=True)
class _Normalized:
    text: str
    origin: list[int]  # origin[i] = index in the original text of normalized char i

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of the normalized span [start, end)."""
        return self.origin[start], self.origin[end - 1] + 1


def normalize(text: str) -> _Normalized:
    """Text with quotes and dashes unified and whitespace runs collapsed, mapped back."""
    translated = text.translate(_EQUIVALENT)
    pieces: list[str] = []
    origin: list[int] = []
    position = 0
    for run in _SPACE.finditer(translated):  # whole runs at a time: per-character is slow
        pieces.append(translated[position : run.start()])
        origin.extend(range(position, run.start()))
        pieces.append(" ")
        origin.append(run.start())
        position = run.end()
    pieces.append(translated[position:])
    origin.extend(range(position, len(translated)))
    return _Normalized("".join(pieces), origin)


def fold(text: str) -> str:
    """Text with quotes and dashes unified, one character for one: offsets stay valid."""
    return text.translate(_EQUIVALENT)


def normalize_quote(quote: str) -> str:
    """A quote as matched: equivalent characters unified, whitespace collapsed."""
    return _SPACE.sub(" ", quote.translate(_EQUIVALENT)).strip()


class PassageFinder:
    """Anchors quotes in one document's plain text (paragraphs joined by a blank line)."""

    def __init__(self, paragraphs: list[str]) -> None:
        self.paragraphs = paragraphs
        self.text = "\n\n".join(paragraphs)
        self.starts: list[int] = []
        offset = 0
        for paragraph in paragraphs:
            self.starts.append(offset)
            offset += len(paragraph) + 2
        self.normalized = normalize(self.text)

    def paragraph_at(self, offset: int) -> int:
        """1-based number of the paragraph holding `offset`."""
        return max(1, bisect.bisect_right(self.starts, offset))

    def paragraph_span(self, number: int) -> Anchor:
        """The whole of paragraph `number` (1-based)."""
        start = self.starts[number - 1]
        return Anchor(start, start + len(self.paragraphs[number - 1]))

    def find(
        self,
        quote: str,
        occurrence: int | None = None,
        prefix: str | None = None,
        suffix: str | None = None,
    ) -> Anchor:
        """The passage `quote` designates, or AnchorProblem saying why there is none."""
        wanted = normalize_quote(quote)
        if not wanted:
            raise AnchorProblem("the quote is empty")
        matches = self._exact(wanted)
        if not matches:
            return self._similar(wanted)
        places = self._places(matches)
        if prefix or suffix:
            matches = [m for m in matches if self._has_context(m, len(wanted), prefix, suffix)]
            if not matches:
                raise AnchorProblem(
                    f"the quote occurs {len(places.split(','))} time(s) ({places}) but none "
                    "has the given prefix/suffix around it",
                    "prefix" if prefix else "suffix",
                )
            places = self._places(matches)
        if occurrence is not None:
            if not 1 <= occurrence <= len(matches):
                raise AnchorProblem(
                    f"occurrence {occurrence} is given but the quote occurs "
                    f"{len(matches)} time(s) ({places})",
                    "occurrence",
                )
            matches = [matches[occurrence - 1]]
        if len(matches) > 1:
            raise AnchorProblem(
                f"the quote matches {len(matches)} places ({places}); add 'occurrence: N' "
                f"(1–{len(matches)}, in reading order) or 'prefix:'/'suffix:' to choose one"
            )
        start, end = self.normalized.span(matches[0], matches[0] + len(wanted))
        return Anchor(start, end)

    def closest(self, quote: str) -> tuple[int, float, str] | None:
        """The most similar passage: (paragraph number, similarity, its text)."""
        best = self._best_alignments(normalize_quote(quote))
        if not best or best[0][0] < _CLOSEST_MIN_SCORE:
            return None
        score, start, end = best[0]
        original = self._widen(*self.normalized.span(start, end))
        return self.paragraph_at(original[0]), score, self.text[original[0] : original[1]]

    # -- internals --------------------------------------------------------

    def _exact(self, wanted: str) -> list[int]:
        found = []
        position = self.normalized.text.find(wanted)
        while position != -1:
            found.append(position)
            position = self.normalized.text.find(wanted, position + 1)
        return found

    def _places(self, matches: list[int]) -> str:
        return ", ".join(f"p{self.paragraph_at(self.normalized.origin[m])}" for m in matches)

    def _has_context(self, match: int, length: int, prefix: str | None, suffix: str | None) -> bool:
        text = self.normalized.text
        if prefix and not text[:match].rstrip().endswith(normalize_quote(prefix)):
            return False
        return not suffix or text[match + length :].lstrip().startswith(normalize_quote(suffix))

    def _best_alignments(self, wanted: str) -> list[tuple[float, int, int]]:
        """Best alignment per paragraph and the runner-up inside it, best first."""
        candidates: list[tuple[float, int, int]] = []
        norm = self.normalized
        for start in self.starts:
            begin = bisect.bisect_left(norm.origin, start)
            stop = self._paragraph_end(begin)
            region = norm.text[begin:stop]
            if not region:
                continue
            found = fuzz.partial_ratio_alignment(wanted, region)
            if found is None:
                continue
            candidates.append((found.score, begin + found.dest_start, begin + found.dest_end))
            # The same passage may appear twice in one paragraph: look around the best.
            around = ((0, region[: found.dest_start]), (found.dest_end, region[found.dest_end :]))
            for offset, part in around:
                other = fuzz.partial_ratio_alignment(wanted, part) if part else None
                if other is not None:
                    begin_other = begin + offset
                    candidates.append(
                        (other.score, begin_other + other.dest_start, begin_other + other.dest_end)
                    )
        # Re-score each aligned span against the whole quote: a short paragraph
        # wholly inside a longer quote must not count as a perfect match.
        rescored = [(fuzz.ratio(wanted, norm.text[s:e]), s, e) for _, s, e in candidates]
        rescored.sort(key=lambda c: (-c[0], c[1]))
        return rescored

    def _paragraph_end(self, begin: int) -> int:
        origin = self.normalized.origin
        paragraph = self.paragraph_at(origin[begin]) if begin < len(origin) else len(self.starts)
        end_original = self.starts[paragraph - 1] + len(self.paragraphs[paragraph - 1])
        return bisect.bisect_left(origin, end_original)

    def _similar(self, wanted: str) -> Anchor:
        best = self._best_alignments(wanted)
        if best:
            score, start, end = best[0]
            runner_up = best[1][0] if len(best) > 1 else 0.0
            clear = (
                score >= REANCHOR_SCORE
                and len(wanted) >= REANCHOR_MIN_LENGTH
                and score - runner_up >= REANCHOR_MARGIN
                and abs((end - start) - len(wanted)) <= max(3, len(wanted) // 5)
            )
            if clear:
                original_start, original_end = self._widen(*self.normalized.span(start, end))
                return Anchor(original_start, original_end, score)
        raise AnchorProblem(self._not_found_message(wanted))

    def _widen(self, start: int, end: int) -> tuple[int, int]:
        """Extend a fuzzy span to whole words, so a mark never cuts a word."""
        text = self.text
        while start > 0 and text[start - 1].isalnum() and text[start].isalnum():
            start -= 1
        while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
            end += 1
        return start, end

    def _not_found_message(self, wanted: str) -> str:
        closest = self.closest(wanted)
        if closest is None:
            return "the quote is not in the document, and no passage is similar to it"
        paragraph, score, passage = closest
        return (
            f"the quote is not in the document; the closest passage is in p{paragraph} "
            f'({score:.0f}% similar): "{passage}"'
        )
