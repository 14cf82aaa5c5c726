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
