"""Our word alignment against CollateX's: on Darwin's editions, and on long made-up witnesses.

CollateX (PyPI `collatex`) is the reference collator: both are given the same
tokens (our words, normalized as we compare them), so what is measured is the
alignment, not the tokenizer. A word edit is a maximal stretch where one
witness reads other words than the base: (witness, base words, witness words).
Figures are in docs/compare.md.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import collatex
import pytest

from generator.compare.align import align
from generator.compare.witness import normalize_words, sentences_of
from generator.compare.witness import words as words_of
from generator.compare.wordiff import word_opcodes
from generator.model import Document, Paragraph, Provenance, Row, Sentence

Edit = tuple[str, int, int, int, int]  # witness, base start, end, witness start, end

SUBJECTS = "the delegation|the minister|both governments|officials|the committee|negotiators"
VERBS = "reaffirmed|discussed|agreed on|reviewed|announced|stressed|welcomed|examined|proposed"
OBJECTS = (
    "orderly and humane migration|the shared border|legal pathways for migrants|bilateral trade"
    "|development assistance|human smuggling networks|new private investment|security cooperation"
    "|the root causes of migration|the joint initiative|humanitarian aid|customs procedures"
)
CLAUSES = (
    "in the coming months|after a week of talks|according to a joint statement|at a meeting in"
    " the capital|for the rest of the year|before the next round of talks|with regional partners"
)
OTHER_WORDS = "new|further|regional|senior|long-term|vital|ongoing|broad|direct|close".split("|")


def _sentence(rng: random.Random, number: int) -> str:
    pick = lambda options: rng.choice(options.split("|"))  # noqa: E731
    text = f"{pick(SUBJECTS)} {pick(VERBS)} {pick(OBJECTS)} {pick(CLAUSES)}"
    if rng.random() < 0.5:
        text += f", and {pick(SUBJECTS)} {pick(VERBS)} {pick(OBJECTS)}"
    return f"{text[0].upper()}{text[1:]} in meeting {number}."


def _witnesses(seed: int, sentences: int, count: int) -> list[list[str]]:
    """A base of `sentences` sentences and `count - 1` witnesses edited from it, as paragraphs."""
    rng = random.Random(seed)
    base = [_sentence(rng, n) for n in range(sentences)]
    result = [base]
    for _ in range(count - 1):
        edited = []
        for sentence in base:
            roll = rng.random()
            words = sentence.split(" ")
            if roll < 0.04:
                continue  # a sentence this witness lacks
            if roll < 0.12:
                at = rng.randrange(1, len(words) - 1)
                words[at] = rng.choice(OTHER_WORDS)  # a word replaced
            elif roll < 0.18:
                at = rng.randrange(1, len(words) - 2)
                del words[at : at + rng.randint(1, 2)]  # words left out
            elif roll < 0.24:
                at = rng.randrange(1, len(words) - 1)
                words.insert(at, rng.choice(OTHER_WORDS))  # a word added
            text = " ".join(words)
            if roll >= 0.24 and roll < 0.3 and ", and " in text:
                first, second = text.split(", and ", 1)
                text = f"{first}. And {second}"  # a sentence split in two
            edited.append(text)
        result.append(edited)
    return result


def _doc(doc_id: str, sentences: list[str]) -> Document:
    provenance = Provenance(f"sources/{doc_id}.txt", 1, 1, "0" * 64, None, 1, {})
    paragraphs = [" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)]
    body = tuple(Paragraph(n, text, n) for n, text in enumerate(paragraphs, 1))
    return Document(doc_id, provenance, body, "T", False, "en")


def _merged(edits: list[Edit]) -> set[Edit]:
    """Edits of one witness that touch on both sides made one, as a maximal stretch is."""
    result: list[Edit] = []
    for edit in sorted(edits):
        if (
            result
            and result[-1][0] == edit[0]
            and result[-1][2] == edit[1]
            and (result[-1][4] == edit[3])
        ):
            last = result.pop()
            edit = (last[0], last[1], edit[2], last[3], edit[4])
        result.append(edit)
    return set(result)


def our_edits(rows: list[Row], witness_ids: list[str], words: dict[str, list[int]]) -> set[Edit]:
    """The word edits of each witness against the base, read from our rows."""
    edits: list[Edit] = []
    at = [0] * len(witness_ids)  # where each witness's words have got to
    for row in rows:
        cells = [[w for s in cell for w in words_of(s.text)] for cell in row.cells]
        starts = [words[witness_ids[k]][cell[0].index] if cell else at[k]
                  for k, cell in enumerate(row.cells)]  # fmt: skip
        for k in range(1, len(row.cells)):
            for tag, i1, i2, j1, j2 in word_opcodes(cells[0], cells[k]):
                if tag != "equal":
                    b, w = starts[0], starts[k]
                    edits.append((witness_ids[k], b + i1, b + i2, w + j1, w + j2))
        for k, cell in enumerate(row.cells):
            if cell and not row.moved[k]:
                at[k] = starts[k] + len(cells[k])
    return _merged(edits)


def collatex_edits(witnesses: dict[str, list[str]]) -> set[Edit]:
    """The word edits of each witness against the first, read from CollateX's alignment table."""
    data = {
        "witnesses": [
            {"id": name, "tokens": [{"t": word, "n": word} for word in tokens]}
            for name, tokens in witnesses.items()
        ]
    }
    table = json.loads(
        collatex.collate(
            collatex.Collation.create_from_dict(data), output="json", segmentation=False
        )
    )
    columns = table["table"]
    names = table["witnesses"]
    base = names.index(next(iter(witnesses)))
    edits: list[Edit] = []
    for k, name in enumerate(names):
        if k == base:
            continue
        i = j = 0
        run: list[int] | None = None
        for column in range(len(columns[base])):
            a, b = columns[base][column], columns[k][column]
            if not a and not b:
                continue
            if a and b and a[0]["n"] == b[0]["n"]:
                if run is not None:
                    edits.append((name, run[0], i, run[1], j))
                    run = None
            elif run is None:
                run = [i, j]
            i += bool(a)
            j += bool(b)
        if run is not None:
            edits.append((name, run[0], i, run[1], j))
    return _merged(edits)


def _word_starts(sentences: list[Sentence]) -> list[int]:
    starts, at = [], 0
    for sentence in sentences:
        starts.append(at)
        at += len(normalize_words(sentence.text))
    return starts


def agreement(seed: int, sentences: int, count: int) -> tuple[int, int, int]:
    """(CollateX's edits, ours found with the same extent, ours that CollateX lacks)."""
    docs = [_doc(f"w{k}", texts) for k, texts in enumerate(_witnesses(seed, sentences, count))]
    return agreement_of(docs)


def agreement_of(docs: list[Document]) -> tuple[int, int, int]:
    """The same figures for any witnesses, the first taken as base."""
    split = [sentences_of(d) for d in docs]
    rows = align(split)
    words = {d.id: _word_starts(s) for d, s in zip(docs, split, strict=True)}
    ours = our_edits(rows, [d.id for d in docs], words)
    theirs = collatex_edits({d.id: normalize_words(d.plain_text) for d in docs})
    return len(theirs), len(ours & theirs), len(ours - theirs)


# CollateX's Python port takes about 30 CPU-seconds for 40 sentences (750 words)
# of 3 witnesses, and grows faster than linearly: CI runs two mid-sized cases;
# docs/compare.md gives the figures for longer ones.
@pytest.mark.parametrize(("seed", "sentences", "count"), [(1, 40, 3), (2, 25, 4)])
def test_word_edits_agree_with_collatex(seed: int, sentences: int, count: int) -> None:
    theirs, same, spurious = agreement(seed, sentences, count)
    print(f"seed {seed}: CollateX {theirs} edits, ours {same} of them, {spurious} spurious")
    assert same >= 0.95 * theirs
    assert spurious <= 0.02 * (same + spurious)


DARWIN = Path(__file__).parent / "fixtures" / "darwin"


@pytest.mark.parametrize("passage", ["variability", "habit"])
def test_word_edits_agree_with_collatex_on_darwin(passage: str) -> None:
    # The six editions of the Origin (1859–1872) that CollateX's own tests collate:
    # real revisions, where words are reworded, added and dropped as an author does.
    files = sorted(DARWIN.glob(f"{passage}-*.txt"))
    docs = [_doc(f.stem, [f.read_text(encoding="utf-8").strip()]) for f in files]
    assert len(docs) == 6
    assert agreement_of(docs) == {"variability": (40, 40, 0), "habit": (38, 38, 0)}[passage]
