// Citing a document or one paragraph of it. Without JavaScript the page's "Cite this
// document" block says how to cite a paragraph by hand; with it, a paragraph reached by
// its number (its permanent link, #pN) gets its own citation, in the same three forms,
// each with a button that copies it.

const block = document.querySelector("details.cite");
const address = document.querySelector('link[rel="canonical"]')?.getAttribute("href");
// Without a site_url the page can only print its address from the site's root; here
// the reader's browser knows the rest, so what is copied always carries the whole URL.
const absolute = address && new URL(address, location.href).href;
const located = (text) => text.replaceAll(address, absolute);

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

// The document's citation, as the page prints it, made into a paragraph's.
function forParagraph(number) {
  const here = `${absolute}#p${number}`;
  const text = block.querySelector(".citation").textContent;
  const at = text.lastIndexOf(". In ");
  const cited = (at < 0 ? text : `${text.slice(0, at)}, ¶ ${number}${text.slice(at)}`)
    .replace(address, here);
  const bibtex = block.querySelector(".bibtex code").textContent
    .replace(/^@misc\{([^,]+),/, `@misc{$1-p${number},`)
    .replace(`\\url{${address}}`, `\\url{${here}}`)
    .replace(/\n\}$/, `,\n  pages = {¶~${number}}\n}`);
  const csl = JSON.parse(block.querySelector(".csl code").textContent);
  csl.id = `${csl.id}-p${number}`;
  csl.URL = here;
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

function showFor(paragraph) {
  document.querySelector("details.cite-paragraph")?.remove();
  const number = paragraph.id.slice(1);
  const { cited, bibtex, csl } = forParagraph(number);
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

function follow() {
  const target = /^#p\d+$/.test(location.hash) && document.getElementById(location.hash.slice(1));
  if (target) showFor(target);
  else document.querySelector("details.cite-paragraph")?.remove();
}

if (block && address) {
  const forms = [
    [".citation", "citation"],
    [".bibtex", "BibTeX"],
    [".csl", "CSL-JSON"],
  ];
  for (const [selector, what] of forms) {
    const shown = block.querySelector(selector);
    shown.after(copyButton(() => located(shown.textContent), what));
  }
  addEventListener("hashchange", follow);
  follow();
}
