// The messages between a presenting page (the audience's window) and the speaker view, sent on
// one BroadcastChannel of the site's origin: no server, and it works offline. Either window may
// be opened, reloaded or closed first: the speaker view says "hello" when it opens, and every
// presenting page answers with its state; from then on each sends on every change.

export const CHANNEL = "ddpm-live:present";

/** The audience's position and what the speaker needs to show it. */
export interface AudienceState {
  type: "state";
  /** The presenting page's path, e.g. "/deck": commands name it so other presenting tabs ignore them. */
  page: string;
  title: string;
  /** 0-based slide, its count; the fragments shown and the slide's number of fragments. */
  index: number;
  count: number;
  step: number;
  steps: number;
  /** The slide's speaker notes (HTML), "" if none. */
  notes: string;
  /** The current slide as the audience sees it, and the next one in full (static HTML: canvases as images), or null at the end. */
  current: string;
  next: string | null;
  /** Whether the audience sees a black screen. */
  black: boolean;
}

export type SpeakerAction = "next" | "prev" | "first" | "last" | "black";

export type PresentMessage =
  | AudienceState
  | {type: "hello"}
  | {type: "ended"; page: string}
  | {type: "command"; page: string; action: SpeakerAction}
  | {type: "goto"; page: string; index: number; step: number};

/** The site's channel, or null where the browser has none (the speaker view then cannot follow). */
export function openChannel(): BroadcastChannel | null {
  return typeof BroadcastChannel === "function" ? new BroadcastChannel(CHANNEL) : null;
}

/** Formats elapsed milliseconds as "m:ss" (or "h:mm:ss" from an hour). */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}
