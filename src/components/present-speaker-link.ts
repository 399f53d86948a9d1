// Presentation mode's side of the speaker view (speaker.ts): what the speaker window is sent about
// the slide shown (static copies of this slide and the next, and the slide's notes), and the link
// over the BroadcastChannel of present-protocol.ts that sends it and takes the speaker's commands.
import {html} from "htl";
import {OFF, PENDING, type Unit} from "./present-layout.js";
import {openChannel, type AudienceState, type PresentMessage, type SpeakerAction} from "./present-protocol.js";
import {silent, type PlannedSlide} from "./slide-plan.js";

/** A static copy of some of the page's nodes, for the speaker view: canvases become images, controls keep their values. */
function staticCopy(node: Element): Element {
  const copy = node.cloneNode(true) as Element;
  const from = Array.from(node.querySelectorAll("canvas"));
  Array.from(copy.querySelectorAll("canvas")).forEach((canvas, k) => {
    const image: HTMLImageElement = html`<img>`;
    try {
      image.src = from[k].toDataURL();
    } catch {
      // a canvas that cannot be read stays blank in the preview
    }
    image.setAttribute("style", canvas.getAttribute("style") ?? "");
    image.width = from[k].clientWidth || from[k].width;
    image.height = from[k].clientHeight || from[k].height;
    canvas.replaceWith(image);
  });
  const inputs = Array.from(node.querySelectorAll("input, select, textarea"));
  Array.from(copy.querySelectorAll("input, select, textarea")).forEach((field, k) => {
    const source = inputs[k] as HTMLInputElement;
    if (field instanceof HTMLSelectElement) {
      Array.from(field.options).forEach((option, j) => option.toggleAttribute("selected", j === (source as unknown as HTMLSelectElement).selectedIndex));
    } else if (field instanceof HTMLInputElement && (field.type === "checkbox" || field.type === "radio")) field.toggleAttribute("checked", source.checked);
    else field.setAttribute("value", source.value);
  });
  for (const dead of Array.from(copy.querySelectorAll("aside.notes, .derivation-controls, script"))) dead.remove();
  for (const el of [copy, ...Array.from(copy.querySelectorAll("[id]"))]) el.removeAttribute("id");
  return copy;
}

function slideHtml(units: readonly Unit[], plan: readonly PlannedSlide[], slideIndex: number, shownSteps: number): string {
  const slide = plan[slideIndex];
  const on = new Set(slide.units);
  const stepUnits = slide.units.filter((i) => units[i].kind === "step");
  const revealed = new Set(stepUnits.slice(0, 1 + shownSteps));
  const parts: string[] = [];
  const seen = new Set<Element>();
  for (const i of slide.units) {
    const unit = units[i];
    if (silent(unit.kind) || seen.has(unit.block)) continue;
    seen.add(unit.block);
    const copy = staticCopy(unit.block);
    if (unit.block.matches(".derivation")) {
      // Keep this slide's steps, the unrevealed ones invisible, as on the audience's screen.
      const children = Array.from(unit.block.children);
      const copies = Array.from(copy.children);
      units.forEach((u, k) => {
        if (u.block !== unit.block || u.kind !== "step") return;
        for (const node of u.nodes) {
          const twin = copies[children.indexOf(node)];
          if (!twin) continue;
          if (!on.has(k)) twin.remove();
          else {
            twin.removeAttribute("hidden");
            twin.toggleAttribute(PENDING, !revealed.has(k));
          }
        }
      });
    }
    copy.removeAttribute(OFF);
    parts.push(copy.outerHTML);
  }
  return parts.join("\n");
}

/** What the speaker window is sent about the slide shown (present-protocol.ts). */
export function audienceState(doc: Document, units: readonly Unit[], plan: readonly PlannedSlide[], index: number, step: number, black: boolean): AudienceState {
  const slide = plan[index];
  const notes = slide.units.filter((i) => units[i].block.matches("aside.notes")).map((i) => units[i].block.innerHTML);
  return {
    type: "state",
    page: location.pathname,
    title: doc.title.replace(/ \|.*$/, ""),
    index,
    count: plan.length,
    step,
    steps: slide.fragments,
    notes: notes.join("\n"),
    current: slideHtml(units, plan, index, step),
    next: index + 1 < plan.length ? slideHtml(units, plan, index + 1, plan[index + 1].fragments) : null,
    black
  };
}

/** What the presenting window does for a speaker window. */
export interface SpeakerLinkHandlers {
  /** Whether the page is being presented (nothing is sent otherwise). */
  active(): boolean;
  state(): AudienceState;
  goto(index: number, step: number): void;
  command(action: SpeakerAction): void;
}

export interface SpeakerLink {
  /** Opens the speaker window; returns the words for the bar when the browser blocked it, else "". */
  open(): string;
  /** The slide changed: the speaker window hears of it when the browser is idle. */
  changed(): void;
  /** The presentation was left. */
  ended(): void;
}

export function createSpeakerLink(handlers: SpeakerLinkHandlers): SpeakerLink {
  const channel = openChannel();
  let speakerListening = false;

  // A state message after every change, built when the browser is idle so that the audience's
  // slide changes first.
  let broadcastPending = false;
  function changed() {
    if (!channel || !speakerListening || broadcastPending) return;
    broadcastPending = true;
    const run = () => {
      broadcastPending = false;
      if (handlers.active()) channel.postMessage(handlers.state());
    };
    if ("requestIdleCallback" in window) requestIdleCallback(run, {timeout: 300});
    else setTimeout(run, 50);
  }

  channel?.addEventListener("message", (event: MessageEvent<PresentMessage>) => {
    const message = event.data;
    if (message.type === "hello") {
      speakerListening = true;
      if (handlers.active()) channel.postMessage(handlers.state());
      return;
    }
    if (!handlers.active() || !("page" in message) || message.page !== location.pathname) return;
    if (message.type === "goto") handlers.goto(message.index, message.step);
    else if (message.type === "command") handlers.command(message.action);
  });

  return {
    open() {
      const speaker = window.open(new URL("./speaker", location.href).href, "ddpm-live-speaker", "popup,width=1200,height=760");
      speakerListening = true;
      return speaker ? "" : "The browser blocked the speaker window: allow pop-ups for this site.";
    },
    changed,
    ended() {
      channel?.postMessage({type: "ended", page: location.pathname} satisfies PresentMessage);
    }
  };
}
