/**
 * The Results page's logic, without DOM: the papers' tables (data/results/*.json, via the loader
 * src/data/results.json.ts) formatted with the papers' own decimals, a sort order for their columns,
 * each model's family for the charts, and the agreement of DDPM's Table 2 (the ablation) with its
 * Table 1. The codelength arithmetic of DDPM Sec. 4.3 is codelength.ts.
 *
 * Why decimals need care: the JSON files write numbers as printed (8.30, 5.40), but JSON.parse
 * drops trailing zeros (8.3, 5.4). Each column has the fewest decimals the paper prints in it, and a
 * number shows max(that, its own decimals); the two cells the paper prints with fewer than their
 * column (DDPM on LSUN Cats in the ADM table: FID 17.1, sFID 12.4) are listed as exceptions. The unit
 * test checks every cell against the raw text of the data files.
 */

/** One row of DDPM's Table 1 (data/results/cifar10.json). */
export interface CifarRow {
  model: string;
  ref: string | null;
  group: "conditional" | "unconditional";
  IS: number | null;
  ISStd: number | null;
  FID: number | null;
  NLLTest: number | null;
  NLLTrain: number | null;
  NLLBound: "≤" | null;
  ours: boolean;
  bold: string[];
}

/** One row of the ADM paper's Table 5 (data/results/adm.json). */
export interface AdmRow {
  dataset: string;
  model: string;
  ref: string | null;
  refName: string | null;
  FID: number | null;
  sFID: number | null;
  precision: number | null;
  recall: number | null;
  marks: string[];
}

/** What ε_θ's network predicts in a row of DDPM's Table 2: the posterior mean μ̃, or the noise ε. */
export type Prediction = "mu" | "eps";

/** One row of DDPM's Table 2, the ablation of the reverse process (data/results/ablation.json). */
export interface AblationRow {
  prediction: Prediction;
  /** The row's label as the paper prints it, and as TeX for display. */
  objective: string;
  objectiveTex: string;
  /** "bound": the variational bound L; "mse": the unweighted squared error of the predicted quantity. */
  loss: "bound" | "mse";
  variance: "learned diagonal" | "fixed isotropic";
  IS: number | null;
  ISStd: number | null;
  FID: number | null;
  /** A blank cell in the paper: unstable to train, no scores reported. */
  unstable: boolean;
}

export interface ResultsTables {
  cifar10: {source: Record<string, string>; metrics: Record<string, string>; rows: CifarRow[]; notes: string[]};
  adm: {source: Record<string, string>; metrics: Record<string, string>; models: Record<string, string>; footnotes: Record<string, string>; rows: AdmRow[]; notes: string[]};
  ablation: {source: Record<string, string>; metrics: Record<string, string>; rows: AblationRow[]; notes: string[]};
}

export type CifarKey = "IS" | "ISStd" | "FID" | "NLLTest" | "NLLTrain";
export type AdmKey = "FID" | "sFID" | "precision" | "recall";
export type AblationKey = "IS" | "ISStd" | "FID";

/** The fewest decimals the paper prints in each numeric column. */
export const COLUMN_DECIMALS = {
  cifar10: {IS: 2, ISStd: 2, FID: 1, NLLTest: 2, NLLTrain: 2},
  adm: {FID: 2, sFID: 2, precision: 2, recall: 2},
  ablation: {IS: 2, ISStd: 2, FID: 2}
} as const satisfies {cifar10: Record<CifarKey, number>; adm: Record<AdmKey, number>; ablation: Record<AblationKey, number>};

/** Cells printed with fewer decimals than their column's minimum, by "dataset|model". */
export const ADM_DECIMAL_EXCEPTIONS: Record<string, Partial<Record<AdmKey, number>>> = {
  "LSUN Cats 256×256|DDPM": {FID: 1, sFID: 1}
};

/** Digits after the decimal point in the shortest representation of a finite number (8.3 → 1). */
export function decimalsOf(value: number): number {
  if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
  const text = String(value);
  if (/e/i.test(text)) throw new Error(`decimalsOf: ${text} is in exponent notation`);
  const dot = text.indexOf(".");
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** A number with max(minDecimals, its own) decimals, as the paper prints it. */
export function formatPrinted(value: number, minDecimals: number): string {
  return value.toFixed(Math.max(minDecimals, decimalsOf(value)));
}

/** A CIFAR-10 cell as printed in DDPM's Table 1, or "" for an empty cell. */
export function formatCifar(row: CifarRow, key: CifarKey): string {
  const v = row[key];
  return v === null ? "" : formatPrinted(v, COLUMN_DECIMALS.cifar10[key]);
}

/** An ADM cell as printed in Table 5, or "" for an empty cell. */
export function formatAdm(row: AdmRow, key: AdmKey): string {
  const v = row[key];
  if (v === null) return "";
  const exception = ADM_DECIMAL_EXCEPTIONS[`${row.dataset}|${row.model}`]?.[key];
  return exception !== undefined ? v.toFixed(exception) : formatPrinted(v, COLUMN_DECIMALS.adm[key]);
}

/** What Table 2 prints in a blank (unstable) cell. */
export const UNSTABLE_CELL = "–";

/** A Table 2 cell as printed: the number with the paper's decimals, or "–" where the run was unstable. */
export function formatAblation(row: AblationRow, key: AblationKey): string {
  const v = row[key];
  return v === null ? UNSTABLE_CELL : formatPrinted(v, COLUMN_DECIMALS.ablation[key]);
}

/** Table 2's IS cell: "7.28 ± 0.10", or "–". */
export function formatAblationIS(row: AblationRow): string {
  return row.IS === null ? UNSTABLE_CELL : `${formatAblation(row, "IS")} ± ${formatAblation(row, "ISStd")}`;
}

/**
 * Throws, naming the row, the field and what is allowed, unless every row of Table 2 has a known
 * prediction, loss and variance, and has IS, its ± and FID exactly when it is not marked unstable.
 */
export function checkAblationRows(rows: readonly Record<string, unknown>[]): void {
  if (rows.length === 0) throw new Error("ablation: no rows");
  const allowed: Record<string, readonly unknown[]> = {prediction: ["mu", "eps"], loss: ["bound", "mse"], variance: ["learned diagonal", "fixed isotropic"], unstable: [true, false]};
  rows.forEach((row, i) => {
    const where = `ablation row ${i} (${String(row.prediction)}, ${String(row.objective)})`;
    for (const [key, values] of Object.entries(allowed)) {
      if (!values.includes(row[key])) throw new Error(`${where}: ${key} = ${JSON.stringify(row[key])}; expected one of ${values.map((v) => JSON.stringify(v)).join(", ")}`);
    }
    for (const key of ["objective", "objectiveTex"]) {
      if (typeof row[key] !== "string" || !row[key]) throw new Error(`${where}: ${key} = ${JSON.stringify(row[key])}; expected a non-empty string`);
    }
    for (const key of ["IS", "ISStd", "FID"]) {
      const v = row[key];
      const ok = row.unstable ? v === null : typeof v === "number" && Number.isFinite(v);
      if (!ok) throw new Error(`${where}: ${key} = ${JSON.stringify(v)}; ${row.unstable ? "an unstable (blank) row has null" : "a stable row has a finite number"}`);
    }
  });
}

/** The one row of Table 2 with this prediction, loss and variance; throws if there is not exactly one. */
export function ablationRow(tables: Pick<ResultsTables, "ablation">, prediction: Prediction, loss: AblationRow["loss"], variance: AblationRow["variance"]): AblationRow {
  const found = tables.ablation.rows.filter((r) => r.prediction === prediction && r.loss === loss && r.variance === variance);
  if (found.length !== 1) throw new Error(`Table 2 has ${found.length} rows for ${prediction}, ${loss}, ${variance}; expected 1`);
  return found[0];
}

/** The Results page's check: Table 2's ε rows with fixed variances are Table 1's two DDPM rows. */
export interface AblationCheck {
  pass: boolean;
  pairs: {ablation: AblationRow; table1: CifarRow; same: boolean}[];
}

/**
 * The paper trains each model once: Table 2's ε prediction on the bound with fixed isotropic Σ is
 * Table 1's "Ours (L, fixed isotropic Σ)", and its ε prediction with L_simple is "Ours (L_simple)".
 * Their IS, its ± and FID must be the same numbers in both tables.
 */
export function ablationCheck(tables: Pick<ResultsTables, "cifar10" | "ablation">): AblationCheck {
  const table1 = (model: string) => {
    const row = tables.cifar10.rows.find((r) => r.model === model);
    if (!row) throw new Error(`Table 1 has no row ${JSON.stringify(model)}`);
    return row;
  };
  const pairs = [
    {ablation: ablationRow(tables, "eps", "bound", "fixed isotropic"), table1: table1("Ours (L, fixed isotropic Σ)")},
    {ablation: ablationRow(tables, "eps", "mse", "fixed isotropic"), table1: table1("Ours (L_simple)")}
  ].map((p) => ({...p, same: p.ablation.IS === p.table1.IS && p.ablation.ISStd === p.table1.ISStd && p.ablation.FID === p.table1.FID}));
  return {pass: pairs.every((p) => p.same), pairs};
}

/** Table 2's six cells by name, and how far the best stable row is ahead of the next. */
export interface AblationReading {
  muLearned: AblationRow;
  muBound: AblationRow;
  muMse: AblationRow;
  epsLearned: AblationRow;
  epsBound: AblationRow;
  /** ε prediction with the unweighted loss: L_simple. */
  simple: AblationRow;
  /** The stable row with the lowest FID, the one after it, and the ratio of their FIDs. */
  best: AblationRow;
  runnerUp: AblationRow;
  ratio: number;
}

/** What the Results page says about Table 2, taken from its cells (nothing assumed about which wins). */
export function ablationReading(tables: Pick<ResultsTables, "ablation">): AblationReading {
  const stable = tables.ablation.rows.filter((r) => !r.unstable).sort((a, b) => a.FID! - b.FID!);
  if (stable.length < 2) throw new Error("Table 2 needs two stable rows to compare");
  return {
    muLearned: ablationRow(tables, "mu", "bound", "learned diagonal"),
    muBound: ablationRow(tables, "mu", "bound", "fixed isotropic"),
    muMse: ablationRow(tables, "mu", "mse", "fixed isotropic"),
    epsLearned: ablationRow(tables, "eps", "bound", "learned diagonal"),
    epsBound: ablationRow(tables, "eps", "bound", "fixed isotropic"),
    simple: ablationRow(tables, "eps", "mse", "fixed isotropic"),
    best: stable[0],
    runnerUp: stable[1],
    ratio: stable[1].FID! / stable[0].FID!
  };
}

/** Table 1's IS cell: "9.46 ± 0.11", or just "8.30" without a printed spread. */
export function formatIS(row: CifarRow): string {
  const is = formatCifar(row, "IS");
  return is && row.ISStd !== null ? `${is} ± ${formatCifar(row, "ISStd")}` : is;
}

/** Table 1's NLL cell: "≤ 3.75 (3.72)", "3.03 (2.90)", "2.80" or "". */
export function formatNLL(row: CifarRow): string {
  const test = formatCifar(row, "NLLTest");
  if (!test) return "";
  const train = formatCifar(row, "NLLTrain");
  return `${row.NLLBound ? `${row.NLLBound} ` : ""}${test}${train ? ` (${train})` : ""}`;
}

export type SortDirection = "ascending" | "descending";

/**
 * A comparator for sorting table rows by a column's value: numbers numerically, strings by
 * locale; empty cells (null) last in either direction, as a reader expects of a table with gaps.
 */
export function compareCells(a: number | string | null, b: number | string | null, direction: SortDirection): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  const sign = direction === "ascending" ? 1 : -1;
  if (typeof a === "number" && typeof b === "number") return sign * (a - b);
  return sign * String(a).localeCompare(String(b), "en");
}

/** Indices 0 … n−1 ordered by value(i) (stable: ties keep the paper's order). */
export function sortedOrder(n: number, value: (i: number) => number | string | null, direction: SortDirection): number[] {
  return Array.from({length: n}, (_, i) => i).sort((i, j) => compareCells(value(i), value(j), direction) || i - j);
}

/** The kind of generative model, for colouring the charts. */
export type ModelFamily = "diffusion" | "score" | "gan" | "autoregressive" | "energy";

const FAMILIES: Record<string, ModelFamily> = {
  "Diffusion (original)": "diffusion",
  "Ours (L, fixed isotropic Σ)": "diffusion",
  "Ours (L_simple)": "diffusion",
  DDPM: "diffusion",
  IDDPM: "diffusion",
  ADM: "diffusion",
  "ADM (dropout)": "diffusion",
  "ADM-G": "diffusion",
  "ADM-G (25 steps)": "diffusion",
  SR3: "diffusion",
  NCSN: "score",
  NCSNv2: "score",
  BigGAN: "gan",
  "BigGAN-deep": "gan",
  "StyleGAN2 + ADA (v1)": "gan",
  SNGAN: "gan",
  "SNGAN-DDLS": "gan",
  StyleGAN: "gan",
  StyleGAN2: "gan",
  LOGAN: "gan",
  "Gated PixelCNN": "autoregressive",
  "Sparse Transformer": "autoregressive",
  PixelIQN: "autoregressive",
  DCTransformer: "autoregressive",
  "VQ-VAE-2": "autoregressive",
  EBM: "energy",
  JEM: "energy"
};

/** The family of a model named as in the tables; throws for a name it does not know. */
export function modelFamily(model: string): ModelFamily {
  const family = FAMILIES[model];
  if (!family) throw new Error(`no family recorded for model ${JSON.stringify(model)}`);
  return family;
}

/** The range of one model's precision and recall over the Table 5 tasks whose names start with `taskPrefix`. */
export interface AdmSpread {
  model: string;
  tasks: string[];
  precision: [number, number];
  recall: [number, number];
}

/** See AdmSpread; throws when no such row has both numbers. */
export function admSpread(tables: Pick<ResultsTables, "adm">, model: string, taskPrefix: string): AdmSpread {
  const rows = tables.adm.rows.filter((r) => r.model === model && r.dataset.startsWith(taskPrefix) && r.precision !== null && r.recall !== null);
  if (rows.length === 0) throw new Error(`Table 5 has no ${model} row with precision and recall on a task starting "${taskPrefix}"`);
  const range = (values: number[]): [number, number] => [Math.min(...values), Math.max(...values)];
  return {model, tasks: rows.map((r) => r.dataset), precision: range(rows.map((r) => r.precision!)), recall: range(rows.map((r) => r.recall!))};
}

/** Whether a row is one of DDPM's own results (Ho et al. 2020): highlighted on the page. */
export function isDdpm(row: {model: string; ours?: boolean}): boolean {
  return row.ours === true || row.model === "DDPM";
}
