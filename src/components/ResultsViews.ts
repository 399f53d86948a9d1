// The Results page's tables and charts, built from the loader's data (src/data/results.json.ts)
// with the papers' own decimals (src/lib/results.ts).
import {bitsPerDimToNats, CIFAR10_DIMS, DDPM_RATE_DISTORTION, type CodelengthCheck} from "../lib/codelength.js";
import {
  formatAblation,
  formatAblationIS,
  formatAdm,
  formatCifar,
  formatIS,
  formatNLL,
  isDdpm,
  modelFamily,
  type AblationCheck,
  type AblationRow,
  type AdmRow,
  type CifarRow,
  type Prediction,
  type ResultsTables
} from "../lib/results.js";
import {html} from "htl";
import {CheckResult} from "./CheckResult.js";
import {FAMILY_COLORS, ResultsBarChart, ResultsScatter} from "./ResultsBarChart.js";
import {ResultsTable, type ResultsColumn} from "./ResultsTable.js";
import {tex} from "./tex.js";

/** The groups of Table 2, as the paper heads them ("μ̃ prediction (baseline)", "ϵ prediction (ours)"), shortened for a narrow column. */
const PREDICTION_LABELS: Record<Prediction, string> = {mu: "μ̃ (baseline)", eps: "ε (ours)"};

/** Highlight of DDPM's own rows (the site's stylesheet is shared: inline, theme-aware). */
// DDPM's own rows, shaded in the charts' colour for diffusion models.
const DDPM_ROW = {"data-ddpm": "true", style: `background:color-mix(in srgb, ${FAMILY_COLORS.diffusion} 14%, transparent)`};

function modelCell(model: string, ref: string | null, marks: string[] = [], refName?: string | null): Node {
  // line-height 0 keeps the row as tall as the others.
  const sup = marks.length ? html`<sup title="see the footnotes under the table" style="line-height:0">${marks.join("")}</sup>` : null;
  // cifar10.json's ref holds "[11] Du & Mordatch 2019"; adm.json's holds "[42]" and a refName.
  const cite = ref ? html`<span style="color:var(--theme-foreground-muted)" title=${refName ?? ref.split(" ").slice(1).join(" ")}>${` ${ref.split(" ")[0]}`}</span>` : null;
  return html`<span>${model}${sup}${cite}</span>`;
}

function caption(text: string): HTMLElement {
  return html`<span style="font:13px var(--sans-serif);color:var(--theme-foreground-muted)">${text}</span>`;
}

/** DDPM's Table 1, sortable; starts in the paper's order. */
export function CifarTable(tables: ResultsTables): HTMLElement {
  const rows = tables.cifar10.rows;
  const index = new Map(rows.map((r, i) => [r, i + 1]));
  const m = tables.cifar10.metrics;
  const columns: ResultsColumn<CifarRow>[] = [
    {key: "order", label: "#", numeric: true, description: "Row in the paper's table", sortValue: (r) => index.get(r)!, render: (r) => String(index.get(r))},
    {key: "model", label: "Model", sortValue: (r) => r.model, render: (r) => modelCell(r.model, r.ref)},
    {key: "group", label: "Class labels", description: "Conditional models are given the class label; unconditional ones are not", sortValue: (r) => r.group, render: (r) => r.group},
    {key: "IS", label: "IS", numeric: true, description: m.IS, sortValue: (r) => r.IS, render: formatIS, bold: (r) => r.bold.includes("IS")},
    {key: "FID", label: "FID", numeric: true, description: m.FID, sortValue: (r) => r.FID, render: (r) => formatCifar(r, "FID"), bold: (r) => r.bold.includes("FID")},
    {key: "NLL", label: "NLL test (train)", numeric: true, description: m.NLL, sortValue: (r) => r.NLLTest, render: formatNLL, bold: (r) => r.bold.includes("NLLTest")}
  ];
  return ResultsTable({
    columns,
    rows,
    caption: caption("DDPM, Table 1 (CIFAR-10). IS: higher is better. FID and NLL (bits/dim, test set with the training set in parentheses): lower is better."),
    sort: {key: "order", direction: "ascending"},
    rowAttributes: (r) => (isDdpm(r) ? DDPM_ROW : {}),
    testId: "cifar-table"
  });
}

/** A Table 2 cell: the number, or the paper's "–" with what it means on hover. */
function ablationCell(row: AblationRow, text: string): string | Node {
  if (!row.unstable) return text;
  return html`<span title="unstable to train: no score reported">${text}</span>`;
}

/** DDPM's Table 2, the ablation of what the network predicts and of the loss; sortable, starts in the paper's order. */
export function AblationTable(tables: ResultsTables): HTMLElement {
  const rows = tables.ablation.rows;
  const index = new Map(rows.map((r, i) => [r, i + 1]));
  const m = tables.ablation.metrics;
  const columns: ResultsColumn<AblationRow>[] = [
    {key: "order", label: "#", numeric: true, description: "Row in the paper's table", sortValue: (r) => index.get(r)!, render: (r) => String(index.get(r))},
    {key: "prediction", label: "Predicts", description: "What the network predicts. μ̃: the posterior mean (Eq. 7) directly; ε: the noise, with μ_θ from Eq. 11", sortValue: (r) => PREDICTION_LABELS[r.prediction], render: (r) => PREDICTION_LABELS[r.prediction]},
    {key: "objective", label: "Objective", description: m.loss, render: (r) => tex(r.objectiveTex)},
    {key: "IS", label: "IS", numeric: true, description: m.IS, sortValue: (r) => r.IS, render: (r) => ablationCell(r, formatAblationIS(r))},
    {key: "FID", label: "FID", numeric: true, description: m.FID, sortValue: (r) => r.FID, render: (r) => ablationCell(r, formatAblation(r, "FID"))}
  ];
  return ResultsTable({
    columns,
    rows,
    caption: caption("DDPM, Table 2 (CIFAR-10, unconditional). IS: higher is better; FID: lower is better. –: unstable to train, no score."),
    sort: {key: "order", direction: "ascending"},
    testId: "ablation-table"
  });
}

const cifarLabel = (r: CifarRow) => `${r.model}${r.group === "conditional" ? " (cond.)" : ""}`;

/** FID of every Table 1 row that has one, best first. */
/** Table 2 against Table 1: the ablation's two ε rows with fixed Σ are Table 1's DDPM models. */
export function ablationCheckView(check: AblationCheck): HTMLElement {
  return CheckResult({
    pass: check.pass,
    title: `Table 2 against Table 1: its two ε rows with fixed Σ are Table 1's two DDPM models, with the same IS and FID`,
    details: check.pairs.map((p) => `${p.ablation.objective} (Table 2) and ${p.table1.model} (Table 1): IS ${p.ablation.IS} ± ${p.ablation.ISStd} and ${p.table1.IS} ± ${p.table1.ISStd}, FID ${p.ablation.FID} and ${p.table1.FID} — ${p.same ? "the same" : "DIFFERENT"}`)
  });
}

/** Sec. 4.3 against Table 1: rate + distortion add up to the L_simple model's bound. */
export function codelengthCheckView(check: CodelengthCheck): HTMLElement {
  return CheckResult({
    pass: check.pass,
    title: `Sec. 4.3 against Table 1: rate + distortion = ${DDPM_RATE_DISTORTION.rate} + ${DDPM_RATE_DISTORTION.distortion} = ${check.sum.toFixed(2)} bits/dim; Table 1: ≤ ${check.table.toFixed(2)}`,
    details: [
      "L = L₀ + (L₁ + … + L_T) (Eq. 5), so the two must agree; pass within 0.01, the rounding of two 2-decimal numbers",
      `in nats per image: ${check.table.toFixed(2)} × ${CIFAR10_DIMS} × ln 2 = ${bitsPerDimToNats(check.table).toFixed(0)} nats`
    ]
  });
}

export function CifarFidChart(tables: ResultsTables, width: number): SVGSVGElement {
  const rows = tables.cifar10.rows.filter((r) => r.FID !== null).sort((a, b) => a.FID! - b.FID!);
  const bars = rows.map((r) => ({label: cifarLabel(r), value: r.FID!, text: formatCifar(r, "FID"), family: modelFamily(r.model), highlight: isDdpm(r)}));
  return ResultsBarChart(bars, {width, title: "CIFAR-10 FID (Table 1)", xLabel: "FID", better: "lower", ariaLabel: "bar chart of CIFAR-10 FID by model; DDPM's rows outlined"});
}

/** NLL (test, bits/dim) of every Table 1 row that has one, best first; bounds drawn lighter. */
export function CifarNllChart(tables: ResultsTables, width: number): SVGSVGElement {
  const rows = tables.cifar10.rows.filter((r) => r.NLLTest !== null).sort((a, b) => a.NLLTest! - b.NLLTest!);
  const bars = rows.map((r) => ({
    label: cifarLabel(r),
    value: r.NLLTest!,
    text: formatCifar(r, "NLLTest"),
    prefix: r.NLLBound ?? undefined,
    family: modelFamily(r.model),
    highlight: isDdpm(r)
  }));
  return ResultsBarChart(bars, {
    width,
    title: "CIFAR-10 NLL, test (Table 1); pale: bounds (≤)",
    xLabel: "bits/dim",
    better: "lower",
    reference: {value: 8, label: "uniform: 8"},
    ariaLabel: "bar chart of CIFAR-10 negative log-likelihood in bits per dimension; upper bounds lighter, DDPM outlined"
  });
}

/** The ADM paper's Table 5 for one task ("all" for every row), sortable; starts in the paper's order. */
export function AdmTable(tables: ResultsTables, task: string): HTMLElement {
  const all = tables.adm.rows;
  const index = new Map(all.map((r, i) => [r, i + 1]));
  const rows = task === "all" ? all : all.filter((r) => r.dataset === task);
  const m = tables.adm.metrics;
  const columns: ResultsColumn<AdmRow>[] = [
    {key: "order", label: "#", numeric: true, description: "Row in the paper's table", sortValue: (r) => index.get(r)!, render: (r) => String(index.get(r))},
    ...(task === "all" ? [{key: "dataset", label: "Task", sortValue: (r: AdmRow) => r.dataset, render: (r: AdmRow) => r.dataset}] : []),
    {key: "model", label: "Model", description: "ADM: the paper's own diffusion model; -G: with classifier guidance", sortValue: (r) => r.model, render: (r) => modelCell(r.model, r.ref, r.marks, r.refName)},
    {key: "FID", label: "FID", numeric: true, description: m.FID, sortValue: (r) => r.FID, render: (r) => formatAdm(r, "FID")},
    {key: "sFID", label: "sFID", numeric: true, description: m.sFID, sortValue: (r) => r.sFID, render: (r) => formatAdm(r, "sFID")},
    {key: "precision", label: "Prec", numeric: true, description: m.precision, sortValue: (r) => r.precision, render: (r) => formatAdm(r, "precision")},
    {key: "recall", label: "Rec", numeric: true, description: m.recall, sortValue: (r) => r.recall, render: (r) => formatAdm(r, "recall")}
  ];
  return ResultsTable({
    columns,
    rows,
    caption: caption(`Dhariwal & Nichol, Table 5${task === "all" ? "" : `, ${task}`}. FID and sFID: lower is better. Precision and recall: higher is better.`),
    sort: {key: "order", direction: "ascending"},
    rowAttributes: (r) => (isDdpm(r) ? DDPM_ROW : {}),
    testId: "adm-table"
  });
}

/** The tasks of Table 5, in the paper's order. */
export function admTasks(tables: ResultsTables): string[] {
  return [...new Set(tables.adm.rows.map((r) => r.dataset))];
}

/** FID of each model on one task of Table 5, best first. */
export function AdmFidChart(tables: ResultsTables, task: string, width: number): SVGSVGElement {
  const rows = tables.adm.rows.filter((r) => r.dataset === task && r.FID !== null).sort((a, b) => a.FID! - b.FID!);
  const bars = rows.map((r) => ({label: `${r.model}${r.marks.join("")}`, value: r.FID!, text: formatAdm(r, "FID"), family: modelFamily(r.model), highlight: isDdpm(r)}));
  return ResultsBarChart(bars, {width, title: task, xLabel: "FID", better: "lower", ariaLabel: `bar chart of FID by model on ${task}`});
}

/** Small multiples: one FID chart per task of Table 5, in the paper's order, as many per row as fit. */
export function AdmFidCharts(tables: ResultsTables, width: number): HTMLElement {
  const chartWidth = width >= 620 ? Math.floor((width - 16) / 2) : width;
  const charts = admTasks(tables).map((task) => AdmFidChart(tables, task, chartWidth));
  return html`<div style=${`display:grid;grid-template-columns:repeat(auto-fill,${chartWidth}px);gap:1rem 16px`} data-testid="adm-charts">${charts}</div>`;
}

/** Precision against recall for every row of Table 5 that has both. */
export function AdmPrecisionRecall(tables: ResultsTables, width: number): SVGSVGElement {
  const points = tables.adm.rows
    .filter((r) => r.precision !== null && r.recall !== null)
    .map((r) => ({label: `${r.model} (${r.dataset})`, x: r.recall!, y: r.precision!, family: modelFamily(r.model), highlight: isDdpm(r)}));
  return ResultsScatter(points, {width, title: "Precision against recall, all tasks of Table 5", ariaLabel: "scatter plot of precision against recall for every model and task in Table 5"});
}

/** Table 5's footnote marks, quoted from its caption (adm.json's footnotes). */
export function AdmFootnotes(tables: ResultsTables): HTMLElement {
  const lines = Object.entries(tables.adm.footnotes).map(([mark, text]) => html`<div><strong>${mark}</strong>${` ${text}`}</div>`);
  return html`<div data-testid="adm-footnotes" style="font:13px var(--sans-serif);color:var(--theme-foreground-muted);margin:0.5rem 0 1rem">${lines}</div>`;
}
