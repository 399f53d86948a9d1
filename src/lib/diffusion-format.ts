/**
 * The compact binary format of a precomputed forward diffusion (data loader → page).
 *
 * One little-endian Float32Array:
 *   [0] K   number of snapshots          [1] N   points per snapshot     [2] D   dimension
 *   [3 … 3+K)        the timesteps t of the snapshots (t = 0 is the data itself)
 *   [3+K … 3+K+K·N·D) snapshot k, point n, coordinate d at 3 + K + (k·N + n)·D + d
 * Point n is the same particle in every snapshot, so the snapshots form N trajectories of the
 * Markov chain q(x_t | x_{t−1}) (Eq. 2).
 */
export interface ForwardDiffusion {
  timesteps: number[];
  points: number;
  dim: number;
  /** snapshots[k] holds the N·D coordinates at timesteps[k], interleaved. */
  snapshots: Float32Array[];
}

const HEADER = 3;

export function encodeForwardDiffusion({timesteps, points, dim, snapshots}: ForwardDiffusion): Uint8Array {
  if (snapshots.length !== timesteps.length) throw new Error(`${timesteps.length} timesteps but ${snapshots.length} snapshots`);
  const K = timesteps.length;
  const out = new Float32Array(HEADER + K + K * points * dim);
  out.set([K, points, dim]);
  out.set(timesteps, HEADER);
  snapshots.forEach((snapshot, k) => {
    if (snapshot.length !== points * dim) throw new Error(`snapshot ${k} holds ${snapshot.length} values, expected ${points * dim}`);
    out.set(snapshot, HEADER + K + k * points * dim);
  });
  // Float32Array is little-endian on every platform a browser or Node runs on.
  return new Uint8Array(out.buffer);
}

export function decodeForwardDiffusion(buffer: ArrayBuffer): ForwardDiffusion {
  if (buffer.byteLength % 4 !== 0 || buffer.byteLength < HEADER * 4) throw new Error("not a forward-diffusion file");
  const data = new Float32Array(buffer);
  const [K, points, dim] = data;
  if (data.length !== HEADER + K + K * points * dim) {
    throw new Error(`forward-diffusion file has ${data.length} values, its header promises ${HEADER + K + K * points * dim}`);
  }
  const timesteps = Array.from(data.subarray(HEADER, HEADER + K));
  const snapshots = timesteps.map((_, k) => data.subarray(HEADER + K + k * points * dim, HEADER + K + (k + 1) * points * dim));
  return {timesteps, points, dim, snapshots};
}

/**
 * About `count` timesteps from 0 to T, denser at small t where the data changes fastest:
 * quadratic spacing, rounded and deduplicated.
 */
export function snapshotTimesteps(T: number, count = 40): number[] {
  const ts = new Set<number>([0]);
  for (let k = 1; k < count; k++) ts.add(Math.max(1, Math.round(T * (k / (count - 1)) ** 2)));
  return Array.from(ts).sort((a, b) => a - b);
}
