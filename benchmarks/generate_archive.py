"""Generate a realistic archive of N documents for benchmarks and large-archive tests.

    python benchmarks/generate_archive.py OUT_DIR --documents 10000 [--seed 1] [--spanish 0.1]

Documents come in bundles of about 25, with real headers (publisher, place,
date, title, sometimes a byline), in families of versions of one text: an
original, exact copies with other paragraphing, lightly edited versions and
loose rewordings. One note per three documents quotes a passage of it.
`entities.yaml` names the publishers, the bylines' authors and four things
the texts mention often. With `--spanish F`, a share F of the documents are
Spanish translations of an original (phrase by phrase, with the names and
numbers the originals then carry); without it the archive is as it always
was. The same seed always gives the same archive.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

PUBLISHERS = [
    ("United States Department of State", "Washington DC"),
    ("Ministry of Foreign Affairs", "Mexico City, Mexico"),
    ("The Hill", "Washington DC"),
    ("Reuters", "London"),
    ("Secretaría de Gobernación", "Mexico City, Mexico"),
    ("White House Press Office", "Washington DC"),
    ("El Universal", "Mexico City, Mexico"),
    ("Associated Press", "New York"),
    ("Government of Canada", "Ottawa"),
    ("European Commission", "Brussels"),
]
MONTHS = "January February March April May June July August September October November December"
SUBJECTS = (
    "the delegation|the minister|both governments|the two countries|officials|the president|"
    "the committee|negotiators|the secretary|regional partners|the ambassador|the council"
).split("|")
VERBS = (
    "reaffirmed|discussed|agreed on|highlighted|reviewed|announced|stressed|rejected|"
    "welcomed|examined|proposed|underlined|supported|questioned"
).split("|")
OBJECTS = (
    "orderly and humane migration|the shared border|legal pathways for migrants|"
    "bilateral trade|development assistance|human smuggling networks|new private investment|"
    "the root causes of migration|security cooperation|the joint initiative|humanitarian aid|"
    "institutional reforms|the regional declaration|public health measures|energy policy|"
    "water rights along the river|tariffs on steel|customs procedures|the fisheries agreement"
).split("|")
CLAUSES = (
    "in the coming months|after a week of talks|according to a joint statement|"
    "despite earlier disagreements|at a meeting in the capital|for the rest of the year|"
    "as part of a broader agreement|with support from international partners|"
    "under the terms agreed in January|before the end of the session"
).split("|")
SYNONYMS = {
    "reaffirmed": "confirmed", "discussed": "talked about", "agreed on": "settled on",
    "highlighted": "underscored", "stressed": "emphasized", "welcomed": "praised",
    "officials": "authorities", "the delegation": "the mission", "announced": "declared",
    "the shared border": "the common frontier", "bilateral trade": "trade between them",
    "orderly and humane migration": "safe and regular migration",
}  # fmt: skip
NAMES = ["Ana Ruiz", "John Carter", "Lucía Méndez", "Peter Hall", "Sara Kim", "Tomás Vega"]
# Entities the texts mention: (name, kind, aliases); lowercase aliases match at sentence starts.
MENTIONED = [
    ("The Council", "organization", ["the council"]),
    ("The Committee", "organization", ["the committee"]),
    ("Fisheries Agreement", "agreement", ["fisheries agreement"]),
    ("Regional Declaration", "agreement", ["regional declaration"]),
]


# Spanish for every phrase of the stock above, to translate originals phrase by phrase.
SPANISH = {
    "the delegation": "la delegación", "the minister": "el ministro",
    "both governments": "ambos gobiernos", "the two countries": "los dos países",
    "officials": "los funcionarios", "the president": "el presidente",
    "the committee": "el comité", "negotiators": "los negociadores",
    "the secretary": "el secretario", "regional partners": "los socios regionales",
    "the ambassador": "el embajador", "the council": "el consejo",
    "reaffirmed": "reafirmó", "discussed": "analizó", "agreed on": "acordó",
    "highlighted": "destacó", "reviewed": "revisó", "announced": "anunció",
    "stressed": "subrayó", "rejected": "rechazó", "welcomed": "celebró",
    "examined": "examinó", "proposed": "propuso", "underlined": "recalcó",
    "supported": "respaldó", "questioned": "cuestionó",
    "orderly and humane migration": "una migración ordenada y humana",
    "the shared border": "la frontera común",
    "legal pathways for migrants": "las vías legales para migrantes",
    "bilateral trade": "el comercio bilateral",
    "development assistance": "la asistencia para el desarrollo",
    "human smuggling networks": "las redes de tráfico de personas",
    "new private investment": "la nueva inversión privada",
    "the root causes of migration": "las causas estructurales de la migración",
    "security cooperation": "la cooperación en seguridad",
    "the joint initiative": "la iniciativa conjunta",
    "humanitarian aid": "la ayuda humanitaria",
    "institutional reforms": "las reformas institucionales",
    "the regional declaration": "la declaración regional",
    "public health measures": "las medidas de salud pública",
    "energy policy": "la política energética",
    "water rights along the river": "los derechos de agua a lo largo del río",
    "tariffs on steel": "los aranceles al acero",
    "customs procedures": "los procedimientos aduaneros",
    "the fisheries agreement": "el acuerdo de pesca",
    "in the coming months": "en los próximos meses",
    "after a week of talks": "tras una semana de conversaciones",
    "according to a joint statement": "según un comunicado conjunto",
    "despite earlier disagreements": "pese a los desacuerdos anteriores",
    "at a meeting in the capital": "en una reunión en la capital",
    "for the rest of the year": "durante el resto del año",
    "as part of a broader agreement": "como parte de un acuerdo más amplio",
    "with support from international partners": "con el apoyo de socios internacionales",
    "under the terms agreed in January": "en los términos acordados en enero",
    "before the end of the session": "antes del fin de la sesión", "and": "y",
}  # fmt: skip
_PHRASE = re.compile("|".join(sorted(map(re.escape, SPANISH), key=len, reverse=True)))
MESES = "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
CITIES = ["Washington", "Ottawa", "Monterrey", "Tijuana", "Guadalajara", "Ciudad Juárez"]


def _meeting(rng: random.Random) -> tuple[str, str]:
    """A sentence with names and numbers, in English and in Spanish."""
    first, second = rng.sample(NAMES, 2)
    city, day, month = rng.choice(CITIES), rng.randint(1, 28), rng.randrange(12)
    year, projects = rng.randint(2000, 2024), rng.randint(12, 480)
    return (
        f"{first} met {second} in {city} on {day} {MONTHS.split()[month]} {year} "
        f"to review {projects} projects.",
        f"{first} se reunió con {second} en {city} el {day} de {MESES.split()[month]} de "
        f"{year} para revisar {projects} proyectos.",
    )


def _spanish(sentence: str) -> str:
    """A sentence of the stock, translated phrase by phrase."""
    text = _PHRASE.sub(lambda m: SPANISH[m[0]], sentence[0].lower() + sentence[1:])
    return text[0].upper() + text[1:]


def _spanish_header(
    rng: random.Random, date: str, family: int, paragraphs: list[list[str]]
) -> list[str]:
    """A Spanish publisher's header, dated as the original or a day or two later."""
    day, month, year = date.split()
    day_number = min(28, int(day) + rng.choice([0, 0, 1, 2]))
    mes = MESES.split()[MONTHS.split().index(month)]
    title = f"Declaración {family}: " + " ".join(paragraphs[0][0].split()[:6]).rstrip(".")
    publisher = rng.choice(["Secretaría de Relaciones Exteriores", "Secretaría de Gobernación"])
    return [publisher, "Ciudad de México", f"{day_number} de {mes} de {year}", title]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS)]
    if rng.random() < 0.7:
        words.append(rng.choice(CLAUSES))
    if rng.random() < 0.4:
        words += ["and", rng.choice(VERBS), rng.choice(OBJECTS)]
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def _original(rng: random.Random) -> list[list[str]]:
    """Paragraphs of sentences."""
    return [[_sentence(rng) for _ in range(rng.randint(2, 5))] for _ in range(rng.randint(3, 9))]


def _repaginate(rng: random.Random, paragraphs: list[list[str]]) -> list[list[str]]:
    sentences = [s for p in paragraphs for s in p]
    result, current = [], []
    for sentence in sentences:
        current.append(sentence)
        if rng.random() < 0.35:
            result.append(current)
            current = []
    if current:
        result.append(current)
    return result


def _edit(rng: random.Random, paragraphs: list[list[str]], rate: float) -> list[list[str]]:
    edited = []
    for paragraph in paragraphs:
        sentences = []
        for sentence in paragraph:
            for old, new in SYNONYMS.items():
                if old in sentence and rng.random() < rate:
                    sentence = sentence.replace(old, new, 1)
            sentences.append(sentence)
        if rng.random() < rate / 3:
            sentences.append(_sentence(rng))
        edited.append(sentences)
    return edited


def _header(rng: random.Random, title: str) -> list[str]:
    publisher, place = rng.choice(PUBLISHERS)
    date = f"{rng.randint(1, 28)} {rng.choice(MONTHS.split())} {rng.randint(2000, 2024)}"
    lines = [publisher, place, date, title]
    if rng.random() < 0.3:
        lines.append(f"by {rng.choice(NAMES)}")
    return lines


def generate(out: Path, documents: int, seed: int = 1, spanish: float = 0.0) -> None:
    """Write an archive of `documents` documents (bundles, site.yaml, notes) into `out`."""
    rng = random.Random(seed)
    # Its own generator: the archive without Spanish stays exactly as it was.
    translating = random.Random(seed + 1)
    family_size = 1 + sum([0, 0, 1, 1, 2, 3]) / 6
    translated_share = spanish * family_size / (1 - spanish) if spanish else 0.0
    sources = out / "sources"
    notes_dir = out / "notes"
    sources.mkdir(parents=True, exist_ok=True)
    notes_dir.mkdir(parents=True, exist_ok=True)
    (out / "site.yaml").write_text(f"title: Generated archive of {documents} documents\n")
    texts: list[tuple[list[str], list[list[str]]]] = []  # (header lines, paragraphs)
    family = 0
    while len(texts) < documents:
        family += 1
        original = _original(rng)
        title = f"Statement {family}: " + " ".join(original[0][0].split()[:6]).rstrip(".")
        translation = None
        if translated_share:
            # Originals then name people, places and numbers, as press texts do.
            english, spanish_text = [], []
            for i, paragraph in enumerate(original):
                meeting = [_meeting(translating)] if i % 2 == 0 else []
                english.append(paragraph + [en for en, _ in meeting])
                spanish_text.append([_spanish(s) for s in paragraph] + [es for _, es in meeting])
            original = english
            if translating.random() < translated_share:
                translation = spanish_text
        header = _header(rng, title)
        texts.append((header, original))
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            kind = rng.random()
            if kind < 0.3:
                version = _repaginate(rng, original)
            elif kind < 0.7:
                version = _edit(rng, original, 0.3)
            else:
                version = _edit(rng, original, 0.9)
            texts.append((_header(rng, title + " (version)"), version))
        if translation is not None:
            texts.append(
                (_spanish_header(translating, header[2], family, translation), translation)
            )
    texts = texts[:documents]
    rng.shuffle(texts)
    bundle_size = 25
    notes: list[str] = []
    for start in range(0, len(texts), bundle_size):
        lines: list[str] = [f"Generated bundle {start // bundle_size + 1}"]
        for header, paragraphs in texts[start : start + bundle_size]:
            lines += header
            lines += [" ".join(p) for p in paragraphs]
        name = f"bundle-{start // bundle_size + 1:05d}.txt"
        (sources / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    # Notes need document ids, which only the real parser knows: ask it.
    from generator.notes.anchor import AnchorProblem, PassageFinder
    from generator.sources.archive import load_archive

    archive, _ = load_archive(out)
    for index, doc in enumerate(archive.documents):
        if index % 3:
            continue
        paragraph = doc.paragraphs[rng.randrange(len(doc.paragraphs))]
        words = paragraph.text.split()
        start = rng.randrange(max(1, len(words) - 6))
        quote = " ".join(words[start : start + 6])
        try:
            PassageFinder([p.text for p in doc.paragraphs]).find(quote)
            target = f"  quote: {quote}\n"
        except AnchorProblem:  # the phrase repeats in this document
            target = f"  paragraph: {paragraph.id}\n"
        notes.append(
            f"- doc: {doc.id}\n{target}"
            f"  note: Generated note {index // 3 + 1} on *this* passage.\n"
            f"  tags: [{rng.choice(['context', 'variant', 'translation'])}]\n"
        )
    per_file = 200
    for start in range(0, len(notes), per_file):
        (notes_dir / f"notes-{start // per_file + 1:04d}.yaml").write_text(
            "".join(notes[start : start + per_file]), encoding="utf-8"
        )
    (out / "entities.yaml").write_text(_entities(), encoding="utf-8")


def _entities() -> str:
    """Publishers, authors and often-mentioned things, as an editor would list them."""
    entries = [(p, "organization", []) for p, _ in PUBLISHERS]
    entries += [(n, "person", []) for n in NAMES] + MENTIONED
    return "".join(
        f"- name: {name}\n  kind: {kind}\n"
        + (f"  aliases: [{', '.join(aliases)}]\n" if aliases else "")
        + f"  description: A generated *{name}*.\n"
        for name, kind, aliases in entries
    )


def main(argv: list[str] | None = None) -> int:
    """Command line: generate an archive."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--spanish",
        type=float,
        default=0.0,
        help="share of documents that are Spanish translations",
    )
    args = parser.parse_args(argv)
    generate(args.out, args.documents, args.seed, args.spanish)
    return 0


if __name__ == "__main__":
    sys.exit(main())
