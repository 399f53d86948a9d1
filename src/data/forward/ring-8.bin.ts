import {writeForwardDiffusion} from "../forward-diffusion.js";

writeForwardDiffusion("ring-8");
