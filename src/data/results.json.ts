// The papers' result tables (data/results/*.json: transcribed from the seed slides and checked
// against the papers, or, for DDPM's Table 2, from the paper) as one file for the Results page,
// validated so that a typo in a table fails the build instead of a chart.
import {readFileSync} from "node:fs";
import {checkAblationRows} from "../lib/results.js";

type Row = Record<string, unknown>;
const read = (name: string) => JSON.parse(readFileSync(`data/results/${name}.json`, "utf8")) as {rows: Row[]};

function check(name: string, rows: Row[], numeric: string[]) {
  rows.forEach((row, i) => {
    if (typeof row.model !== "string" || !row.model) throw new Error(`${name} row ${i}: no model name`);
    for (const key of numeric) {
      const v = row[key];
      if (v !== null && (typeof v !== "number" || !Number.isFinite(v))) throw new Error(`${name} row ${i} (${row.model}): ${key} = ${v}`);
    }
  });
}

const cifar10 = read("cifar10");
const adm = read("adm");
const ablation = read("ablation");
check("cifar10", cifar10.rows, ["IS", "ISStd", "FID", "NLLTest", "NLLTrain"]);
check("adm", adm.rows, ["FID", "sFID", "precision", "recall"]);
checkAblationRows(ablation.rows);
process.stdout.write(JSON.stringify({cifar10, adm, ablation}));
