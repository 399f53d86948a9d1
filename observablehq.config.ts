import {existsSync, readFileSync} from "node:fs";
import {createRequire} from "node:module";
import katex from "katex";
import texmath from "markdown-it-texmath";
import {texMacros} from "./src/components/tex-macros.js";

// The reader's path through the paper (docs/architecture.md §1). A page appears in the sidebar as soon as
// its Markdown file exists, so the order is declared once, here.
const readingPath = [
  {name: "Why diffusion", path: "/why-diffusion"},
  {name: "Forward process", path: "/forward"},
  {name: "Reverse process & posterior", path: "/posterior"},
  {name: "The variational bound", path: "/bound"},
  {name: "The simplified loss", path: "/l-simple"},
  {name: "Training & sampling", path: "/training"},
  {name: "Results", path: "/results"},
  {name: "The talk, as slides", path: "/deck"},
  {name: "Notation", path: "/notation"},
  {name: "The code", path: "/code"},
  {name: "About this site", path: "/about"}
];

// KaTeX's stylesheet is linked in each page's head, so that it applies from the first paint (added
// by a script, it arrived after the page had painted and everything under the math moved).
// src/components/katex-assets.ts names the stylesheet and its fonts in `import.meta.resolve`
// calls, which make Framework copy them to _node/katex@<version>/dist/ in the build and serve
// them from its cache in the preview server; the link points there. rel="external" keeps
// Framework from treating the href as one of the site's files.
const katexVersion: string = JSON.parse(readFileSync(createRequire(import.meta.url).resolve("katex/package.json"), "utf-8")).version;
// The faces that most pages' math uses. Text laid out before a face is ready moves when it
// arrives (the math widens, lines rewrap), so the faces are fetched with the stylesheet
// (preload), and the page's main column stays hidden until they are ready, for at most
// FONT_WAIT_MS; the sidebar shows at once. Without scripts nothing is hidden.
const katexFaces = ["Main-Regular", "Main-Bold", "Math-Italic", "Math-BoldItalic", "Size1-Regular", "Size2-Regular", "Size3-Regular", "Size4-Regular", "AMS-Regular", "Caligraphic-Regular"];
const FONT_WAIT_MS = 2000;
/** "Math-BoldItalic" → "italic bold 16px KaTeX_Math", as document.fonts.load takes it. */
const faceFont = (face: string) => {
  const [family, variant] = face.split("-");
  return [/Italic/.test(variant) ? "italic" : "", /Bold/.test(variant) ? "bold" : "", `16px KaTeX_${family}`].filter(Boolean).join(" ");
};
/** The way from a page (/forward, /a/b) back to the site's root (./, ../). */
const toRoot = (path: string) => "../".repeat(Math.max(0, path.split("/").length - 2)) || "./";

// Framework's page template has no `lang` on <html> and a viewport that forbids zooming
// (maximum-scale=1); this runs as the head is parsed, before the first paint, in the build and
// in the preview server alike, and holds the main column back until the math fonts are ready.
const documentFixes = `document.documentElement.lang = "en";
document.querySelector('meta[name="viewport"]')?.setAttribute("content", "width=device-width, initial-scale=1");
if (document.fonts) {
  const root = document.documentElement;
  const show = () => root.classList.remove("math-fonts-loading");
  root.classList.add("math-fonts-loading");
  Promise.all(${JSON.stringify(katexFaces.map(faceFont))}.map((font) => document.fonts.load(font))).then(show, show);
  setTimeout(show, ${FONT_WAIT_MS});
}`;

export default {
  root: "src",
  // DDPM_OUTPUT lets two builds coexist (e.g. a review build beside the test build).
  output: process.env.DDPM_OUTPUT ?? "dist",
  title: "DDPM, live",
  pages: readingPath.filter((page) => existsSync(`src${page.path}.md`)),
  pager: true,
  // No web fonts from another origin (docs/architecture.md §4.3): the default theme links Google Fonts.
  globalStylesheets: [],
  style: "style.css",
  // site.js names the KaTeX files to copy, makes derivations steppable and fixes Framework's
  // markup for assistive technology; the empty icon avoids a 404.
  head: ({path}: {path: string}) =>
    `<link rel="icon" href="data:,">` +
    `<link rel="stylesheet external" href="${toRoot(path)}_node/katex@${katexVersion}/dist/katex.min.css">` +
    katexFaces.map((face) => `<link rel="preload external" as="font" type="font/woff2" crossorigin href="${toRoot(path)}_node/katex@${katexVersion}/dist/fonts/KaTeX_${face}.woff2">`).join("") +
    `<script>${documentFixes}</script>` +
    `<script type="module" src="/components/site.js"></script>`,
  footer: "DDPM, live — Ho, Jain &amp; Abbeel, <i>Denoising Diffusion Probabilistic Models</i>, NeurIPS 2020.",
  // Data loaders are TypeScript run with tsx from node_modules, not from PATH.
  interpreters: {".ts": ["node", "--import", "tsx"]},
  // $…$ and $$…$$ are rendered to HTML + MathML at build time with the site's own KaTeX.
  markdownIt: (md: any) =>
    md.use(texmath, {engine: katex, delimiters: "dollars", katexOptions: {throwOnError: false, macros: {...texMacros}}})
};
