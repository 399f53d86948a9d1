// The screen-reader announcer's throttle: at most one message per gap, the latest state wins,
// repeats are dropped. A hand-driven clock stands in for time.
import {test} from "node:test";
import assert from "node:assert/strict";
import {throttleMessages, type Clock} from "../../src/components/announcer.js";

function fakeClock() {
  let now = 0;
  let timers: {at: number; callback: () => void; id: number}[] = [];
  let nextId = 1;
  const clock: Clock = {
    now: () => now,
    setTimeout: (callback, ms) => {
      const id = nextId++;
      timers.push({at: now + ms, callback, id});
      return id;
    },
    clearTimeout: (id) => {
      timers = timers.filter((t) => t.id !== id);
    }
  };
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      timers = timers.filter((t) => t !== due);
      now = due.at;
      due.callback();
    }
    now = end;
  };
  return {clock, advance};
}

test("a stream of status updates becomes one announcement per gap, each the latest", () => {
  const {clock, advance} = fakeClock();
  const spoken: [number, string][] = [];
  const {say} = throttleMessages((text) => spoken.push([clock.now(), text]), {minGapMs: 4000, clock});
  // Ten updates a second for ten seconds, as the training status arrives.
  for (let i = 0; i < 100; i++) {
    say(`step ${i}`);
    advance(100);
  }
  advance(10_000);
  assert.deepEqual(spoken, [
    [0, "step 0"],
    [4000, "step 39"],
    [8000, "step 79"],
    [12000, "step 99"]
  ]);
});

test("a message after a quiet spell is spoken at once; a repeat of the last one is not", () => {
  const {clock, advance} = fakeClock();
  const spoken: string[] = [];
  const {say} = throttleMessages((text) => spoken.push(text), {minGapMs: 3000, clock});
  say("Training started.");
  advance(5000);
  say("Paused at step 120.");
  assert.deepEqual(spoken, ["Training started.", "Paused at step 120."]);
  advance(5000);
  say("Paused at step 120.");
  advance(5000);
  assert.deepEqual(spoken, ["Training started.", "Paused at step 120."]);
});

test("dispose drops a waiting message; a bad gap is named", () => {
  const {clock, advance} = fakeClock();
  const spoken: string[] = [];
  const throttle = throttleMessages((text) => spoken.push(text), {minGapMs: 3000, clock});
  throttle.say("a");
  throttle.say("b");
  throttle.dispose();
  advance(10_000);
  assert.deepEqual(spoken, ["a"]);
  assert.throws(() => throttleMessages(() => {}, {minGapMs: Number.NaN}), /minGapMs must be a number ≥ 0 \(got NaN\)/);
});
