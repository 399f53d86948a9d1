// The Code page: every exported function, constant and type of the math core and the model, with
// its doc comment, anchored by name so that an equation elsewhere links to /code#name.
import type {CodeEntry} from "../lib/code-format.js";

export function CodeListing({modules, entries}: {modules: string[]; entries: CodeEntry[]}, {filter = ""}: {filter?: string} = {}): HTMLElement {
  const root = document.createElement("div");
  root.className = "code-listing";
  const needle = filter.trim().toLowerCase();
  for (const module of modules) {
    const items = entries.filter((e) => e.module === module && (!needle || e.name.toLowerCase().includes(needle) || e.doc.toLowerCase().includes(needle)));
    if (!items.length) continue;
    const section = document.createElement("section");
    const heading = document.createElement("h2");
    heading.id = module.replace(/[^\w]+/g, "-");
    heading.textContent = module;
    section.append(heading);
    for (const entry of items) {
      const article = document.createElement("article");
      article.id = entry.anchor;
      article.className = "code-entry";
      const title = document.createElement("h3");
      const link = document.createElement("a");
      link.href = `#${entry.anchor}`;
      link.textContent = entry.name;
      title.append(link, ` `, Object.assign(document.createElement("small"), {textContent: `${entry.kind} · ${entry.module}:${entry.line}`}));
      const doc = docParagraphs(entry.doc);
      const pre = document.createElement("pre");
      const code = document.createElement("code");
      code.className = "language-ts";
      code.textContent = entry.source;
      pre.append(code);
      article.append(title);
      if (entry.doc) article.append(doc);
      article.append(pre);
      section.append(article);
    }
    root.append(section);
  }
  return root;
}

/**
 * A doc comment as the reader should see it: paragraphs (blank lines) reflowed, a line that starts
 * a list item ("(a)", "-", "1.") kept on its own line, and `code` in backticks set as code.
 */
export function docParagraphs(text: string): HTMLElement {
  const root = document.createElement("div");
  root.className = "code-doc";
  for (const block of text.split(/\n\s*\n/)) {
    const p = document.createElement("p");
    const lines = block.split("\n").map((l) => l.trim());
    const joined = lines.reduce((acc, line, i) => (i === 0 ? line : /^(\(\w\)|[-•]|\d+\.)\s/.test(line) ? `${acc}\n${line}` : `${acc} ${line}`), "");
    joined.split(/`([^`]+)`/).forEach((part, i) => p.append(i % 2 ? Object.assign(document.createElement("code"), {textContent: part}) : part));
    root.append(p);
  }
  return root;
}

/** Scrolls to and marks the entry named in the URL's hash (the listing is built after load). */
export function revealHash(root: ParentNode): void {
  const id = decodeURIComponent(location.hash.slice(1));
  if (!id) return;
  const target = root.querySelector(`[id="${CSS.escape(id)}"]`);
  if (!target) return;
  target.classList.add("code-target");
  target.scrollIntoView({block: "start"});
}
