// The reference model of one dataset (Framework runs this once per `data/reference/<id>.json`
// that a page names): see src/data/reference-model.ts.
import {datasetArg} from "../loader-args.js";
import {writeReference} from "../reference-model.js";

await writeReference(datasetArg());
