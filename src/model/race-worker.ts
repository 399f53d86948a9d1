// The race worker: runs the GAN and the DDPM of the fair race (race.ts) off the page's main thread,
// so the page stays responsive for the half-minute a race takes, and both models share one thread
// and one backend. Its own worker, apart from the Training page's: the two do different jobs and
// either can be stopped without touching the other. Terminating it frees every tensor it made.
import {tf, probeAllBackends} from "./tfjs-browser.js";
import {message, type BackendName} from "./backends.js";
import {runRace} from "./race.js";
import type {RaceReply, RaceRequest} from "./race-protocol.js";
import {DEFAULT_SCHEDULE, makeSchedule} from "../lib/schedule.js";

interface WorkerScope {
  postMessage(message: RaceReply, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<RaceRequest>) => void) | null;
}
const scope = globalThis as unknown as WorkerScope;
const post = (reply: RaceReply, transfer: Transferable[] = []) => scope.postMessage(reply, transfer);
const schedule = makeSchedule(DEFAULT_SCHEDULE);

let backend: BackendName | null = null;
/** The id of the race in flight (null: none), and the ids asked to stop. */
let current: number | null = null;
const stopped = new Set<number>();

/** Chooses the backend once: the fastest that works, or the one asked for when it works. */
async function chooseBackend(wanted: BackendName | "auto"): Promise<{backend: BackendName; note?: string}> {
  if (backend && (wanted === "auto" || wanted === backend)) return {backend};
  const {probes, preferred} = await probeAllBackends();
  let chosen = preferred;
  let note: string | undefined;
  if (wanted !== "auto") {
    const probe = probes.find((p) => p.name === wanted);
    if (probe?.ok) chosen = wanted;
    else note = `${wanted} is not available here (${probe?.detail ?? "unknown"}); using ${preferred}.`;
  }
  if (!chosen || !(await tf.setBackend(chosen))) throw new Error("no tfjs backend works in this browser");
  backend = chosen;
  return {backend, note};
}

async function race(request: Extract<RaceRequest, {type: "race"}>): Promise<void> {
  const {id} = request;
  if (current !== null) throw new Error("a race is already running: stop it first");
  current = id;
  try {
    const chosen = await chooseBackend(request.backend);
    post({type: "ready", id, ...chosen});
    const tensorsBefore = tf.memory().numTensors;
    const outcome = await runRace(tf, schedule, request.dataset, request.options, {
      onProgress: (progress) => post({type: "progress", id, progress}),
      onResult: (run) => post({type: "result", id, run}, [run.x0.buffer]),
      shouldStop: () => stopped.has(id)
    });
    const {stopped: wasStopped, warmupMs, reference} = outcome;
    post({type: "done", id, stopped: wasStopped, warmupMs, reference, tensorsBefore, tensorsAfter: tf.memory().numTensors}, reference ? [reference.x0.buffer] : []);
  } finally {
    current = null;
    stopped.delete(id);
  }
}

scope.onmessage = (event) => {
  const request = event.data;
  if (request.type === "stop") {
    if (current === request.id) stopped.add(request.id);
    return;
  }
  race(request).catch((error) => post({type: "error", id: request.id, message: message(error)}));
};
