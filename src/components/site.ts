// Site-wide behaviour, loaded on every page from the config's `head`: the self-hosted KaTeX
// assets, step-by-step reveal of derivations, the Contents list's subscripts, what assistive
// technology needs from the page shell and from scrolling blocks and sliders, and presentation
// mode (the speaker view on the /speaker page).
import "./katex-assets.js";
import {enhanceAccessibility} from "./accessibility.js";
import {enhanceDerivations} from "./derivation.js";
import {installPresentation} from "./present.js";
import {installSpeakerView} from "./speaker.js";
import {enhanceToc} from "./toc.js";

if (typeof document !== "undefined") {
  const enhance = () => {
    enhanceDerivations(document);
    enhanceToc(document);
    enhanceAccessibility(document);
    const speaker = document.getElementById("speaker-view");
    if (speaker) installSpeakerView(speaker);
    else installPresentation(document);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", enhance);
  else enhance();
}
