// The speaker view (the /speaker page, opened by the s key while presenting): the current and the
// next slide, the slide's notes, the time since the talk started and the clock. It follows the
// presenting window and drives it, both ways over a BroadcastChannel (present-protocol.ts): the
// arrow keys, Space, PageUp/PageDown, Home/End and b work here as they do there.
import {formatElapsed, openChannel, type AudienceState, type PresentMessage, type SpeakerAction} from "./present-protocol.js";
import {SLIDE_HEIGHT, SLIDE_WIDTH} from "./present.js";

export function installSpeakerView(root: HTMLElement): void {
  const doc = root.ownerDocument;
  doc.documentElement.classList.add("speaker");
  const channel = openChannel();
  root.replaceChildren();
  root.className = "speaker-view";

  const header = doc.createElement("header");
  header.className = "speaker-header";
  const position = doc.createElement("span");
  position.className = "speaker-position";
  position.setAttribute("aria-live", "polite");
  position.textContent = channel ? "Waiting for a presenting window: open a page, press p, then s." : "This browser has no BroadcastChannel: the speaker view cannot follow the slides.";
  const elapsed = doc.createElement("span");
  elapsed.className = "speaker-elapsed";
  elapsed.title = "time since the talk started";
  const clock = doc.createElement("span");
  clock.className = "speaker-clock";
  const button = (label: string, title: string, onClick: () => void) => {
    const b = doc.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.title = title;
    b.addEventListener("click", onClick);
    return b;
  };
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
  header.append(
    button("‹", "previous (Left arrow)", () => send("prev")),
    position,
    button("›", "next (Right arrow)", () => send("next")),
    elapsed,
    pause,
    reset,
    clock
  );

  const frame = (label: string) => {
    const figure = doc.createElement("figure");
    figure.className = "speaker-frame";
    const caption = doc.createElement("figcaption");
    caption.textContent = label;
    const box = doc.createElement("div");
    box.className = "speaker-box";
    const stage = doc.createElement("div");
    stage.className = "present-stage observablehq";
    box.append(stage);
    figure.append(caption, box);
    return {figure, box, stage, caption};
  };
  const current = frame("Now");
  const upcoming = frame("Next");
  const notes = doc.createElement("section");
  notes.className = "speaker-notes";
  notes.setAttribute("aria-label", "speaker notes");
  const slides = doc.createElement("div");
  slides.className = "speaker-slides";
  slides.append(current.figure, upcoming.figure);
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
    const key = event.key;
    let action: SpeakerAction | null = null;
    if (["ArrowRight", "ArrowDown", "PageDown", "n", "N"].includes(key) || (key === " " && !event.shiftKey)) action = "next";
    else if (["ArrowLeft", "ArrowUp", "PageUp"].includes(key) || (key === " " && event.shiftKey)) action = "prev";
    else if (key === "Home") action = "first";
    else if (key === "End") action = "last";
    else if (key === "b" || key === "B" || key === ".") action = "black";
    if (!action) return;
    event.preventDefault();
    send(action);
  });
}
