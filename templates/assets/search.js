// The search page: asks the Pagefind index (built by `sourcebook build`) and lists
// each matching document with a link to the paragraph or note where the words are.
// The query and filters live in the address (?q=...&publisher=...), so a search
// can be shared as a link.

const form = document.getElementById("search");
const query = document.getElementById("q");
const status = document.getElementById("search-status");
const list = document.getElementById("results");
const more = document.getElementById("more");
const FILTERS = ["publisher", "year", "language", "collection"];
const PAGE = 20;

let pagefind = null;
let shown = [];
let next = 0;
let asked = 0;

// The index comes in bundles (pagefind/0/en/, pagefind/0/es/, pagefind/1/en/, ...):
// one per language of each part of the documents, each stemmed in its language.
// Pagefind searches every bundle merged into it with the stemmer of the first it
// loaded, so each language has its own Pagefind, imported from its first bundle
// (each bundle carries the program), its other bundles merged into it.
// Loaded once, however many searches start meanwhile: a bundle merged twice would
// list its documents twice.
function index() {
  if (pagefind === null) pagefind = load();
  return pagefind;
}

async function load() {
  const options = { baseUrl: form.dataset.base, excerptLength: 40 };
  const byLanguage = new Map();
  for (const bundle of form.dataset.bundles.split(" ")) {
    const language = bundle.split("/")[1];
    byLanguage.set(language, [...(byLanguage.get(language) || []), bundle]);
  }
  const loaded = [];
  for (const [language, [first, ...others]] of byLanguage) {
    const instance = await import(`${form.dataset.index}${first}/pagefind.js`);
    await instance.options(options);
    for (const other of others) await instance.mergeIndex(`${form.dataset.index}${other}/`, options);
    loaded.push({ language, instance });
  }
  return loaded;
}

// Every language's results, best first: Pagefind merges its own bundles the same way.
async function searchAll(terms, filters) {
  const found = await Promise.all(
    (await index()).map(async ({ language, instance }) =>
      (await instance.search(terms, { filters })).results.map((result) => ({ result, language })),
    ),
  );
  return found.flat().sort((a, b) => b.result.score - a.result.score);
}

function chosenFilters() {
  const filters = {};
  for (const name of FILTERS) {
    const field = form.elements[name];
    if (field && field.value) filters[name] = field.value;
  }
  return filters;
}

function fromAddress() {
  const params = new URLSearchParams(location.search);
  query.value = params.get("q") || "";
  for (const name of FILTERS) {
    const field = form.elements[name];
    const value = params.get(name);
    if (field && value && [...field.options].some((o) => o.value === value)) field.value = value;
  }
}

function toAddress() {
  const params = new URLSearchParams();
  if (query.value.trim()) params.set("q", query.value.trim());
  for (const [name, value] of Object.entries(chosenFilters())) params.set(name, value);
  const search = params.toString();
  history.replaceState(null, "", search ? `?${search}` : location.pathname);
}

// Where the matches are: the paragraph (or note) holding most of the matched
// words, as its anchor and the range of words it spans in the indexed text.
function passage(data) {
  const anchors = data.anchors
    .filter((a) => (a.element === "p" && /^p\d+$/.test(a.id)) || a.element === "aside")
    .sort((a, b) => a.location - b.location);
  const hits = new Map();
  for (const location of data.locations) {
    const index = anchors.findLastIndex((a) => a.location <= location);
    if (index >= 0) hits.set(index, (hits.get(index) || 0) + 1);
  }
  let best = -1;
  for (const [index, count] of hits) {
    if (best < 0 || count > hits.get(best)) best = index;
  }
  if (best < 0) return null;
  const end = best + 1 < anchors.length ? anchors[best + 1].location : Infinity;
  return { anchor: anchors[best], start: anchors[best].location, end };
}

// A few dozen words around the first match in the passage, matches marked. The
// indexed text is the pages' text, unescaped: it only ever becomes text nodes.
function excerpt(data, found) {
  const words = data.content.split(/[\r\n\s]+/g);
  const marked = new Set(data.locations);
  const inside = data.locations.filter((l) => found && l >= found.start && l < found.end);
  const first = inside.length ? Math.min(...inside) : Math.min(...data.locations);
  const floor = found && inside.length ? found.start : 0;
  const start = Math.max(floor, first - 12);
  const stop = Math.min(words.length, found && inside.length ? found.end : Infinity, start + 40);
  const out = document.createElement("p");
  out.className = "excerpt";
  if (start > floor) out.append("… ");
  let mark = null;  // the open <mark>: matched words in a row share one
  for (let i = start; i < stop; i++) {
    if (!marked.has(i)) {
      mark = null;
      out.append(i > start ? ` ${words[i]}` : words[i]);
    } else if (mark) {
      mark.append(` ${words[i]}`);
    } else {
      if (i > start) out.append(" ");
      mark = document.createElement("mark");
      mark.textContent = words[i];
      out.append(mark);
    }
  }
  if (stop < words.length) out.append(" …");
  return out;
}

// A result in the language of its document; what the page says of it, and an
// editor's note, in the page's language.
function item(data, language) {
  const found = passage(data);
  const anchor = found && found.anchor;
  const li = document.createElement("li");
  li.lang = language;
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = anchor ? `${data.url}#${anchor.id}` : data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  const meta = document.createElement("p");
  meta.className = "meta";
  const where = anchor
    ? anchor.element === "aside" ? "in a note" : `¶${anchor.id.slice(1)}`
    : "";
  meta.textContent = [data.meta.publisher, data.meta.when, where].filter(Boolean).join(" · ");
  meta.lang = document.documentElement.lang;
  const text = excerpt(data, found);
  if (anchor && anchor.element === "aside") text.lang = document.documentElement.lang;
  li.append(heading, meta, text);
  return li;
}

async function showMore(ask) {
  const page = shown.slice(next, next + PAGE);
  next += page.length;
  const items = await Promise.all(page.map(({ result }) => result.data()));
  if (ask !== asked) return;
  list.append(...items.map((data, n) => item(data, page[n].language)));
  more.hidden = next >= shown.length;
}

// The query and filters of the search shown or under way: Enter on the same ones
// (when typing's timer has already run them) does not clear and search again.
let lastAsked = null;

async function run() {
  const ask = ++asked;
  const terms = query.value.trim();
  const filters = chosenFilters();
  lastAsked = JSON.stringify([terms, filters]);
  toAddress();
  list.replaceChildren();
  more.hidden = true;
  if (!terms && !Object.keys(filters).length) {
    status.textContent = "";
    return;
  }
  status.textContent = "Searching…";
  let found;
  try {
    found = await searchAll(terms || null, filters);
  } catch (error) {
    pagefind = null;  // try again at the next search
    status.textContent = "The search index could not be loaded. Is the site built with `sourcebook build`?";
    return;
  }
  if (ask !== asked) return;  // a newer search has started
  shown = found;
  next = 0;
  // The first results are in the list before the status announces them: a reader
  // (or a screen reader) told "2 documents found" finds them there.
  await showMore(ask);
  if (ask !== asked) return;
  const count = shown.length;
  status.textContent =
    count === 0 ? "No document matches." : `${count} document${count === 1 ? "" : "s"} found.`;
}

let pending = null;
form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(pending);  // typing scheduled this search; Enter runs it now, and only once
  if (JSON.stringify([query.value.trim(), chosenFilters()]) !== lastAsked) run();
});
query.addEventListener("input", () => {
  clearTimeout(pending);
  pending = setTimeout(run, 200);
});
for (const name of FILTERS) form.elements[name]?.addEventListener("change", run);
more.addEventListener("click", () => showMore(asked));

fromAddress();
run();
