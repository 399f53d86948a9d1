// Site-wide behaviour, loaded on every page from the config's `head`: the self-hosted KaTeX
// assets, step-by-step reveal of derivations, and the Contents list's subscripts.
import "./katex-assets.js";
import {enhanceDerivations} from "./derivation.js";
import {enhanceToc} from "./toc.js";

if (typeof document !== "undefined") {
  const enhance = () => {
    enhanceDerivations(document);
    enhanceToc(document);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", enhance);
  else enhance();
}
