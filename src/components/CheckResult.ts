/** A live check's verdict, visible and machine-readable (data-status) for the browser tests. */
export function CheckResult({pass, title, details}: {pass: boolean; title: string; details: (string | Node)[]}): HTMLElement {
  const root = document.createElement("div");
  root.className = "check";
  root.dataset.status = pass ? "pass" : "fail";
  root.dataset.testid = "check";
  root.setAttribute("aria-live", "polite");
  const head = document.createElement("div");
  const verdict = document.createElement("span");
  verdict.className = "verdict";
  verdict.textContent = pass ? "✓ pass" : "✗ fail";
  head.append(verdict, ` — ${title}`);
  const list = document.createElement("ul");
  for (const item of details) {
    const li = document.createElement("li");
    li.append(item);
    list.append(li);
  }
  root.append(head, list);
  return root;
}
