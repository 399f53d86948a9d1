// The forward diffusion of one dataset (Framework runs this once per `data/forward/<id>.bin`
// that a page names): see src/data/forward-diffusion.ts.
import {datasetArg} from "../loader-args.js";
import {writeForwardDiffusion} from "../forward-diffusion.js";

writeForwardDiffusion(datasetArg());
