/**
 * KaTeX macros shared by the build-time renderer (observablehq.config.ts) and the
 * run-time `tex` helper (src/components/tex.ts), so static and live math agree.
 */
export const texMacros: Record<string, string> = {
  "\\x": "\\mathbf{x}",
  "\\bfeps": "\\boldsymbol{\\epsilon}",
  "\\bfmu": "\\boldsymbol{\\mu}",
  "\\bfSigma": "\\boldsymbol{\\Sigma}",
  "\\I": "\\mathbf{I}",
  "\\N": "\\mathcal{N}",
  "\\E": "\\mathbb{E}",
  "\\abar": "\\bar{\\alpha}",
  "\\btilde": "\\tilde{\\beta}",
  "\\mutilde": "\\tilde{\\boldsymbol{\\mu}}",
  "\\KL": "D_{\\mathrm{KL}}"
};
