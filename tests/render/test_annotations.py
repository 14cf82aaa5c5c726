"""The Web Annotation export `data/annotations.jsonld`.

Three kinds of check:

- conformance: the built collection and every annotation in it pass the W3C
  test suite's JSON Schemas (vendored in tests/schemas/web-annotation, read
  offline), and the same validator rejects broken annotations;
- consistency: each annotation's selectors agree with its document's plain
  text, and its target is the document's page in the build;
- exact values for one known note of the example archive.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource, Unresolvable
from referencing.jsonschema import DRAFT4

from generator.build.pipeline import build, load
from generator.model import Archive, Note
from generator.render.annotations import annotation, collection
from tests.conftest import EXAMPLE, ROOT
from tests.sources.test_archive import HEADERLESS, HILL, STATE

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas" / "web-annotation"
SUITE = SCHEMAS / "web-annotation-tests"
ANNO_CONTEXT = SCHEMAS / "web-annotation" / "jsonld" / "anno.jsonld"
CONTEXT = "http://www.w3.org/ns/anno.jsonld"
DRAFT_04 = "http://json-schema.org/draft-04/schema#"

# Where these tests pretend the example is published. The suite requires every
# id to be an absolute IRI, which the build can only write when it knows this.
SITE = "https://example.org/archive/"
EXPORT = SITE + "data/annotations.jsonld"
CONTEXT_CHARS = 32  # prefix and suffix length, as generator/notes/annotate.py keeps them

# Optional ("should"/"may") assertions of the suite that detect a feature. Every
# Sourcebook annotation has these features; the suite's MUST list checks a
# motivation, selector or body only *if* it is there, so without these a
# missing selector or a motivation outside the model's list would pass.
FEATURES = (
    "annotations/3.1-bodyKeyFound.json",
    "annotations/3.3.5-annotationSingleMotivationImplemented.json",
    "annotations/bodiesTargets/3.2.1-bodyFormat.json",
    "annotations/bodiesTargets/3.2.1-bodySingleFormat.json",
    "annotations/bodiesTargets/3.2.1-bodyLanguage.json",
    "annotations/bodiesTargets/3.2.1-bodySingleLanguage.json",
    "annotations/bodiesTargets/3.2.4-bodyETBTypeTextualBody.json",
    "annotations/bodiesTargets/3.3.5-bodyPurpose.json",
    "annotations/bodiesTargets/4-targSpecificResource.json",
    "annotations/specificResource/4.2-selectorFound.json",
    "annotations/specificResource/4.2.4-textQuoteSelector.json",
    "annotations/specificResource/4.2.4-prefix.json",
    "annotations/specificResource/4.2.4-suffix.json",
    "annotations/specificResource/4.2.5-textPositionSelector.json",
)
DATED = "annotations/3.3.1-annotationCreatedImplemented.json"  # a note with a date
AUTHORED = "annotations/3.3.1-annotationSingleCreatorImplemented.json"  # with an author
COLLECTION_FEATURES = (
    "collections/5.1-collectionLabelImplemented.json",
    "collections/5.1-collectionTotalImplemented.json",
    "collections/5.1-collectionFirstImplemented.json",
    "collections/pages/5.2-pageStartIndexImplemented.json",
)


# -- the validator -----------------------------------------------------------------


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _refuse(uri: str) -> Resource:
    """The registry's retrieve function: nothing outside the vendored files, no network."""
    raise NoSuchResource(ref=uri)


@cache
def _registry() -> Registry:
    """The suite's shared definitions, each under the bare `id` it gives itself.

    The files are draft-04: they name themselves with `id` (not `$id`), relative
    ("id.json"), and every assertion refers to them by that name from whatever
    folder it is in, so a flat registry keyed by those ids is how they resolve.
    """
    resources = []
    for path in sorted((SUITE / "definitions").glob("*.json")):
        schema = _read(path)
        resources.append((schema["id"], DRAFT4.create_resource(schema)))
    return Registry(retrieve=_refuse).with_resources(resources)


@cache
def _formats() -> FormatChecker:
    """Draft-04 `format` is only asserted with a checker: require the two the suite uses."""
    checker = Draft4Validator.FORMAT_CHECKER
    missing = {"uri", "date-time"} - set(checker.checkers)
    assert not missing, f"no format checker for {sorted(missing)}: install the 'test' extra"
    return checker


@cache
def _rule(rel: str) -> Draft4Validator:
    """One assertion of the suite, as a validator whose instances must be valid."""
    schema = _read(SUITE / rel)
    assert schema["expectedResult"] == "valid"
    return Draft4Validator(schema, registry=_registry(), format_checker=_formats())


def _musts(test: str) -> tuple[str, ...]:
    return tuple(_read(SUITE / test)["assertions"])


ANNOTATION_MUSTS = _musts("annotations/annotationMusts.test")
COLLECTION_MUSTS = _musts("collections/collectionMusts.test") + _musts(
    "collections/pages/pageMusts.test"
)


def _failed(instance: Any, rules: tuple[str, ...]) -> dict[str, str]:
    """The rules the instance breaks, each with the suite's message and the first error."""
    failed = {}
    for rel in rules:
        errors = sorted(_rule(rel).iter_errors(instance), key=lambda e: list(e.path))
        if errors:
            failed[rel] = f"{_read(SUITE / rel)['errorMessage']} ({errors[0].message[:200]})"
    return failed


def _standalone(item: dict[str, Any], context: Any) -> dict[str, Any]:
    """An annotation of the page as a document of its own: it takes the collection's context."""
    return {"@context": context, **item}


def _annotation_rules(note: Note | None = None) -> tuple[str, ...]:
    rules = ANNOTATION_MUSTS + FEATURES
    if note is not None and note.date:
        rules += (DATED,)
    if note is not None and note.author:
        rules += (AUTHORED,)
    return rules


# -- the example archive, built --------------------------------------------------------


class Built:
    """The example built into a folder: its annotations file and the archive behind it."""

    def __init__(self, out: Path, site_url: str | None) -> None:
        result = build(EXAMPLE, out, ROOT / "templates", site_url=site_url, clean=True)
        assert result.published, result.diagnostics.lines()
        self.out = out
        self.data: dict[str, Any] = _read(out / "data" / "annotations.jsonld")
        archive, diagnostics = load(EXAMPLE, site_url=site_url)
        assert not diagnostics.has_errors, diagnostics.lines()
        self.archive: Archive = archive
        self.items: list[dict[str, Any]] = self.data["first"]["items"]

    def pairs(self) -> Iterator[tuple[Note, dict[str, Any]]]:
        """Each note with its exported annotation, matched by the note's anchor."""
        by_fragment = {item["id"].rpartition("#")[2]: item for item in self.items}
        assert len(by_fragment) == len(self.items), "two annotations share a note id"
        for note in self.archive.notes:
            yield note, by_fragment[note.id]


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return Built(tmp_path_factory.mktemp("published"), SITE)


@pytest.fixture(scope="module")
def example_no_site_url(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return Built(tmp_path_factory.mktemp("unpublished"), None)


def _selectors(item: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    quote, position = item["target"]["selector"]
    assert quote["type"] == "TextQuoteSelector"
    assert position["type"] == "TextPositionSelector"
    return quote, position


# -- the vendored schemas ----------------------------------------------------------------


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_vendored_schemas_are_draft4_and_every_ref_resolves_offline() -> None:
    used = {*ANNOTATION_MUSTS, *COLLECTION_MUSTS, *FEATURES, DATED, AUTHORED}
    used |= set(COLLECTION_FEATURES)
    files = sorted(SUITE.rglob("*.json"))
    assert {p.relative_to(SUITE).as_posix() for p in files} >= used
    for path in files:
        schema = _read(path)
        assert schema["$schema"] == DRAFT_04, path
        Draft4Validator.check_schema(schema)
        # Resolve every $ref the way validation does: against the file's own id.
        registry = _registry().with_resource(schema["id"], DRAFT4.create_resource(schema))
        resolver = registry.resolver(base_uri=schema["id"])
        refs = list(_refs(schema))
        assert len(refs) == path.read_text(encoding="utf-8").count('"$ref"'), path  # saw them all
        for ref in refs:
            resolver.lookup(ref)
    with pytest.raises(Unresolvable):  # and nothing else is reachable: no network
        _registry().resolver().lookup(CONTEXT)


def test_format_checks_are_really_applied() -> None:
    """Without a format checker draft-04 ignores `format`: these must be rejected."""
    assert not _rule("annotations/3.1-annotationIdValidated.json").is_valid(
        {"id": "documents/x/#n-1"}
    )
    assert _rule("annotations/3.1-annotationIdValidated.json").is_valid(
        {"id": SITE + "documents/x/#n-1"}
    )
    assert not _rule("annotations/3.3.1-annotationCreatedValidated.json").is_valid(
        {"created": "2024-01-15"}
    )


# -- conformance of the example's export -------------------------------------------------


def test_example_collection_passes_the_suites_musts(example: Built) -> None:
    data = example.data
    assert _failed(data, COLLECTION_MUSTS + COLLECTION_FEATURES) == {}
    assert data["@context"] == CONTEXT
    assert (data["id"], data["type"], data["first"]["type"]) == (
        EXPORT,
        "AnnotationCollection",
        "AnnotationPage",
    )
    assert data["first"]["startIndex"] == 0
    assert data["total"] == len(example.items) == len(example.archive.notes) > 0


def test_every_example_annotation_passes_the_suites_musts(example: Built) -> None:
    problems = {}
    for note, item in example.pairs():
        failed = _failed(_standalone(item, example.data["@context"]), _annotation_rules(note))
        if failed:
            problems[item["id"]] = failed
    assert problems == {}
    # The conditional rules ran on some note: the example has dated and signed notes.
    assert any(n.date for n in example.archive.notes)
    assert any(n.author for n in example.archive.notes)


def _hill_item(example: Built) -> dict[str, Any]:
    return next(
        item
        for note, item in example.pairs()
        if note.source == "notes/hill.yaml" and note.quote == "hours later deleted the phrase"
    )


def _drop_position(item: dict[str, Any]) -> None:
    del item["target"]["selector"][1]


BROKEN_ANNOTATIONS: list[tuple[str, Callable[[dict[str, Any]], Any], str]] = [
    ("no target", lambda a: a.pop("target"), "annotations/3.1-targetKeyFound.json"),
    (
        "motivation not in the model",
        lambda a: a.update(motivation="commentary"),
        "annotations/3.3.5-annotationSingleMotivationImplemented.json",
    ),
    (
        "motivation not a string",
        lambda a: a.update(motivation=42),
        "annotations/3.3.5-annotationSingleMotivationImplemented.json",
    ),
    (
        "type not Annotation",
        lambda a: a.update(type="Note"),
        "annotations/3.1-annotationTypeValidated.json",
    ),
    (
        "another context",
        lambda a: a.update({"@context": "http://schema.org/"}),
        "annotations/3.1-annotationContextValidated.json",
    ),
    (
        "relative id",
        lambda a: a.update(id="documents/x/#n-1"),
        "annotations/3.1-annotationIdValidated.json",
    ),
    (
        "created is a date, not a date-time",
        lambda a: a.update(created="2024-01-15"),
        "annotations/3.3.1-annotationCreatedValidated.json",
    ),
    (
        "both body and bodyValue",
        lambda a: a.update(bodyValue="a note"),
        "annotations/3.2.5-notBodyBodyValue.json",
    ),
    (
        "quote selector without exact",
        lambda a: a["target"]["selector"][0].pop("exact"),
        "annotations/specificResource/4.2.4-textQuoteSelectorValid.json",
    ),
    (
        "position as text",
        lambda a: a["target"]["selector"][1].update(start="135"),
        "annotations/specificResource/4.2-TextDataPositionSelectorValid.json",
    ),
    (
        "no selector",
        lambda a: a["target"].pop("selector"),
        "annotations/specificResource/4.2-selectorFound.json",
    ),
    (
        "no position selector",
        _drop_position,
        "annotations/specificResource/4.2.5-textPositionSelector.json",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "rule"),
    [pytest.param(m, r, id=name) for name, m, r in BROKEN_ANNOTATIONS],
)
def test_the_same_validator_rejects_a_broken_annotation(
    example: Built, mutate: Callable[[dict[str, Any]], Any], rule: str
) -> None:
    good = _standalone(_hill_item(example), example.data["@context"])
    assert _failed(good, _annotation_rules()) == {}
    broken = copy.deepcopy(good)
    mutate(broken)
    assert rule in _failed(broken, _annotation_rules())


BROKEN_COLLECTIONS: list[tuple[str, Callable[[dict[str, Any]], Any], str]] = [
    (
        "total as text",
        lambda c: c.update(total="9"),
        "collections/5.1-collectionTotalValidated.json",
    ),
    ("no first page", lambda c: c.pop("first"), "collections/5.1-collectionFirstValidated.json"),
    (
        "type not AnnotationCollection",
        lambda c: c.update(type="Collection"),
        "collections/5.1-collectionTypeValidated.json",
    ),
    (
        "an item that is not an annotation",
        lambda c: c["first"]["items"].append({"type": "Note"}),
        "collections/pages/5.2-pageItemsValidated.json",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "rule"),
    [pytest.param(m, r, id=name) for name, m, r in BROKEN_COLLECTIONS],
)
def test_the_same_validator_rejects_a_broken_collection(
    example: Built, mutate: Callable[[dict[str, Any]], Any], rule: str
) -> None:
    broken = copy.deepcopy(example.data)
    mutate(broken)
    assert rule in _failed(broken, COLLECTION_MUSTS + COLLECTION_FEATURES)


# -- selectors agree with the document, targets with the build ---------------------------


def test_selectors_agree_with_the_documents_plain_text(example: Built) -> None:
    for note, item in example.pairs():
        text = example.archive.document(note.document).plain_text
        quote, position = _selectors(item)
        start, end = position["start"], position["end"]
        assert (start, end) == (note.start, note.end)
        assert 0 <= start < end <= len(text)
        assert quote["exact"] == text[start:end] == note.exact
        # The words around it, as far as 32 code points or the document's edge.
        assert quote["prefix"] == text[max(0, start - CONTEXT_CHARS) : start]
        assert quote["suffix"] == text[end : end + CONTEXT_CHARS]
        # Read the way a client re-anchors it, the quote finds the same passage.
        context = quote["prefix"] + quote["exact"] + quote["suffix"]
        assert text.count(context) == 1
        assert text.index(context) + len(quote["prefix"]) == start
        assert set(quote) == {"type", "exact", "prefix", "suffix"}
        assert set(position) == {"type", "start", "end"}


def test_target_is_the_document_page_and_the_id_its_note(example: Built) -> None:
    for note, item in example.pairs():
        page = SITE + f"documents/{note.document}/"
        assert item["target"]["source"] == page
        assert item["id"] == page + "#" + note.id
        html = (example.out / page.removeprefix(SITE) / "index.html").read_text(encoding="utf-8")
        assert f'<aside class="note" id="{note.id}"' in html  # the fragment is the note itself


def test_context_reads_ids_and_sources_as_iris() -> None:
    """Why relative addresses matter: JSON-LD resolves these against the file's address."""
    terms = _read(ANNO_CONTEXT)["@context"]
    for term in ("id", "source", "first", "items"):
        assert terms[term]["@type"] == "@id", term
    assert terms["created"]["@type"] == "xsd:dateTime"


def test_without_site_url_addresses_resolve_to_the_document_pages(
    example_no_site_url: Built,
) -> None:
    built = example_no_site_url
    for note, item in built.pairs():
        page = SITE + f"documents/{note.document}/"
        assert urljoin(EXPORT, item["target"]["source"]) == page
        assert urljoin(EXPORT, item["id"]) == page + "#" + note.id
    assert urljoin(EXPORT, built.data["id"]) == EXPORT


# -- paragraph notes, offsets in code points ---------------------------------------------


def test_example_paragraph_notes_select_the_whole_paragraph(example: Built) -> None:
    paragraph_notes = [(n, i) for n, i in example.pairs() if n.quote is None]
    assert {(n.document, n.paragraph) for n, _ in paragraph_notes} == {(STATE, 1), (HEADERLESS, 1)}
    for note, item in paragraph_notes:
        doc = example.archive.document(note.document)
        quote, position = _selectors(item)
        assert quote["exact"] == doc.paragraphs[0].text
        assert (quote["prefix"], position["start"], position["end"]) == (
            "",
            0,
            len(doc.paragraphs[0].text),
        )
        assert quote["suffix"] == "\n\n" + doc.paragraphs[1].text[: CONTEXT_CHARS - 2]


BUNDLE = (
    "The Daily\nLondon\n2 January 2024\nTalks resume\n"
    "The talks resumed on Monday 🙂 in London.\n"
    "Officials said poverty and violence drive migration.\n"
    "The talks end on Friday.\n"
)
DAILY = "2024-01-02-daily-talks-resume"


def test_paragraph_note_is_a_quote_of_the_paragraph_and_offsets_count_code_points(
    make_source,
) -> None:
    source = make_source(
        {
            "sources/daily.txt": BUNDLE,
            "notes/n.yaml": f"- doc: {DAILY}\n  paragraph: p2\n  note: On the whole of p2.\n"
            f"- doc: {DAILY}\n  quote: drive migration\n  note: On two words.\n",
        }
    )
    archive, diagnostics = load(source, site_url=SITE)
    assert diagnostics.lines() == []
    data = json.loads(json.dumps(collection(archive), ensure_ascii=False))
    words, whole = data["first"]["items"]  # the passage's mark comes before the paragraph's
    first = "The talks resumed on Monday 🙂 in London."
    second = "Officials said poverty and violence drive migration."
    # Exported like a quoted note: the same selector pair, the paragraph as the quote;
    # the blank line that joins paragraphs belongs to the text the offsets count in.
    assert whole["target"]["selector"] == [
        {
            "type": "TextQuoteSelector",
            "exact": second,
            "prefix": (first + "\n\n")[-CONTEXT_CHARS:],
            "suffix": "\n\nThe talks end on Friday.",
        },
        {"type": "TextPositionSelector", "start": 42, "end": 42 + len(second)},
    ]
    # Offsets count code points: the emoji is one, where UTF-16 (JavaScript) counts two.
    assert len(first) + 2 == 42 == len(first.encode("utf-16-le")) // 2 + 2 - 1
    start = 42 + second.index("drive migration")
    assert words["target"]["selector"][1] == {
        "type": "TextPositionSelector",
        "start": start,
        "end": start + len("drive migration"),
    }
    for item in (whole, words):
        assert _failed(_standalone(item, data["@context"]), _annotation_rules()) == {}


# -- one known note, exactly -------------------------------------------------------------


def test_known_note_exact_values(example: Built) -> None:
    page = f"{SITE}documents/{HILL}/"
    assert _hill_item(example) == {
        "id": page + "#n-d53d9f77",
        "type": "Annotation",
        "motivation": "commenting",
        "body": [
            {
                "type": "TextualBody",
                "value": "<p>The State Department's text in this archive still has the phrase\n"
                '(<a href="/archive/documents/'
                '2023-12-28-united-states-department-mexico-us-joint-communique-mexico/#p2">'
                "¶2</a>):\nit was captured before the deletion, or the State Department's "
                "page was\nnot changed along with the White House's. The sources here do not "
                "say which.</p>",
                "format": "text/html",
                "language": "en",
                "purpose": "commenting",
            },
            {"type": "TextualBody", "purpose": "tagging", "value": "context"},
        ],
        "target": {
            "source": page,
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": "hours later deleted the phrase",
                    "prefix": " a root cause of migration, and ",
                    "suffix": ". The Mexican version did not in",
                },
                {"type": "TextPositionSelector", "start": 135, "end": 165},
            ],
        },
    }


# -- bugs found by these checks ----------------------------------------------------------


def test_note_date_with_a_time_exports_a_valid_created(make_source) -> None:
    source = make_source(
        {
            "sources/daily.txt": BUNDLE,
            "notes/n.yaml": f"- doc: {DAILY}\n  quote: drive migration\n  note: Dated.\n"
            "  date: 2024-01-15 10:30:00\n",
        }
    )
    archive, _ = load(source, site_url=SITE)
    item = annotation(archive, archive.notes[0])
    assert item["created"][:10] == "2024-01-15"
    assert _failed(_standalone(item, CONTEXT), _annotation_rules(archive.notes[0])) == {}


SPANISH = (
    "---\npublisher: Secretaría de Relaciones Exteriores\ndate: 28 de diciembre de 2023\n"
    "title: Comunicado conjunto\nlanguage: es\n---\n"
    "Ambos países reafirmaron sus compromisos para una migración ordenada.\n\n"
    "La pobreza y la violencia son causas de la migración.\n"
)


def test_note_body_is_in_the_sites_language_not_the_documents(make_source) -> None:
    source = make_source(
        {
            "sources/comunicado.md": SPANISH,
            "notes/n.yaml": "- doc: 2023-12-28-secretaria-relaciones-exteriores-comunicado-"
            "conjunto\n  quote: La pobreza y la violencia\n  note: The English text adds "
            "*democratic decline* here.\n",
        }
    )
    archive, _ = load(source, site_url=SITE)
    assert archive.documents[0].language == "es"
    body = annotation(archive, archive.notes[0])["body"][0]
    assert body["language"] == archive.config.language == "en"
