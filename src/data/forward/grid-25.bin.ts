import {writeForwardDiffusion} from "../forward-diffusion.js";

writeForwardDiffusion("grid-25");
