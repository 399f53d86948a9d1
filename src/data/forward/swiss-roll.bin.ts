import {writeForwardDiffusion} from "../forward-diffusion.js";

writeForwardDiffusion("swiss-roll");
