import {html} from "htl";

/** A live check's verdict, visible and machine-readable (data-status) for the browser tests. */
export function CheckResult({pass, title, details}: {pass: boolean; title: string; details: (string | Node)[]}): HTMLElement {
  const head = html`<div><span class="verdict">${pass ? "✓ pass" : "✗ fail"}</span>${` — ${title}`}</div>`;
  return html`<div class="check" data-status=${pass ? "pass" : "fail"} data-testid="check" aria-live="polite">${head}<ul>${details.map((item) => html`<li>${item}</li>`)}</ul></div>`;
}
