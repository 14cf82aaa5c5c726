// Choosing the base of a comparison page. The page carries every witness once, marked
// against the group's default base. Each variant place of a row is a <span> in every
// cell that has text there; data-r and data-n name the first column reading the same
// text and the same words (0 when omitted), data-s the side of an empty place that the
// struck words need a space on. Marking against another base needs only
// those: where a witness's place reads otherwise than the base's, the base's reading is
// struck (<del>) and the witness's own inserted (<ins>), class "minor" when the words
// are the same; where the base has nothing in a row, the whole cell is inserted. This is
// what generator/render/compare_rows.py renders for that base, and the browser tests
// hold the two to the same marks. The choice is kept in the address (?base=<document>).
// A row every witness writes alike is one cell (the one with a colspan) spanning the
// columns shown: it has nothing to mark, and its span follows the columns ticked under
// "Show columns".

const choice = document.getElementById("base-choice");
const table = document.querySelector("table.alignment");

if (choice && table) {
  const radios = [...choice.querySelectorAll('input[name="base"]')];
  const ids = radios.map((radio) => radio.value);

  const number = (span, key) => Number(span.dataset[key] || 0);
  const places = (cell) => [...cell.querySelectorAll(":scope > span:not(.gap-mark)")];
  // A cell's links are its ¶ marks and its variants' link: never its text.
  const framing = (node) => node.nodeType === Node.ELEMENT_NODE && node.localName === "a";

  const mark = (tag, text, minor) => {
    const element = document.createElement(tag);
    if (minor) element.className = "minor";
    element.textContent = text;
    return element;
  };

  // Back to each witness's own words: no base's words struck, nothing inserted.
  const unmark = (cell) => {
    cell.querySelectorAll("del").forEach((struck) => struck.remove());
    cell.querySelectorAll("ins").forEach((added) => added.replaceWith(...added.childNodes));
    cell.normalize();
  };

  // A cell whose base has nothing in the row: its text (not its ¶ and variant links),
  // without the spaces that part it from them, in one <ins>.
  const insertWhole = (cell) => {
    const nodes = [...cell.childNodes].filter((node) => !framing(node));
    if (!nodes.length) return;
    const first = nodes[0];
    if (first.nodeType === Node.TEXT_NODE) {
      const lead = first.data.length - first.data.trimStart().length;
      if (lead) nodes[0] = first.splitText(lead);
    }
    const last = nodes[nodes.length - 1];
    if (last.nodeType === Node.TEXT_NODE) {
      const kept = last.data.trimEnd().length;
      if (kept < last.data.length) last.splitText(kept);
    }
    const added = document.createElement("ins");
    nodes[0].before(added);
    added.append(...nodes);
  };

  const markPlace = (place, against) => {
    if (number(place, "r") === number(against, "r")) return;
    const minor = number(place, "n") === number(against, "n");
    const own = place.textContent;
    const theirs = against.textContent;
    place.textContent = "";
    // Where this witness has nothing, the struck words keep a space from its own.
    const spaced = { b: ` ${theirs}`, a: `${theirs} ` }[place.dataset.s] ?? theirs;
    if (theirs) place.append(mark("del", spaced, minor));
    if (own) place.append(mark("ins", own, minor));
  };

  const setBase = (column) => {
    for (const row of table.tBodies[0].rows) {
      if (row.cells[0].hasAttribute("colspan")) continue; // every witness alike: nothing to mark
      const cells = [...row.cells];
      cells.forEach(unmark);
      const base = cells[column];
      const baseGap = base.classList.contains("gap");
      const baseParts = places(base);
      cells.forEach((cell, k) => {
        if (k === column || cell.classList.contains("gap")) return;
        if (baseGap) {
          insertWhole(cell);
          return;
        }
        places(cell).forEach((place, i) => markPlace(place, baseParts[i]));
      });
    }
    table.querySelectorAll("thead th").forEach((header, k) => {
      header.querySelector(".origin").hidden = k !== column;
    });
    document.querySelectorAll(".witnesses .is-base").forEach((note, k) => {
      note.hidden = k !== column;
    });
    const name = document.getElementById("base-name");
    // The header's name, after its letter ("<b>B ·</b> Ministry…") and before its label.
    const header = [...table.tHead.rows[0].cells[column].childNodes];
    const named = header.find((node) => node.nodeType === Node.TEXT_NODE && node.data.trim());
    name.textContent = named.data.trim();
    name.nextSibling.textContent = column === 0 ? ", the group’s default base." : ".";
    radios[column].checked = true;
  };

  const chosen = () => {
    const wanted = new URLSearchParams(location.search).get("base");
    return Math.max(ids.indexOf(wanted), 0);
  };

  choice.hidden = false;
  radios.forEach((radio, column) => {
    radio.addEventListener("change", () => {
      setBase(column);
      const address = new URL(location.href);
      if (column === 0) address.searchParams.delete("base");
      else address.searchParams.set("base", ids[column]);
      history.replaceState(null, "", address);
    });
  });
  if (chosen() !== 0) setBase(chosen());
}

if (table) {
  const shown = [...document.querySelectorAll('input[id^="show-w"]')];
  const heads = [...table.tHead.rows[0].cells];
  // The columns on screen, not the ticks: the stylesheet hides only some of
  // them, and a row every witness writes alike must reach across them all.
  const span = () => {
    const columns = heads.filter((head) => getComputedStyle(head).display !== "none").length;
    table.querySelectorAll("td[colspan]").forEach((cell) => {
      cell.setAttribute("colspan", String(Math.max(columns, 1)));
      cell.parentElement.hidden = columns === 0;
    });
  };
  shown.forEach((box) => box.addEventListener("change", span));
  span(); // a reload may restore other ticks than the page's own
}
