import {writeReference} from "../reference-model.js";

await writeReference("swiss-roll");
