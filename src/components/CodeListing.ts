// The Code page: every exported function, constant and type of the math core and the model, with
// its doc comment, anchored by name so that an equation elsewhere links to /code#name.
import {html} from "htl";
import type {CodeEntry} from "../lib/code-format.js";

export function CodeListing({modules, entries}: {modules: string[]; entries: CodeEntry[]}, {filter = ""}: {filter?: string} = {}): HTMLElement {
  const needle = filter.trim().toLowerCase();
  const article = (entry: CodeEntry) => {
    const title = html`<h3><a href=${`#${entry.anchor}`}>${entry.name}</a> <small>${`${entry.kind} · ${entry.module}:${entry.line}`}</small></h3>`;
    return html`<article id=${entry.anchor} class="code-entry">${title}${entry.doc ? docParagraphs(entry.doc) : null}<pre><code class="language-ts">${entry.source}</code></pre></article>`;
  };
  const sections = modules.flatMap((module) => {
    const items = entries.filter((e) => e.module === module && (!needle || e.name.toLowerCase().includes(needle) || e.doc.toLowerCase().includes(needle)));
    return items.length ? [html`<section><h2 id=${module.replace(/[^\w]+/g, "-")}>${module}</h2>${items.map(article)}</section>`] : [];
  });
  return html`<div class="code-listing">${sections}</div>`;
}

/**
 * A doc comment as the reader should see it: paragraphs (blank lines) reflowed, a line that starts
 * a list item ("(a)", "-", "1.") kept on its own line, and `code` in backticks set as code.
 */
export function docParagraphs(text: string): HTMLElement {
  const paragraph = (block: string) => {
    const lines = block.split("\n").map((l) => l.trim());
    const joined = lines.reduce((acc, line, i) => (i === 0 ? line : /^(\(\w\)|[-•]|\d+\.)\s/.test(line) ? `${acc}\n${line}` : `${acc} ${line}`), "");
    return html`<p>${joined.split(/`([^`]+)`/).map((part, i) => (i % 2 ? html`<code>${part}</code>` : part))}</p>`;
  };
  return html`<div class="code-doc">${text.split(/\n\s*\n/).map(paragraph)}</div>`;
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
