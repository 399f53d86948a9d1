// Shared by the forward/<dataset>.bin.ts loaders: a dataset's points and their diffusion by the
// Markov chain q(x_t|x_{t−1}) (Eq. 2) under the paper's schedule, saved at about 40 timesteps,
// denser at small t, in the format of src/lib/diffusion-format.ts. Fixed seeds make the file
// byte-identical on every build.
import {sampleDataset, type DatasetId} from "../lib/datasets.js";
import {chainSnapshots} from "../lib/forward.js";
import {createRng} from "../lib/random.js";
import {DEFAULT_SCHEDULE, makeSchedule} from "../lib/schedule.js";
import {encodeForwardDiffusion, snapshotTimesteps} from "../lib/diffusion-format.js";

export const FORWARD_POINTS = 2000;
export const FORWARD_SNAPSHOTS = 40;

export function forwardDiffusionFile(id: DatasetId): Uint8Array {
  const schedule = makeSchedule(DEFAULT_SCHEDULE);
  const x0 = sampleDataset(id, FORWARD_POINTS, 1);
  const timesteps = snapshotTimesteps(schedule.T, FORWARD_SNAPSHOTS);
  const snapshots = chainSnapshots(schedule, x0, timesteps, createRng(2)).map((s) => Float32Array.from(s));
  return encodeForwardDiffusion({timesteps, points: FORWARD_POINTS, dim: 2, snapshots});
}

export function writeForwardDiffusion(id: DatasetId): void {
  process.stdout.write(forwardDiffusionFile(id));
}
