// The dataset a parameterized loader (src/data/*/[dataset].*.ts) is run for: Framework passes
// the route's parameter as `--dataset=<id>`.
import {parseArgs} from "node:util";
import {checkDatasetId, type DatasetId} from "../lib/datasets.js";

export function datasetArg(): DatasetId {
  const {values} = parseArgs({options: {dataset: {type: "string"}}, strict: false});
  const id = String(values.dataset ?? "");
  checkDatasetId(id);
  return id;
}
