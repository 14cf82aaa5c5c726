"""Version groups: found through shingle keys, verified sentence by sentence."""

from __future__ import annotations

import itertools
import random
import re
from pathlib import Path

import pytest

from benchmarks.generate_archive import generate
from generator.cache.store import BuildCache
from generator.compare import groups
from generator.compare.groups import detect_groups, group_relations
from generator.compare.quotes import find_quotations
from generator.compare.shingles import ShingleIndex
from generator.compare.witness import sentences_of
from generator.model import Document, Group, Paragraph, Passage, Provenance, Relation
from generator.sources.archive import load_archive
from tests.compare.test_collatex import _witnesses
from tests.conftest import EXAMPLE
from tests.sources.test_archive import HEADERLESS, MINISTRY, STATE

A = "The delegates met in the old library on Monday morning to read the draft."
B = "Rain had flooded the northern roads for three days before the talks began."
C = "Nobody expected the treaty to survive its first winter in the mountains."
D = "Fishermen along the coast reported unusual catches of cod and herring."
E = "A committee will publish its findings before the harvest festival next year."
# The same sentences lightly reworded, as a second translation would have them.
A2 = "The delegates gathered in the old library on Monday morning to read the draft."
B2 = "Rain had flooded the northern highways for three days before talks began."
C2 = "No one expected the treaty to survive its first winter in the mountains."
D2 = "Fishermen on the coast reported unusual catches of cod and of herring."


def _doc(doc_id: str, *paragraphs: str, publisher: str | None = "P", date: str = "") -> Document:
    header = {"publisher": publisher, "date": date or None}
    provenance = Provenance(f"sources/{doc_id}.txt", 1, 1, "0" * 64, None, 1, header)
    body = tuple(Paragraph(n, text, n) for n, text in enumerate(paragraphs, 1))
    return Document(doc_id, provenance, body, "T", False, "en")


def _groups(*docs: Document) -> list[list[str]]:
    return detect_groups(ShingleIndex.of(docs))


def test_the_example_archive_has_one_group_of_three() -> None:
    archive, _ = load_archive(EXAMPLE)
    assert _groups(*archive.documents) == [[HEADERLESS, STATE, MINISTRY]]


def test_the_example_copy_is_same_text_and_the_ministry_a_version() -> None:
    archive, _ = load_archive(EXAMPLE)
    group = Group("g", "T", (STATE, MINISTRY, HEADERLESS))
    assert group_relations((group,), list(archive.documents)) == [
        Relation("same-text", Passage(HEADERLESS, 1), Passage(MINISTRY, 1), True),
        Relation("version", Passage(MINISTRY, 1), Passage(STATE, 1), False),
    ]


def test_a_copy_is_the_same_text_to_the_letter_and_a_repunctuated_one_a_version() -> None:
    # "Same text" is read as "the same characters": a copy that differs only in
    # case or punctuation is a version, so its comparison column shows the difference.
    original = _doc("original", f"{A} {B}", f"{C} {D}", date="2024-01-02")
    respaced = _doc("respaced", f"{A}   {B}\n", f"{C}\t{D}", date="2024-01-03")
    repunctuated = _doc("repunctuated", f"{A[:-1]}; {B.lower()}", f"{C} {D}", date="2024-01-04")
    group = Group("g", "T", ("original", "respaced", "repunctuated"))
    assert group_relations((group,), [original, respaced, repunctuated]) == [
        Relation("same-text", Passage("respaced", 1), Passage("original", 1), True),
        Relation("version", Passage("repunctuated", 1), Passage("original", 1), False),
    ]


def test_copies_versions_and_other_paragraphing_group_together() -> None:
    original = _doc("original", f"{A} {B}", f"{C} {D} {E}")
    copy = _doc("copy", A, B, C, D, E, publisher=None)
    version = _doc("version", f"{A2} {B2} {C2}", f"{D2} {E}")
    assert _groups(original, copy, version) == [["original", "copy", "version"]]


def test_a_pair_is_verified_again_only_once_one_of_its_texts_changed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    verified: list[int] = []
    coverage = groups._coverage
    monkeypatch.setattr(groups, "_coverage", lambda *pair: verified.append(1) or coverage(*pair))
    cache = BuildCache()

    def detect(*docs: Document) -> list[list[str]]:
        return detect_groups(ShingleIndex.of(docs), cache)

    original = ("original", f"{A} {B}", f"{C} {D} {E}")
    assert detect(_doc(*original), _doc("version", f"{A2} {B2} {C2}", f"{D2} {E}")) == [
        ["original", "version"]
    ]
    assert len(verified) == 1
    # Equal documents, read again: the verdict is kept by content, not by object.
    assert detect(_doc(*original), _doc("version", f"{A2} {B2} {C2}", f"{D2} {E}")) == [
        ["original", "version"]
    ]
    assert len(verified) == 1
    assert detect(_doc(*original), _doc("version", f"{A2} {B2} {C}", f"{D2} {E}")) == [
        ["original", "version"]
    ]
    assert len(verified) == 2


def test_a_text_quoting_a_passage_is_not_a_version() -> None:
    source = _doc("source", f"{A} {B}", f"{C} {D}")
    report = _doc(
        "report",
        "Officials spoke on Tuesday about the meeting, which few had followed closely.",
        f"“{A}” the statement said, and the press office added nothing more that day.",
        "Critics said the statement was vague and that the treaty had many enemies still.",
        "Observers expect a new round of talks in the spring, perhaps in another city.",
    )
    assert _groups(source, report) == []


def test_unrelated_texts_on_one_topic_make_no_group() -> None:
    # Sentences built from one small stock of phrases share many shingles by chance.
    docs = [
        _doc("one", "The minister discussed the shared border. Officials reviewed bilateral trade."
             " The council welcomed humanitarian aid after a week of talks."),
        _doc("two", "The minister discussed bilateral trade. Officials reviewed the shared border."
             " The council rejected humanitarian aid before the end of the session."),
    ]  # fmt: skip
    assert _groups(*docs) == []


def test_texts_too_short_to_tell_are_never_grouped() -> None:
    assert _groups(_doc("a", "Thank you."), _doc("b", "Thank you.")) == []


def test_a_huge_family_is_one_group() -> None:
    # Every key of these documents is held by all of them: only neighbours are compared.
    family = [_doc(f"d{n:03d}", f"{A} {B}", f"{C} {D} {E}", f"Issued as number {n}.")
              for n in range(150)]  # fmt: skip
    assert _groups(*family) == [[d.id for d in family]]


def test_a_generated_archive_groups_each_family_alone(tmp_path: Path) -> None:
    generate(tmp_path, documents=300, seed=3)
    archive, _ = load_archive(tmp_path)
    family = {d.id: re.match(r"Statement (\d+)", d.title)[1] for d in archive.documents}
    groups = _groups(*archive.documents)
    assert all(len({family[m] for m in members}) == 1 for members in groups)
    truth: dict[str, set[str]] = {}
    for doc_id, name in family.items():
        truth.setdefault(name, set()).add(doc_id)
    families = [members for members in truth.values() if len(members) > 1]
    found = sum(set(members) in [set(g) for g in groups] for members in families)
    assert found >= 0.97 * len(families), (found, len(families))


# -- a pair's verdict is a property of its two texts (issue #18) -----------------

# A wire story as agencies file it, eight sentences.
WIRE = (
    "MEXICO CITY, Dec 27 (Reuters) - Mexico and the United States agreed on Wednesday to keep"
    " border crossings open while they work on new measures to curb record migration, officials"
    " from both countries said.",
    "U.S. Secretary of State Antony Blinken led a delegation that met Mexican President Andres"
    " Manuel Lopez Obrador at the national palace for more than two hours.",
    "Lopez Obrador told reporters before the meeting that Mexico would help, but that Washington"
    " should also spend more on development in Latin America.",
    "The talks came after U.S. authorities briefly closed two rail crossings in Texas last week,"
    " saying agents were needed to process migrants instead.",
    "Business groups on both sides warned the closures were costing millions of dollars a day in"
    " delayed shipments of auto parts and grain.",
    "Homeland Security Secretary Alejandro Mayorkas and White House adviser Liz Sherwood-Randall"
    " also joined the meeting, a U.S. official said.",
    "Mexico has stepped up deportations of migrants from its northern border towns and has moved"
    " some of them to cities further south.",
    "Both governments said in a joint statement they would meet again in Washington in January"
    " to review progress.",
)
# A department's statement, and a news report built around six of its sentences.
STATEMENT = (
    "The Department of Homeland Security today announced additional measures to strengthen the"
    " security of the southwest border.",
    "Beginning next month, officers will expand processing capacity at six ports of entry in"
    " Texas and Arizona.",
    "The Department will also surge personnel and resources to the sectors that have seen the"
    " greatest number of encounters.",
    "These steps build on the close cooperation between the United States and Mexico to manage"
    " migration in a safe and orderly way.",
    "Migrants who cross unlawfully will be removed promptly under the law unless they have a"
    " valid claim for protection.",
    "The Department continues to call on Congress to provide the funding requested in the"
    " President's supplemental budget.",
    "Smugglers spread false information about changes at the border to profit from vulnerable"
    " people.",
    "Additional information about lawful pathways is available on the Department's website in"
    " English and Spanish.",
)
REPORT_OWN = (
    "WASHINGTON (AP) — The Biden administration on Tuesday rolled out new border steps as"
    " crossings hit a monthly record.",
    "Republicans in Congress dismissed the announcement as too little and too late for towns"
    " that are overwhelmed.",
    "Advocates for migrants said they feared the faster removals would send people with strong"
    " asylum claims back to danger.",
    "The announcement comes as lawmakers negotiate over a package that would tie border money to"
    " aid for Ukraine and Israel.",
    "The mayor of El Paso said shelters in the city were full for a third straight week and that"
    " buses were arriving every hour.",
)
REPORT = (
    REPORT_OWN[0], STATEMENT[0], STATEMENT[1], REPORT_OWN[1], f"{STATEMENT[2]} {STATEMENT[4]}",
    REPORT_OWN[2], STATEMENT[5], STATEMENT[6], REPORT_OWN[3], REPORT_OWN[4],
)  # fmt: skip


def _as_sets(found: list[list[str]]) -> set[frozenset[str]]:
    return {frozenset(members) for members in found}


def _in_every_order(*docs: Document) -> set[frozenset[str]]:
    """The groups of `docs`, checked to be the same whatever order the files come in."""
    results = {frozenset(_as_sets(_groups(*order))) for order in itertools.permutations(docs)}
    assert len(results) == 1, results
    return set(results.pop())


# A paragraph one reissue adds: long enough that its keys outnumber those any
# one document looks up, as in a book's new edition.
ADDED = (
    "In a later interview the foreign minister said the two delegations had spent most of the"
    " afternoon on the question of how many officers each country would send to the crossings"
    " near Ciudad Juarez and Nogales, and on who would pay for the new scanners at the bridges."
    " She added that the talks on the rail crossings had been the hardest, because the freight"
    " companies had asked for written guarantees that the lines would stay open through the"
    " holidays, which neither government was ready to give before consulting the governors of"
    " the border states, several of whom had complained about not being invited to the meeting."
    " Asked whether the delegations had discussed the funding that the White House had requested"
    " from Congress, she said only that the subject had come up over lunch, and that her"
    " government would wait for the vote in Washington before making any promises of its own."
    " Diplomats from Guatemala and Honduras, who followed the talks from their embassies, said"
    " they expected to be invited to the next round in January, when the ministers of the whole"
    " region are due to gather in the Mexican capital for a conference on labour migration."
)


def test_adding_a_document_leaves_existing_groups_whole() -> None:
    text = (" ".join(WIRE), " ".join(STATEMENT), " ".join(REPORT_OWN))
    a = _doc("a", *text)
    b = _doc("b", *text, ADDED)
    c = _doc("c", *text, ADDED + " Officials agreed.")
    assert _in_every_order(a, b) == {frozenset({"a", "b"})}
    assert _in_every_order(a, b, c) == {frozenset({"a", "b", "c"})}


def test_reordered_copies_are_grouped() -> None:
    wire = _doc("wire", " ".join(WIRE[:3]), " ".join(WIRE[3:6]), " ".join(WIRE[6:]))
    # A paper that ran the story with its paragraphs, and sentences, in another order.
    order = [5, 2, 7, 0, 3, 6, 1, 4]
    paper = _doc("paper", *(WIRE[i] for i in order))
    assert _in_every_order(wire, paper) == {frozenset({"wire", "paper"})}
    assert groups._coverage(sentences_of(wire), sentences_of(paper)) == (1.0, 1.0)


def test_six_identical_sentences_in_a_shuffled_order_are_grouped() -> None:
    six = [A, B, C, D, E, WIRE[7]]
    shuffled = [six[i] for i in (3, 0, 5, 1, 4, 2)]
    assert _in_every_order(_doc("x", " ".join(six)), _doc("y", " ".join(shuffled))) == {
        frozenset({"x", "y"})
    }


def test_a_report_reusing_most_of_a_statement_is_not_its_version() -> None:
    statement, report = _doc("statement", *STATEMENT), _doc("report", *REPORT)
    covered = groups._coverage(sentences_of(statement), sentences_of(report))
    assert [round(c, 2) for c in covered] == [0.74, 0.51]  # most of one, half of the other
    assert _in_every_order(statement, report) == set()


def test_a_version_covers_most_of_both_texts() -> None:
    archive, _ = load_archive(EXAMPLE)
    by_id = {d.id: d for d in archive.documents}
    covered = groups._coverage(sentences_of(by_id[STATE]), sentences_of(by_id[MINISTRY]))
    assert [round(c, 2) for c in covered] == [0.72, 0.72]
    assert min(covered) >= groups.MIN_COVERAGE


def test_unrelated_documents_do_not_change_a_pair_s_verdict(tmp_path: Path) -> None:
    wire = _doc("wire", *WIRE)
    edited = _doc("edited", *WIRE[:6], WIRE[6].replace("stepped up", "increased"))
    generate(tmp_path, documents=120, seed=5)
    others, _ = load_archive(tmp_path)
    alone = _as_sets(_groups(wire, edited))
    among = _as_sets(_groups(*others.documents[:60], wire, *others.documents[60:], edited))
    assert alone == {frozenset({"wire", "edited"})}
    assert frozenset({"wire", "edited"}) in among


def test_groups_of_a_generated_archive_do_not_depend_on_file_order(tmp_path: Path) -> None:
    generate(tmp_path, documents=200, seed=7)
    archive, _ = load_archive(tmp_path)
    docs = list(archive.documents)
    shuffled = docs[:]
    random.Random(1).shuffle(shuffled)
    assert (
        _as_sets(_groups(*docs))
        == _as_sets(_groups(*shuffled))
        == _as_sets(_groups(*reversed(docs)))
    )


def test_six_long_editions_are_one_group_with_no_quotation_between_them() -> None:
    # Six editions of a 12,000-word text, each edited from the first: words
    # replaced, dropped and added, sentences dropped and split (as CollateX's
    # test material has six editions of a chapter of Darwin's Origin).
    editions = _witnesses(seed=11, sentences=660, count=6)
    docs = [_doc(f"edition-{n}", *(" ".join(e[i : i + 5]) for i in range(0, len(e), 5)))
            for n, e in enumerate(editions, 1)]  # fmt: skip
    assert sum(len(d.plain_text.split()) for d in docs[:1]) > 11_000
    index = ShingleIndex.of(docs)
    found = detect_groups(index)
    assert _as_sets(found) == {frozenset(d.id for d in docs)}
    group = Group("origin", "T", tuple(d.id for d in docs))
    assert find_quotations(index, (group,)) == []


# -- boilerplate is not a family (issue #18) -----------------------------------


def test_reports_with_words_of_their_own_never_meet_through_boilerplate(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Eighty reports, each with an opening of its own around stock text all of
    # them carry (a closing, a quoted line): every shared key is held by more
    # than COMMON_KEY documents. They are no family of copies, so none is
    # compared with another, and none is grouped.
    rng = random.Random(4)

    def word() -> str:
        return "".join(rng.choice("bdfgklmnprstvz") + rng.choice("aeiou") for _ in range(3))

    stock = (
        "“The two governments agreed to keep the border crossings open while they work on new"
        " measures,” the spokesperson said.",
        "Editing by the news desk. This story has been updated with comments from officials.",
    )
    reports = [
        _doc(f"report-{n:02d}", " ".join(word() for _ in range(20)).capitalize() + ".", *stock)
        for n in range(80)
    ]
    found: list[int] = []
    pairs = groups.candidate_pairs
    monkeypatch.setattr(
        groups, "candidate_pairs", lambda *a: found.append(len(pairs(*a))) or pairs(*a)
    )
    assert _groups(*reports) == []
    assert found == [0]
