import {existsSync} from "node:fs";
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
  {name: "Notation", path: "/notation"},
  {name: "The code", path: "/code"},
  {name: "About this site", path: "/about"}
];

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
  // site.js self-hosts the KaTeX stylesheet and fonts and makes derivations steppable; the empty icon avoids a 404.
  head: `<link rel="icon" href="data:,"><script type="module" src="/components/site.js"></script>`,
  footer: "DDPM, live — Ho, Jain &amp; Abbeel, <i>Denoising Diffusion Probabilistic Models</i>, NeurIPS 2020.",
  // Data loaders are TypeScript run with tsx from node_modules, not from PATH.
  interpreters: {".ts": ["node", "--import", "tsx"]},
  // $…$ and $$…$$ are rendered to HTML + MathML at build time with the site's own KaTeX.
  markdownIt: (md: any) =>
    md.use(texmath, {engine: katex, delimiters: "dollars", katexOptions: {throwOnError: false, macros: {...texMacros}}})
};
