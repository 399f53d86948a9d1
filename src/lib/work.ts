// Computations in slices: a long pure computation is written as a generator that yields the
// fraction done, so a page can run it between frames (runAsync) and a test at once (runSync).

/** A computation in slices: yields the fraction done (0 … 1), returns its result. */
export type Work<T> = Generator<number, T, void>;

/** Runs a Work to completion at once (tests, small inputs). */
export function runSync<T>(work: Work<T>): T {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
  }
}

/**
 * Runs a Work in slices of about `sliceMs` milliseconds, yielding to the event loop between them so
 * that a page stays responsive; reports the fraction done after each slice.
 */
export async function runAsync<T>(work: Work<T>, {sliceMs = 30, onProgress}: {sliceMs?: number; onProgress?: (done: number) => void} = {}): Promise<T> {
  let start = performance.now();
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
    if (performance.now() - start > sliceMs) {
      onProgress?.(step.value);
      await new Promise((resolve) => setTimeout(resolve, 0));
      start = performance.now();
    }
  }
}
