import {writeForwardDiffusion} from "../forward-diffusion.js";

writeForwardDiffusion("two-moons");
