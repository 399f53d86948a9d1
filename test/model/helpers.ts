// Shared by the model tests: tfjs on its plain-JavaScript cpu backend, and small comparisons.
import * as tf from "@tensorflow/tfjs";
import {setBackendQuietly} from "../../src/model/backends.ts";

export {tf};

let ready: Promise<void> | null = null;

/** Selects the cpu backend once (the tests are about logic and numbers, not speed). */
export function useCpu(): Promise<void> {
  ready ??= setBackendQuietly(tf, "cpu");
  return ready;
}

export {relError} from "../../src/lib/stats.ts";

export function allFinite(a: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

export function mean(a: ArrayLike<number>, from = 0, to = a.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += a[i];
  return s / (to - from);
}
