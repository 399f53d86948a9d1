/**
 * Seeded random numbers for everything the math core samples: data sets, forward noise ε,
 * Monte Carlo estimates of the bound. A thin wrapper around d3-random so that a given seed
 * yields the same stream on every machine (and in the browser and in Node alike).
 */
import {randomLcg, randomNormal} from "d3-random";

/** A deterministic stream of random numbers. */
export interface Rng {
  /** A uniform number in [0, 1). */
  uniform(): number;
  /** A standard normal N(0, 1) number. */
  normal(): number;
  /** n independent standard normals, e.g. the noise ε ~ N(0, I) for n/D points of dimension D. */
  normals(n: number): Float64Array;
}

/**
 * A seeded generator: d3's linear congruential generator (`randomLcg`) as the uniform source and
 * d3's polar Box–Muller normal drawn from that same source. The stream depends only on `seed`.
 *
 * Use integer seeds: randomLcg treats a seed in [0, 1) as a fraction of 2³² and truncates any other
 * seed to a 32-bit integer (so 7 and 7.5 give the same stream).
 *
 * The uniform stream is integer arithmetic, bit-identical in every JavaScript engine. The normals
 * go through Math.log and Math.sqrt; Math.log is not required to be correctly rounded, so engines
 * other than V8 (Node, Chrome) may differ in the last bit.
 */
export function createRng(seed: number): Rng {
  if (typeof seed !== "number" || !Number.isFinite(seed)) throw new Error(`seed must be a finite number, got ${seed}`);
  const uniform = randomLcg(seed);
  const normal = randomNormal.source(uniform)(0, 1);
  return {
    uniform,
    normal,
    normals(n: number): Float64Array {
      if (!Number.isInteger(n) || n < 0) throw new Error(`normals(n): n must be an integer ≥ 0, got ${n}`);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = normal();
      return out;
    }
  };
}
