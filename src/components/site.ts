// Site-wide behaviour, loaded on every page from the config's `head`: the self-hosted KaTeX
// assets, and step-by-step reveal of derivations.
import "./katex-assets.js";
import {enhanceDerivations} from "./derivation.js";

if (typeof document !== "undefined") {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => enhanceDerivations(document));
  else enhanceDerivations(document);
}
