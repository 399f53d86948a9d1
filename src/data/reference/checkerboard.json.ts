import {writeReference} from "../reference-model.js";

await writeReference("checkerboard");
