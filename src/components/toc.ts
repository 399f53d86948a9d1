// Framework's "Contents" list repeats each heading as plain text, so "q(x<sub>t</sub> | …)" reads
// "q(xt | …)". Give each entry a copy of its heading's own markup (subscripts, math) instead.
export function enhanceToc(root: Document): void {
  for (const link of Array.from(root.querySelectorAll<HTMLAnchorElement>("#observablehq-toc a[href^='#']"))) {
    const heading = root.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!heading) continue;
    const source = heading.querySelector(":scope > a.observablehq-header-anchor") ?? heading;
    if (!source.querySelector("sub, sup, .katex")) continue;
    link.replaceChildren(...Array.from(source.childNodes, (node) => node.cloneNode(true)));
  }
}
