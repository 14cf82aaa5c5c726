// What a document page does in the browser: its citations (below) and its source lines
// (at the end). One file, so that each of the archive's pages names one script.

// Citing a document or one paragraph of it. The page carries its formatted citation
// and its schema.org JSON-LD; BibTeX and CSL-JSON are made here from the JSON-LD, so
// the page does not hold the same citation four times. Without JavaScript the page's
// "Cite this document" block gives the formatted citation and says how to cite a
// paragraph by hand; with it, the block also shows BibTeX and CSL-JSON, and a paragraph
// reached by its number (its permanent link, #pN) gets its own citation, in the same
// three forms, each with a button that copies it.

const block = document.querySelector("details.cite");
const address = document.querySelector('link[rel="canonical"]')?.getAttribute("href");
// Without a site_url the page can only print its address from the site's root; here
// the reader's browser knows the rest, so what is copied always carries the whole URL.
const absolute = address && new URL(address, location.href).href;
const located = (text) => text.replaceAll(address, absolute);
const linked = document.querySelector('script[type="application/ld+json"]');

// TeX's special characters, each escaped once; the rest of Unicode is left to
// biblatex's UTF-8 input.
const TEX = {
  "\\": "\\textbackslash{}",
  "{": "\\{",
  "}": "\\}",
  "%": "\\%",
  "&": "\\&",
  "$": "\\$",
  "#": "\\#",
  "_": "\\_",
  "~": "\\textasciitilde{}",
  "^": "\\textasciicircum{}",
};
const tex = (text) => (text || "").replace(/[\\{}%&$#_~^]/g, (char) => TEX[char]);

// The document's id is the last part of its address: documents/<id>/.
const idOf = (url) => new URL(url, location.href).pathname.split("/").filter(Boolean).pop();
// A date-time from the header gives its date as the source states it.
const dateOf = (data) => (data.datePublished ? data.datePublished.slice(0, 10) : null);

function bibtexOf(data, url) {
  const author = data.author?.name;
  const publisher = data.publisher?.name;
  const date = dateOf(data);
  const fields = [
    ["title", `{${tex(data.headline)}}`],
    // A person's name is parsed by BibTeX; an organization's is kept whole.
    ["author", author ? tex(author) : `{${tex(publisher || "Unknown")}}`],
    publisher && ["organization", tex(publisher)],
    date && ["date", date],
    ["howpublished", `\\url{${url}}`],
    ["note", `In: ${tex(data.isPartOf?.name)}`],
  ].filter(Boolean);
  const body = fields.map(([name, value]) => `  ${name} = {${value}}`).join(",\n");
  return `@misc{${idOf(data.url)},\n${body}\n}`;
}

function cslOf(data, url) {
  const author = data.author?.name;
  const date = dateOf(data);
  const item = {
    id: idOf(data.url),
    type: author ? "article-newspaper" : "document",
    title: data.headline,
    "container-title": data.isPartOf?.name,
    URL: url,
    language: data.inLanguage,
  };
  if (author) item.author = [{ literal: author }];
  if (data.publisher) item.publisher = data.publisher.name;
  if (date) item.issued = { "date-parts": [date.split("-").map(Number)] };
  return item;
}

function copyButton(text, what) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "copy";
  button.textContent = `Copy ${what}`;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(text());
      button.textContent = "Copied";
    } catch {
      button.textContent = "Select and copy by hand";
    }
    setTimeout(() => { button.textContent = `Copy ${what}`; }, 2000);
  });
  return button;
}

// The document's citation in the two forms for machines, shown in the block.
function addForms(data) {
  const bibtex = bibtexOf(data, absolute);
  const csl = JSON.stringify(cslOf(data, absolute), null, 2);
  const how = block.querySelector(".cite-how");
  for (const [name, className, text] of [["BibTeX", "bibtex", bibtex], ["CSL-JSON", "csl", csl]]) {
    const heading = document.createElement("h2");
    heading.className = "visually-hidden";
    heading.textContent = name;
    const pre = document.createElement("pre");
    pre.className = className;
    pre.setAttribute("aria-label", name);
    const code = document.createElement("code");
    code.textContent = text;
    pre.append(code);
    block.append(heading, pre, copyButton(() => text, name));
  }
  block.append(how);
}

// The document's citation, as the page prints it, made into a paragraph's.
function forParagraph(data, number) {
  const here = `${absolute}#p${number}`;
  const text = block.querySelector(".citation").textContent;
  const at = text.lastIndexOf(". In ");
  const cited = (at < 0 ? text : `${text.slice(0, at)}, ¶ ${number}${text.slice(at)}`)
    .replace(address, here);
  const bibtex = bibtexOf(data, here)
    .replace(/^@misc\{([^,]+),/, `@misc{$1-p${number},`)
    .replace(/\n\}$/, `,\n  pages = {¶~${number}}\n}`);
  const csl = cslOf(data, here);
  csl.id = `${csl.id}-p${number}`;
  csl.locator = String(number);
  csl.label = "paragraph";
  return { cited, bibtex, csl: JSON.stringify(csl, null, 2) };
}

function section(label, body, what) {
  const part = document.createElement("div");
  const pre = document.createElement(what === "citation" ? "p" : "pre");
  pre.textContent = body;
  pre.setAttribute("aria-label", label);
  part.append(pre, copyButton(() => body, what));
  return part;
}

function showFor(data, paragraph) {
  document.querySelector("details.cite-paragraph")?.remove();
  const number = paragraph.id.slice(1);
  const { cited, bibtex, csl } = forParagraph(data, number);
  const panel = document.createElement("details");
  panel.className = "cite cite-paragraph";
  panel.open = true;
  const summary = document.createElement("summary");
  summary.textContent = `Cite paragraph ${number}`;
  panel.append(
    summary,
    section("Citation", cited, "citation"),
    section("BibTeX", bibtex, "BibTeX"),
    section("CSL-JSON", csl, "CSL-JSON"),
  );
  (paragraph.closest(".para") || paragraph).after(panel);
}

function follow(data) {
  const target = /^#p\d+$/.test(location.hash) && document.getElementById(location.hash.slice(1));
  if (target) showFor(data, target);
  else document.querySelector("details.cite-paragraph")?.remove();
}

if (block && address && linked) {
  const data = JSON.parse(linked.textContent);
  const shown = block.querySelector(".citation");
  shown.after(copyButton(() => located(shown.textContent), "citation"));
  addForms(data);
  addEventListener("hashchange", () => follow(data));
  follow(data);
}

// A document's source lines, shown from its source file's one published copy.
// The page itself does not repeat them: its "Source lines" block links to the copy
// (every line of the file's documents, "<number>\t<text>" each), which is all a
// reader without JavaScript gets; with it, opening the block shows the document's
// lines, numbered as in the file, fetched once.

async function showLines(block) {
  const [first, last] = block.dataset.lines.split("-").map(Number);
  const pre = document.createElement("pre");
  const code = document.createElement("code");
  pre.append(code);
  block.querySelector("summary").after(pre);
  try {
    const response = await fetch(block.querySelector("a").getAttribute("href")); // the copy
    if (!response.ok) throw new Error(response.statusText);
    for (const line of (await response.text()).split("\n")) {
      const tab = line.indexOf("\t");
      const number = Number(line.slice(0, tab));
      if (tab < 0 || number < first || number > last) continue;
      const span = document.createElement("span");
      span.className = "ln";
      span.dataset.line = String(number);
      span.textContent = line.slice(tab + 1);
      code.append(span, "\n");
    }
  } catch {
    pre.remove();
    const failed = document.createElement("p");
    failed.textContent = "The lines could not be loaded here; follow the link below.";
    block.querySelector("summary").after(failed);
  }
}

for (const block of document.querySelectorAll("details.source-lines[data-lines]")) {
  let shown = false;
  const show = () => {
    if (block.open && !shown) {
      shown = true;
      showLines(block);
    }
  };
  block.addEventListener("toggle", show);
  show();
}
