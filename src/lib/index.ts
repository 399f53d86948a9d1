/** The math core of DDPM (Ho, Jain, Abbeel 2020): pure TypeScript, no DOM, no tfjs. */
export * from "./random.js";
export * from "./schedule.js";
export * from "./forward.js";
export * from "./posterior.js";
export * from "./gaussian.js";
export * from "./bound.js";
export * from "./mixture.js";
export * from "./datasets.js";
export * from "./metrics.js";
export * from "./sampler.js";
export * from "./stats.js";
