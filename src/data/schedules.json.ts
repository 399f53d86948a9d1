// The paper's linear schedule and the cosine schedule at T = 1000, with their derived arrays,
// for the pages' charts. Index i of every array holds timestep t = i + 1.
import {makeSchedule, signalToNoise, type Schedule} from "../lib/schedule.js";

// Nine significant digits keep the file small and byte-identical on every build while staying
// far below the precision a chart or a check on a page can see.
const round = (values: Float64Array) => Array.from(values, (v) => Number(v.toPrecision(9)));

function describe(schedule: Schedule) {
  return {
    spec: schedule.spec,
    T: schedule.T,
    beta: round(schedule.beta),
    alpha: round(schedule.alpha),
    alphaBar: round(schedule.alphaBar),
    betaTilde: round(schedule.betaTilde),
    // SNR(t) = ᾱ_t / (1 − ᾱ_t), for the Forward page's chart
    snr: round(signalToNoise(schedule))
  };
}

process.stdout.write(
  JSON.stringify({
    indexing: "index i holds timestep t = i + 1",
    linear: describe(makeSchedule({kind: "linear", T: 1000, betaStart: 1e-4, betaEnd: 0.02})),
    cosine: describe(makeSchedule({kind: "cosine", T: 1000, s: 0.008, maxBeta: 0.999}))
  })
);
