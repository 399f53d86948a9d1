import {writeReference} from "../reference-model.js";

await writeReference("ring-8");
