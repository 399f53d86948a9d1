// The pages' Markdown against a trap of the build: markdown-it-texmath reads `$…$` as inline math
// before Framework sees `${…}`, and its rule matches from a `$` to the next `$` on the same line
// that follows a non-space. So an inline expression `${x}` with inline math later on its line,
// as in "${x} at $T = 100$", is swallowed into one bogus formula and the number never shows.
import {test} from "node:test";
import assert from "node:assert/strict";
import {readdirSync, readFileSync} from "node:fs";

/** texmath's inline "dollars" rule, anchored at a `$`: `$`, a non-space … a non-space, `$`, no digit after. */
const INLINE_MATH = /^\$((?:\S)|(?:\S.*?\S))\$(?!\d)/;

/** Source lines (outside code fences) where an inline expression would be read as math. */
function swallowedExpressions(markdown: string): string[] {
  const found: string[] = [];
  let fenced = false;
  markdown.split("\n").forEach((line, i) => {
    if (line.startsWith("```")) fenced = !fenced;
    if (fenced) return;
    for (const match of line.matchAll(/\$\{/g)) {
      if (INLINE_MATH.test(line.slice(match.index))) found.push(`line ${i + 1}: ${line.trim()}`);
    }
  });
  return found;
}

test("the detector finds an expression followed by inline math on its line, and only that", () => {
  assert.equal(swallowedExpressions("far from 0 — ${a} at $T = 100$, ${b}").length, 1);
  assert.deepEqual(swallowedExpressions("at $T = 100$ it is ${a},\nand $L_T$ grows to ${b} nats."), []);
  assert.deepEqual(swallowedExpressions("${a} and ${b} nats, ${c} $ 5"), []);
  assert.deepEqual(swallowedExpressions("```js\nconst s = `${a} $x$`;\n```"), []);
});

test("no page has an inline expression that the math renderer would swallow", () => {
  const pages = readdirSync("src").filter((f) => f.endsWith(".md"));
  assert.ok(pages.length >= 10, `pages found: ${pages.join(", ")}`);
  const problems = pages.flatMap((page) => swallowedExpressions(readFileSync(`src/${page}`, "utf8")).map((p) => `src/${page} ${p}`));
  assert.deepEqual(problems, [], "put the inline math before the ${…} on its line, or break the line after the ${…}");
});
