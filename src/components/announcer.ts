// A polite live region that a screen reader speaks from, apart from the visible status it
// accompanies: a training status rewritten ten times a second, if live itself, would queue
// speech faster than it can be spoken. The panel tells the announcer only what is worth
// hearing (training started or paused, samples ready), and the announcer speaks at most once
// every few seconds; a message that comes sooner waits, and a newer one replaces it, so the
// reader hears the latest state rather than a backlog.

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>)
};

/**
 * Passes messages on to `speak` at most once every `minGapMs`. The first goes at once; one that
 * arrives within the gap waits for its end, replacing any message still waiting; a message equal
 * to the last one spoken, with none waiting, is dropped.
 */
export function throttleMessages(speak: (text: string) => void, {minGapMs = 4000, clock = systemClock}: {minGapMs?: number; clock?: Clock} = {}) {
  if (!(minGapMs >= 0)) throw new Error(`minGapMs must be a number ≥ 0 (got ${minGapMs})`);
  let lastAt = -Infinity;
  let last: string | null = null;
  let pending: string | null = null;
  let timer: unknown = null;
  const flush = () => {
    timer = null;
    if (pending === null) return;
    const text = pending;
    pending = null;
    last = text;
    lastAt = clock.now();
    speak(text);
  };
  return {
    say(text: string): void {
      if (pending === null && text === last) return;
      pending = text;
      const wait = lastAt + minGapMs - clock.now();
      if (wait <= 0) {
        if (timer !== null) clock.clearTimeout(timer);
        flush();
      } else if (timer === null) timer = clock.setTimeout(flush, wait);
    },
    dispose(): void {
      if (timer !== null) clock.clearTimeout(timer);
      timer = null;
      pending = null;
    }
  };
}

/** The live region (hidden from view) with its throttle: `say` what changed, `dispose` on teardown. */
export function Announcer({minGapMs = 4000}: {minGapMs?: number} = {}): HTMLElement & {say(text: string): void; dispose(): void} {
  const region = document.createElement("div") as unknown as HTMLElement & {say(text: string): void; dispose(): void};
  region.className = "sr-only";
  region.setAttribute("role", "status");
  region.dataset.testid = "announcer";
  const throttle = throttleMessages((text) => (region.textContent = text), {minGapMs});
  region.say = throttle.say;
  region.dispose = throttle.dispose;
  return region;
}
