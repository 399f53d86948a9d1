import {writeReference} from "../reference-model.js";

await writeReference("grid-25");
