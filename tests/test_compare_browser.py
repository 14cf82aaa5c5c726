"""A comparison page in Chromium: the reader switches the base, and sees exactly the marks
the server renders for that base; without JavaScript, the group's default base, said so."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.build.pipeline import load
from generator.cli import main
from generator.render.changed import default_templates, render_site
from generator.render.plans import comparisons as plans
from tests.browser import chromium, served
from tests.conftest import EXAMPLE
from tests.sources.test_archive import HEADERLESS, MINISTRY, STATE

pytestmark = pytest.mark.timeout(240)

GROUP = "mexico-us-joint-communique-mexico-united"

# Three versions of a notice: the newspapers leave out a sentence the Board has (a row
# where a witness has nothing) and add one the Board lacks (a row where the default
# base has nothing); the Courier changes a word, a case and a stop.
_NOTICE = [
    "The Harbour Board announces that the new channel into the inner basin will open to "
    "shipping on the first of April.",
    "Vessels drawing more than twenty feet of water must wait for the flood tide before "
    "entering the channel.",
    "The old channel will remain buoyed until the end of the summer for the use of fishing boats.",
    "Pilots are to report any shoaling near the breakwater to the harbour master at once.",
    "A red light will mark the end of the new pier from sunset to sunrise.",
    "The Board thanks the engineers and the workmen for finishing the works ahead of time.",
]
_FISHERMEN = "Fishermen at the quay said they welcomed the news but feared higher harbour dues."
_GAZETTE = [*_NOTICE[:2], _NOTICE[3], _FISHERMEN, *_NOTICE[4:]]
_COURIER = [
    _GAZETTE[0].replace("shipping", "ships"),
    _GAZETTE[1],
    _GAZETTE[2].replace("harbour master at once.", "Harbour Master at once!"),
    *_GAZETTE[3:],
]
VERSIONS = (
    "Harbour Board\nPortsmouth\n3 March 1911\nNotice to mariners on the new channel\n"
    + "\n".join(_NOTICE)
    + "\nCoastal Gazette\nSouthsea\n5 March 1911\nThe harbour's new channel\n"
    + "\n".join(_GAZETTE)
    + "\nEvening Courier\nPortsmouth\n6 March 1911\nA new channel for the harbour\n"
    + "\n".join(_COURIER)
    + "\n"
)
BOARD = "1911-03-03-harbour-board-notice-mariners-new-channel"
GAZETTE = "1911-03-05-coastal-gazette-harbours-new-channel"
COURIER = "1911-03-06-evening-courier-new-channel-harbour"
NOTICE_GROUP = "notice-mariners-new-channel"

# What a reader sees marked in every cell of the alignment: (kind, text) pieces, kinds
# "same", "ins", "del", "ins minor", "del minor"; the ¶ and variant links left out.
MARKS = """() => [...document.querySelector("table.alignment").tBodies[0].rows].map((row) =>
  [...row.cells].map((cell) => {
    const out = [];
    const walk = (node, kind) => {
      for (const child of node.childNodes) {
        if (child.nodeType === Node.TEXT_NODE) {
          if (out.length && out[out.length - 1][0] === kind) out[out.length - 1][1] += child.data;
          else out.push([kind, child.data]);
        } else if (child.matches("a, .gap-mark")) {
          continue;
        } else if (child.matches("ins, del")) {
          walk(child, child.localName + (child.classList.contains("minor") ? " minor" : ""));
        } else {
          walk(child, kind);
        }
      }
    };
    walk(cell, "same");
    return out.filter(([, text]) => text !== "");
  }))"""
# Everything else on the page that names the base.
NAMING = """() => ({
  headers: [...document.querySelectorAll("table.alignment thead .origin")].map((s) => !s.hidden),
  listed: [...document.querySelectorAll(".witnesses .is-base")].map((s) => !s.hidden),
  lead: document.querySelector("p.lead").textContent.split("marked against the base text, ")[1],
  checked: [...document.querySelectorAll('input[name="base"]')].map((r) => r.checked),
})"""


def _source(tmp_path: Path) -> Path:
    root = tmp_path / "notice"
    (root / "sources").mkdir(parents=True)
    (root / "sources" / "001_versions.txt").write_text(VERSIONS, encoding="utf-8")
    return root


def _served_for(source: Path, group: str, base: str) -> str:
    """The comparison page as the server renders it marked against `base`."""
    archive, _ = load(source)
    [comparison] = [c for c in archive.comparisons if c.group.id == group]
    column = comparison.witnesses.index(base)
    with pytest.MonkeyPatch.context() as patch:
        marked = functools.partial(plans.comparison_context, base=column)
        patch.setattr(plans, "comparison_context", marked)
        files = render_site(archive, default_templates())
    return files[f"compare/{group}/index.html"].decode()


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[object, dict, dict]]:
    """The example and the notice built and served; the server's page for every base."""
    root = tmp_path_factory.mktemp("bases")
    notice = _source(root)
    example_site, notice_site = _build(EXAMPLE, root / "example"), _build(notice, root / "site")
    expected = {}
    with chromium() as browser, served(example_site) as example, served(notice_site) as notices:
        for group, source, members in (
            (GROUP, EXAMPLE, (STATE, MINISTRY, HEADERLESS)),
            (NOTICE_GROUP, notice, (BOARD, GAZETTE, COURIER)),
        ):
            for base in members:
                expected[group, base] = _seen(browser, _served_for(source, group, base))
        yield browser, {GROUP: example, NOTICE_GROUP: notices}, expected


def _build(source: Path, out: Path) -> Path:
    assert main(["build", "--source", str(source), "--out", str(out)]) == 0
    return out


def _seen(browser: object, html: str) -> tuple[list, dict]:
    """The marks and the naming of the base in a page's HTML, as served (no script run)."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_content(html)
    seen = page.evaluate(MARKS), page.evaluate(NAMING)
    context.close()
    return seen


def test_the_served_page_is_marked_against_the_default_base_as_before(
    sites: tuple[object, dict, dict],
) -> None:
    _, _, expected = sites
    marks, naming = expected[GROUP, STATE]
    # ¶2's second sentence: the State text's "democratic decline," struck in the others.
    row = next(r for r in marks if "democratic decline" in r[0][0][1])
    for cell in row[1:]:
        assert ["del", " democratic decline,"] in cell  # spaced from the Ministry's "inequality"
    assert naming == {
        "headers": [True, False, False],
        "listed": [True, False, False],
        "lead": "United States Department of State, 28 December 2023, the group’s default base.",
        "checked": [True, False, False],
    }


def test_switching_the_base_marks_what_the_server_renders_for_it_and_survives_a_reload(
    sites: tuple[object, dict, dict],
) -> None:
    browser, addresses, expected = sites
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    address = f"{addresses[GROUP]}/compare/{GROUP}/"
    page.goto(address)
    assert (page.evaluate(MARKS), page.evaluate(NAMING)) == expected[GROUP, STATE]
    page.get_by_role(
        "radio", name="Ministry of Foreign Affairs, 28 December 2023", exact=True
    ).check()
    assert page.url == f"{address}?base={MINISTRY}"
    assert (page.evaluate(MARKS), page.evaluate(NAMING)) == expected[GROUP, MINISTRY]
    # Against the Ministry, the State text's words are the added ones.
    marks = page.evaluate(MARKS)
    row = next(r for r in marks if "democratic decline" in str(r[0]))
    assert ["ins", "democratic decline,"] in row[0]
    assert all(kind == "same" for kind, _ in row[2])  # the copy reads as the Ministry
    page.reload()
    assert (page.evaluate(MARKS), page.evaluate(NAMING)) == expected[GROUP, MINISTRY]
    labels = page.locator("table.alignment thead .origin")
    assert [labels.nth(k).is_visible() for k in range(3)] == [False, True, False]
    page.get_by_role("radio", name="United States Department of State").check()
    assert page.url == address
    assert (page.evaluate(MARKS), page.evaluate(NAMING)) == expected[GROUP, STATE]
    assert errors == []


@pytest.mark.parametrize("first", [BOARD, GAZETTE, COURIER])
def test_every_base_of_a_group_with_gaps_both_ways_marks_as_the_server_does(
    sites: tuple[object, dict, dict], first: str
) -> None:
    browser, addresses, expected = sites
    page = browser.new_page()
    page.goto(f"{addresses[NOTICE_GROUP]}/compare/{NOTICE_GROUP}/?base={first}")
    assert (page.evaluate(MARKS), page.evaluate(NAMING)) == expected[NOTICE_GROUP, first]
    for base in (BOARD, GAZETTE, COURIER):  # from a base chosen in the browser to another
        page.locator(f'input[name="base"][value="{base}"]').check()
        assert (page.evaluate(MARKS), page.evaluate(NAMING)) == expected[NOTICE_GROUP, base]


def test_the_server_marks_a_row_the_base_lacks_as_inserted_and_a_gap_as_a_gap(
    sites: tuple[object, dict, dict],
) -> None:
    _, _, expected = sites
    board, _ = expected[NOTICE_GROUP, BOARD]
    gazette, _ = expected[NOTICE_GROUP, GAZETTE]
    fishermen = next(i for i, r in enumerate(board) if _FISHERMEN in str(r))
    # The Board's cell is a gap; its " " stands before the link to the row's variants.
    assert board[fishermen] == [
        [["same", " "]],
        [["same", " "], ["ins", _FISHERMEN]],
        [["same", " "], ["ins", _FISHERMEN]],
    ]
    assert gazette[fishermen] == [
        [["same", " "]],
        [["same", " " + _FISHERMEN]],
        [["same", " " + _FISHERMEN]],
    ]
    old = next(i for i, r in enumerate(board) if "The old channel" in str(r))
    assert board[old] == [[["same", " " + _NOTICE[2] + " "]], [], []]
    assert gazette[old] == [[["same", " "], ["ins", _NOTICE[2]], ["same", " "]], [], []]
    # The Courier's case and stop are minor against the Gazette, and the same words.
    _, _, courier_pilots = gazette[old + 1]
    assert courier_pilots == [
        ["same", " Pilots are to report any shoaling near the breakwater to the "],
        ["del minor", "harbour master"],
        ["ins minor", "Harbour Master"],
        ["same", " at "],
        ["del minor", "once."],
        ["ins minor", "once!"],
    ]


def test_without_javascript_the_page_shows_the_default_base_and_says_so(
    sites: tuple[object, dict, dict],
) -> None:
    browser, addresses, expected = sites
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    # Even asked for another base, the page stays as served: the default base.
    page.goto(f"{addresses[GROUP]}/compare/{GROUP}/?base={MINISTRY}")
    assert (page.evaluate(MARKS), page.evaluate(NAMING)) == expected[GROUP, STATE]
    assert not page.locator("#base-choice").is_visible()
    assert page.locator("noscript p").inner_text() == (
        "Without JavaScript this page stays marked against the group’s default base, "
        "United States Department of State, 28 December 2023. With it, any version can be "
        "the base (“Base text”, below)."
    )
    context.close()


SPANS = """() => [...document.querySelectorAll("table.alignment td[colspan]")].map((cell) => {
  const heads = [...document.querySelectorAll("table.alignment thead th")]
    .filter((head) => getComputedStyle(head).display !== "none");
  const right = heads.length ? heads[heads.length - 1].getBoundingClientRect().right : 0;
  return [cell.colSpan, !cell.parentElement.hidden,
          Math.round(cell.getBoundingClientRect().right) === Math.round(right)];
})"""


def test_a_row_every_witness_writes_alike_spans_the_columns_ticked(
    sites: tuple[object, dict, dict],
) -> None:
    browser, addresses, _ = sites
    page = browser.new_page()
    page.goto(f"{addresses[NOTICE_GROUP]}/compare/{NOTICE_GROUP}/")
    spans = page.evaluate(SPANS)
    assert spans and set(map(tuple, spans)) == {(3, True, True)}
    page.locator("#show-w2").uncheck()  # the Courier's column
    assert set(map(tuple, page.evaluate(SPANS))) == {(2, True, True)}
    page.locator("#show-w0").uncheck()
    page.locator("#show-w1").uncheck()
    assert {(span, shown) for span, shown, _ in page.evaluate(SPANS)} == {(1, False)}
    page.locator("#show-w1").check()
    assert set(map(tuple, page.evaluate(SPANS))) == {(1, True, True)}
