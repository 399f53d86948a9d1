// Messages between the race panel (RaceSession, race-session.ts) and the race worker (race-worker.ts).
import type {BackendName} from "./backends.js";
import type {EpsReference, RaceDataset, RaceOptions, RaceProgress, RunWithSamples} from "./race.js";

export type RaceRequest =
  /** Runs one race; the worker keeps tfjs (and its backend) between races. */
  | {type: "race"; id: number; backend: BackendName | "auto"; dataset: RaceDataset; options: RaceOptions}
  /** Ends the race in flight at its next turn (within one slice, ~100 ms), freeing its tensors. */
  | {type: "stop"; id: number};

export type RaceReply =
  | {type: "ready"; id: number; backend: BackendName; note?: string}
  | {type: "progress"; id: number; progress: RaceProgress}
  | {type: "result"; id: number; run: RunWithSamples}
  /** The race ended, finished or stopped; tfjs's tensor count before it started and after it ended. */
  | {type: "done"; id: number; stopped: boolean; warmupMs: number; reference?: EpsReference; tensorsBefore: number; tensorsAfter: number}
  | {type: "error"; id: number; message: string};
