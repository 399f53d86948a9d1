import {writeForwardDiffusion} from "../forward-diffusion.js";

writeForwardDiffusion("circles");
