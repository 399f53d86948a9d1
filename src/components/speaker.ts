// The speaker view (the /speaker page, opened by the s key while presenting): the current and the
// next slide, the slide's notes, the time since the talk started and the clock. It follows the
// presenting window and drives it, both ways over a BroadcastChannel (present-protocol.ts): the
// arrow keys, Space, PageUp/PageDown, Home/End and b work here as they do there.
import {html} from "htl";
import {formatElapsed, openChannel, type AudienceState, type PresentMessage, type SpeakerAction} from "./present-protocol.js";
import {presentKeyAction, type PresentKeyAction} from "./present-keys.js";
import {SLIDE_HEIGHT, SLIDE_WIDTH} from "./present-layout.js";

/** The moves of the presentation's keys that the speaker view sends (present-keys.ts). */
const isSpeakerAction = (action: PresentKeyAction | null): action is SpeakerAction => action === "next" || action === "prev" || action === "first" || action === "last" || action === "black";

export function installSpeakerView(root: HTMLElement): void {
  const doc = root.ownerDocument;
  doc.documentElement.classList.add("speaker");
  const channel = openChannel();
  root.replaceChildren();
  root.className = "speaker-view";

  const position: HTMLSpanElement = html`<span class="speaker-position" aria-live="polite">${
    channel ? "Waiting for a presenting window: open a page, press p, then s." : "This browser has no BroadcastChannel: the speaker view cannot follow the slides."
  }</span>`;
  const elapsed: HTMLSpanElement = html`<span class="speaker-elapsed" title="time since the talk started"></span>`;
  const clock: HTMLSpanElement = html`<span class="speaker-clock"></span>`;
  const button = (label: string, title: string, onClick: () => void): HTMLButtonElement => html`<button type="button" title=${title} onclick=${onClick}>${label}</button>`;
  let started = 0; // ms timestamp; 0 until the first slide arrives
  let pausedAt = 0;
  const pause = button("Pause", "pause or resume the timer", () => {
    if (!started) return;
    if (pausedAt) {
      started += Date.now() - pausedAt;
      pausedAt = 0;
      pause.textContent = "Pause";
    } else {
      pausedAt = Date.now();
      pause.textContent = "Resume";
    }
    tick();
  });
  const reset = button("Reset", "start the timer again from 0:00", () => {
    started = Date.now();
    pausedAt = 0;
    pause.textContent = "Pause";
    tick();
  });
  const header = html`<header class="speaker-header">${[
    button("‹", "previous (Left arrow)", () => send("prev")),
    position,
    button("›", "next (Right arrow)", () => send("next")),
    elapsed,
    pause,
    reset,
    clock
  ]}</header>`;

  const frame = (label: string) => {
    const caption: HTMLElement = html`<figcaption>${label}</figcaption>`;
    const stage: HTMLDivElement = html`<div class="present-stage observablehq"></div>`;
    const box: HTMLDivElement = html`<div class="speaker-box">${stage}</div>`;
    const figure: HTMLElement = html`<figure class="speaker-frame">${caption}${box}</figure>`;
    return {figure, box, stage, caption};
  };
  const current = frame("Now");
  const upcoming = frame("Next");
  const notes: HTMLElement = html`<section class="speaker-notes" aria-label="speaker notes"></section>`;
  const slides = html`<div class="speaker-slides">${current.figure}${upcoming.figure}</div>`;
  root.append(header, slides, notes);

  let page = "";
  let last: AudienceState | null = null;

  const scale = () => {
    for (const f of [current, upcoming]) {
      const s = f.box.clientWidth / SLIDE_WIDTH;
      f.stage.style.transform = `scale(${s})`;
      f.box.style.height = `${SLIDE_HEIGHT * s}px`;
    }
  };

  function show(state: AudienceState) {
    last = state;
    page = state.page;
    if (!started) started = Date.now();
    position.textContent = `${state.title}: slide ${state.index + 1} of ${state.count}${state.steps ? `, step ${state.step + 1} of ${state.steps + 1}` : ""}${state.black ? " (black screen)" : ""}`;
    current.stage.innerHTML = state.current;
    upcoming.stage.innerHTML = state.next ?? "<p class=\"speaker-end\">End of the slides.</p>";
    current.caption.textContent = `Now: slide ${state.index + 1}`;
    upcoming.caption.textContent = state.next ? `Next: slide ${state.index + 2}` : "Next: none";
    notes.innerHTML = state.notes || "<p class=\"speaker-none\">No notes for this slide.</p>";
    scale();
    tick();
  }

  function send(action: SpeakerAction) {
    if (!channel || !page) return;
    channel.postMessage({type: "command", page, action} satisfies PresentMessage);
  }

  function tick() {
    const now = Date.now();
    elapsed.textContent = started ? formatElapsed((pausedAt || now) - started) : "0:00";
    clock.textContent = new Date(now).toLocaleTimeString([], {hour: "2-digit", minute: "2-digit"});
  }
  tick();
  setInterval(tick, 1000);
  addEventListener("resize", scale);

  channel?.addEventListener("message", (event: MessageEvent<PresentMessage>) => {
    const message = event.data;
    if (message.type === "state") show(message);
    else if (message.type === "ended" && message.page === page && last) {
      position.textContent = `${last.title}: the presentation was left (press p there to present again).`;
    }
  });
  channel?.postMessage({type: "hello"} satisfies PresentMessage);

  doc.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.target instanceof Element && event.target.closest("input, select, textarea")) return;
    const action = presentKeyAction(event.key, event.shiftKey);
    if (!isSpeakerAction(action)) return;
    event.preventDefault();
    send(action);
  });
}
