// Site-wide behaviour, loaded on every page from the config's `head`: the self-hosted KaTeX
// assets, step-by-step reveal of derivations, the Contents list's subscripts, and what assistive
// technology needs from the page shell and from scrolling blocks and sliders.
import "./katex-assets.js";
import {enhanceAccessibility} from "./accessibility.js";
import {enhanceDerivations} from "./derivation.js";
import {enhanceToc} from "./toc.js";

if (typeof document !== "undefined") {
  const enhance = () => {
    enhanceDerivations(document);
    enhanceToc(document);
    enhanceAccessibility(document);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", enhance);
  else enhance();
}
