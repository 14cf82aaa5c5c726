"""Generate an archive where news items quote releases and much text is shared boilerplate.

    python benchmarks/generate_overlap.py OUT_DIR --documents 10000 [--seed 1]

The second benchmark archive, the hard case for quotation finding. About one
document in five is a release (a ministry's or an agency's statement); the
rest are news items reporting on one release each, dated the same day or up
to three days later (one in twenty has no date). What they share:

- every release opens with a list of the officials present, drawn from one
  short list of names and titles, and ends with its publisher's stock closing
  paragraph; every news item ends with its outlet's;
- news items quote their release's sentences in quotation marks: word for
  word, cut short, or with a word changed; some quote another outlet's
  quotation of it (a relay), some quote words said at a briefing that no
  release holds, and some take a release's sentence without marks;
- one release in twenty is major: dozens of reports quote its headline
  sentence, whatever the archive's size (so the work per quote stays the same
  from 1,000 to 10,000 documents, and any growth is the method's);
- one news item in ten is another outlet's republication of an earlier one,
  with a new first paragraph and its own closing.

The same seed always gives the same archive. The only versions of one text
in it are a news item and its republications: `true_families` reads them
back from the titles ("Report 859: …", "Republished 912: Report 859: …"),
and `pair_scores` measures version groups against them.
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import sys
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.generate_archive import CLAUSES, MONTHS, OBJECTS, SUBJECTS, VERBS

RELEASERS = [
    ("United States Department of State", "Washington DC"),
    ("Ministry of Foreign Affairs", "Mexico City, Mexico"),
    ("White House Press Office", "Washington DC"),
    ("Secretaría de Gobernación", "Mexico City, Mexico"),
    ("Government of Canada", "Ottawa"),
    ("European Commission", "Brussels"),
]
OUTLETS = [
    ("Reuters", "London"),
    ("Associated Press", "New York"),
    ("The Hill", "Washington DC"),
    ("El Universal", "Mexico City, Mexico"),
    ("Agence France-Presse", "Paris"),
    ("The Globe and Mail", "Toronto"),
    ("Politico", "Arlington"),
    ("La Jornada", "Mexico City, Mexico"),
]
OFFICIALS = [
    "Secretary of State Antony Blinken",
    "Secretary of Homeland Security Alejandro Mayorkas",
    "Homeland Security Advisor Liz Sherwood-Randall",
    "Foreign Secretary Alicia Bárcena",
    "Interior Secretary Luisa María Alcalde",
    "Ambassador Ken Salazar",
    "Deputy Minister Mauricio Ibarra",
    "Commissioner Ylva Johansson",
    "Minister of Immigration Marc Miller",
    "Under Secretary Uzra Zeya",
]
PLACES = [
    "the northern border", "Ciudad Juárez", "the Darién Gap", "Tapachula", "El Paso",
    "the Rio Grande valley", "Nogales", "the southern states", "Monterrey", "San Diego",
]  # fmt: skip
TOPICS = [
    "asylum", "visas", "remittances", "fentanyl", "shelters", "railways", "ports", "wages",
    "labour", "housing", "vaccines", "schools", "tariffs", "grain", "fuel",
    "bridges", "hospitals", "courts", "police", "farms", "water", "power", "textiles",
]  # fmt: skip
CLOSINGS = {
    name: f"For further information, contact the press office of the {name}. This statement "
    f"was issued in {place} and is also available on the website of the {name}, with the "
    "full list of participants and the programme of the meeting."
    for name, place in RELEASERS
}
OUTLET_CLOSINGS = {
    name: f"Reporting by the {name} staff in {place}; additional reporting by our "
    "correspondents in the region. Editing by the news desk. This story has been updated "
    "with comments from officials and a response from the embassy."
    for name, place in OUTLETS
}
SPOKEN = "the spokesperson told reporters at the briefing"


def _sentence(rng: random.Random) -> str:
    """A sentence of a release: 15 to 30 words, from a wider stock than the plain archive's."""
    words = [rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS)]
    words += ["for", rng.choice(TOPICS), "in", rng.choice(PLACES)]
    if rng.random() < 0.8:
        words.append(rng.choice(CLAUSES))
    if rng.random() < 0.6:
        words += ["and", rng.choice(VERBS), rng.choice(OBJECTS), "worth"]
        words += [f"{rng.randint(2, 950)} million dollars"]
    words += ["by", rng.choice(MONTHS.split()), str(rng.randint(2025, 2030))]
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def _date(rng: random.Random) -> tuple[int, int, int]:
    return rng.randint(2015, 2024), rng.randint(1, 12), rng.randint(1, 25)


def _written(date: tuple[int, int, int] | None) -> str | None:
    if date is None:
        return None
    year, month, day = date
    return f"{day} {MONTHS.split()[month - 1]} {year}"


class _Release:
    def __init__(self, rng: random.Random, number: int) -> None:
        self.publisher, self.place = rng.choice(RELEASERS)
        self.date = _date(rng)
        self.major = number % 20 == 0
        self.sentences = [_sentence(rng) for _ in range(rng.randint(8, 16))]
        self.officials = rng.sample(OFFICIALS, rng.randint(4, 7))
        self.title = f"Release {number}: " + " ".join(self.sentences[0].split()[:7]).rstrip(".")
        # Words said at the briefing, never written in the release: quoted by several reports.
        self.spoken = _sentence(rng).rstrip(".")
        self.quotes: list[str] = []  # what news items quoted of it, in marks, so far

    def text(self) -> list[str]:
        body = [
            f"Present were {', '.join(self.officials[:-1])} and {self.officials[-1]}.",
        ]
        sentences = self.sentences
        for start in range(0, len(sentences), 3):
            body.append(" ".join(sentences[start : start + 3]))
        body.append(CLOSINGS[self.publisher])
        return [self.publisher, self.place, _written(self.date) or "", self.title, *body]


def _quotation(rng: random.Random, release: _Release) -> str:
    """Words of a release a report puts in quotation marks."""
    if release.major and rng.random() < 0.7:
        sentence = release.sentences[0]  # the headline sentence, quoted by dozens
    else:
        sentence = rng.choice(release.sentences)
    words = sentence.rstrip(".").split()
    kind = rng.random()
    if kind < 0.55:
        return " ".join(words)
    if kind < 0.8:  # cut short
        return " ".join(words[: rng.randint(8, max(8, len(words) - 2))])
    # A word changed or dropped: a quotation with differences.
    at = rng.randrange(2, len(words) - 2)
    if rng.random() < 0.5:
        del words[at]
    else:
        words[at] = rng.choice(TOPICS)
    return " ".join(words)


def _news(rng: random.Random, release: _Release, number: int) -> list[str]:
    outlet, place = rng.choice(OUTLETS)
    year, month, day = release.date
    date = None if rng.random() < 0.05 else (year, month, day + rng.randint(0, 3))
    lede = f"{release.publisher} {rng.choice(VERBS)} {rng.choice(OBJECTS)} on {rng.choice(TOPICS)}"
    body = [f"{lede}, officials said, in a statement reported here as item {number}."]
    for _ in range(rng.randint(1, 3)):
        kind = rng.random()
        if kind < 0.15 and release.quotes:  # a relay: another outlet's quotation, copied
            quoted = rng.choice(release.quotes)
        elif kind < 0.3:  # said at the briefing, in no release
            quoted = release.spoken
        else:
            quoted = _quotation(rng, release)
            release.quotes.append(quoted)
        speaker = rng.choice(release.officials)
        body.append(f"“{quoted[0].upper() + quoted[1:]},” {speaker} said, according to {SPOKEN}.")
    if rng.random() < 0.3:  # a release's sentence taken without marks
        body.append(f"{rng.choice(release.sentences)} The talks continue.")
    if rng.random() < 0.5:
        body.append(f"Present were {', '.join(release.officials[:-1])} and others.")
    body.append(OUTLET_CLOSINGS[outlet])
    title = f"Report {number}: {lede}"
    return [outlet, place, _written(date) or "", title, *body]


def _republished(rng: random.Random, news: list[str], number: int) -> list[str]:
    """Another outlet's copy of a report: a new first paragraph, its own closing."""
    outlet, place = rng.choice(OUTLETS)
    body = news[4:-1]
    body[0] = f"As first reported elsewhere, {body[0][0].lower()}{body[0][1:]}"
    return [outlet, place, news[2], f"Republished {number}: {news[3]}", *body,
            OUTLET_CLOSINGS[outlet]]  # fmt: skip


_REPORT = re.compile(r"(?:Republished \d+: )?(Report \d+):")


def true_families(titles: Iterable[tuple[str, str]]) -> list[set[str]]:
    """The true version families (two members or more) from (document id, title) pairs.

    A report and its republications are versions of one text; nothing else
    in the archive is (releases, and reports of one release, are different texts).
    """
    families: dict[str, set[str]] = {}
    for doc_id, title in titles:
        found = _REPORT.match(title)
        if found:
            families.setdefault(found[1], set()).add(doc_id)
    return [members for members in families.values() if len(members) > 1]


def _pairs(groups: Iterable[Iterable[str]]) -> set[tuple[str, str]]:
    return {pair for g in groups for pair in itertools.combinations(sorted(g), 2)}


def pair_scores(found: Iterable[Iterable[str]], truth: Iterable[Iterable[str]]) -> dict[str, float]:
    """Precision and recall of the pairs of documents put in one group, against the truth."""
    claimed, true = _pairs(found), _pairs(truth)
    right = len(claimed & true)
    return {
        "pairs claimed": len(claimed),
        "true pairs": len(true),
        "precision": right / len(claimed) if claimed else 1.0,
        "recall": right / len(true) if true else 1.0,
    }


def generate(out: Path, documents: int, seed: int = 1) -> None:
    """Write an archive of `documents` releases and news items (bundles, site.yaml) into `out`."""
    rng = random.Random(seed)
    sources = out / "sources"
    sources.mkdir(parents=True, exist_ok=True)
    (out / "site.yaml").write_text(f"title: Releases and news, {documents} documents\n")
    releases: list[_Release] = []
    texts: list[list[str]] = []
    weights: list[int] = []
    while len(texts) < documents:
        if not releases or rng.random() < 0.2:
            release = _Release(rng, len(releases) + 1)
            releases.append(release)
            weights.append(20 if release.major else 1)
            texts.append(release.text())
            continue
        news_texts = [t for t in texts[-200:] if t[3].startswith("Report")]
        if news_texts and rng.random() < 0.1:
            texts.append(_republished(rng, rng.choice(news_texts), len(texts) + 1))
            continue
        # Reports follow recent releases: the newest hundred, the major ones most.
        recent = range(max(0, len(releases) - 100), len(releases))
        pick = rng.choices(list(recent), weights=[weights[i] for i in recent])[0]
        texts.append(_news(rng, releases[pick], len(texts) + 1))
    rng.shuffle(texts)
    # A bundle's header needs a date line: undated items are typed documents.
    undated = [t for t in texts if not t[2]]
    (sources / "undated").mkdir(exist_ok=True)
    for number, (publisher, place, _, title, *body) in enumerate(undated, 1):
        front = f"---\npublisher: {publisher}\nplace: {place}\ntitle: '{title}'\n---\n"
        (sources / "undated" / f"item-{number:05d}.md").write_text(
            front + "\n\n".join(body) + "\n", encoding="utf-8"
        )
    dated = [t for t in texts if t[2]]
    bundle_size = 25
    for start in range(0, len(dated), bundle_size):
        lines = [f"Generated bundle {start // bundle_size + 1}"]
        for text in dated[start : start + bundle_size]:
            lines += text
        name = f"bundle-{start // bundle_size + 1:05d}.txt"
        (sources / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Command line: generate an archive."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    generate(args.out, args.documents, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
