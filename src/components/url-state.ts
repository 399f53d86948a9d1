// A control's state in the page's URL, so that a presenter can prepare a link and a reader can
// share what they see: `/forward?dataset=ring-8&t=200`. The query string holds the controls
// (the hash is the slide, `#slide=7`, and the headings' anchors).
//
// How a panel adopts it (the Forward page's dataset and step are the worked example):
//
//   const datasetParam = choiceParam("dataset", DATASET_IDS, {label: "Dataset", fallback: "swiss-roll"});
//   const datasetId = view(linkToUrl(Inputs.select(DATASET_IDS, {label: "Dataset"}), datasetParam));
//   display(CopyLink());
//
// `linkToUrl` sets the control from the URL when the page opens, writes the URL (replaceState,
// no new history entry) whenever the control changes, and shows a message beside the control
// when the URL's value is unusable — out of range, unknown, text where a number goes — while the
// control takes its default. A value equal to the default is left out of the URL. A control whose
// value is not what the URL shows (the Forward page's slider holds an index, the URL the step t)
// passes `toUrl`/`fromUrl`.
//
// Everything above `linkToUrl` is free of the DOM and tested in Node.
import {html} from "htl";

/** What a parameter makes of the URL's text: a value, a problem in words, or both (a nearby value). */
export interface ParseResult<T> {
  value?: T;
  problem?: string;
}

export interface UrlParam<T> {
  /** The key in the query string. */
  name: string;
  /** The value when the URL has none, or an unusable one. */
  fallback: T;
  parse(raw: string): ParseResult<T>;
  format(value: T): string;
}

/** A whole number from `min` to `max`. */
export function intParam(name: string, {min, max, fallback}: {min: number; max: number; fallback: number}): UrlParam<number> {
  return {
    name,
    fallback,
    parse(raw) {
      const text = raw.trim();
      if (!/^[+-]?\d+$/.test(text)) return {problem: `${name} must be a whole number from ${min} to ${max}`};
      const value = Number(text);
      if (value < min || value > max) return {problem: `${name} must be from ${min} to ${max}`};
      return {value};
    },
    format: (value) => String(value)
  };
}

/** One of a list of allowed numbers (e.g. the steps a precomputed diffusion saved, or a slider's steps: `offered` names them in the message); a number in range but not in the list reads as the nearest one, with a message. */
export function nearestParam(name: string, allowed: readonly number[], {fallback, offered = "the saved steps"}: {fallback: number; offered?: string}): UrlParam<number> {
  if (allowed.length === 0) throw new Error(`nearestParam ${name}: no allowed values`);
  const min = Math.min(...allowed);
  const max = Math.max(...allowed);
  const whole = intParam(name, {min, max, fallback});
  return {
    name,
    fallback,
    parse(raw) {
      const read = whole.parse(raw);
      if (read.value === undefined) return read;
      const value = read.value;
      if (allowed.includes(value)) return {value};
      const nearest = allowed.reduce((best, v) => (Math.abs(v - value) < Math.abs(best - value) ? v : best), allowed[0]);
      return {value: nearest, problem: `${name} = ${value} is not one of ${offered}; the nearest is ${name} = ${nearest}`};
    },
    format: (value) => String(value)
  };
}

/** One of a list of names (a dataset id, a schedule kind). */
export function choiceParam<T extends string>(name: string, choices: readonly T[], {fallback}: {fallback: T}): UrlParam<T> {
  if (!choices.includes(fallback)) throw new Error(`choiceParam ${name}: the fallback ${fallback} is not one of ${choices.join(", ")}`);
  return {
    name,
    fallback,
    parse(raw) {
      const text = raw.trim();
      if ((choices as readonly string[]).includes(text)) return {value: text as T};
      return {problem: `${name} must be one of ${choices.join(", ")}`};
    },
    format: (value) => value
  };
}

/** Free text up to `maxLength` characters (a search box's words). */
export function textParam(name: string, {fallback = "", maxLength = 100}: {fallback?: string; maxLength?: number} = {}): UrlParam<string> {
  return {
    name,
    fallback,
    parse(raw) {
      if (raw.length > maxLength) return {value: raw.slice(0, maxLength), problem: `${name} may hold at most ${maxLength} characters; the rest is left out`};
      return {value: raw};
    },
    format: (value) => value
  };
}

/**
 * A number from `min` to `max`, written with `digits` decimals (a slider's step of 0.01 has 2), or
 * exactly (every digit that tells the number apart) when `digits` is left out. With `step` (a
 * slider's step from `min`), a number between two steps reads as the nearest step, with a message.
 */
export function numberParam(name: string, {min, max, fallback, digits, step}: {min: number; max: number; fallback: number; digits?: number; step?: number}): UrlParam<number> {
  const round = (value: number) => (digits === undefined ? value : Number(value.toFixed(digits)));
  return {
    name,
    fallback,
    parse(raw) {
      const text = raw.trim();
      const value = text === "" ? NaN : Number(text);
      if (!Number.isFinite(value)) return {problem: `${name} must be a number from ${min} to ${max}`};
      if (value < min || value > max) return {problem: `${name} must be from ${min} to ${max}`};
      if (step !== undefined) {
        const nearest = Math.min(max, min + Math.round((value - min) / step) * step);
        if (Math.abs(nearest - value) > 1e-9 * Math.max(1, Math.abs(value))) return {value: round(nearest), problem: `${name} must be in steps of ${step} from ${min}; the nearest is ${name} = ${round(nearest)}`};
      }
      return {value: round(value)};
    },
    format: (value) => String(round(value))
  };
}

/** A point of the plane written "x,y", each coordinate from −limit to limit (exactly, or with `digits` decimals); `null` stands for the panel's own default. */
export function pointParam(name: string, {limit, fallback, digits}: {limit: number; fallback: [number, number] | null; digits?: number}): UrlParam<[number, number] | null> {
  const coordinate = numberParam(name, {min: -limit, max: limit, fallback: 0, digits});
  return {
    name,
    fallback,
    parse(raw) {
      const read = raw.split(",").map((part) => coordinate.parse(part).value);
      if (read.length !== 2 || read.some((v) => v === undefined)) return {problem: `${name} must be two numbers "x,y", each from ${-limit} to ${limit}`};
      return {value: [read[0]!, read[1]!]};
    },
    format: (value) => (value === null ? "" : value.map((v) => coordinate.format(v)).join(","))
  };
}

/** The parameter's value in a query string ("?a=1&b=2"), with a message for the reader when the URL's value was not used as written. */
export function readParam<T>(param: UrlParam<T>, search: string): {value: T; message?: string} {
  const raw = new URLSearchParams(search).get(param.name);
  if (raw === null) return {value: param.fallback};
  const {value, problem} = param.parse(raw);
  const shown = JSON.stringify(raw.length > 40 ? `${raw.slice(0, 40)}…` : raw);
  if (value === undefined) {
    return {value: param.fallback, message: `The link sets ${param.name} to ${shown}, but ${problem ?? "that value cannot be used"}: showing the default, ${param.name} = ${param.format(param.fallback)}.`};
  }
  if (problem) return {value, message: `The link sets ${param.name} to ${shown}, but ${problem}: showing ${param.name} = ${param.format(value)}.`};
  return {value};
}

/** The query string with the parameter set to `value` (removed when it is null). Keeps the other parameters and their order. */
export function withParam(search: string, name: string, value: string | null): string {
  const params = new URLSearchParams(search);
  if (value === null) params.delete(name);
  else params.set(name, value);
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** Writes one parameter into the address bar without a new history entry; the hash (a slide) is kept. */
export function writeParam<T>(param: UrlParam<T>, value: T): void {
  writeParams([[param, value]]);
}

/** Writes several parameters with one history update (a value equal to its default is left out). */
function writeParams(entries: [UrlParam<any>, unknown][]): void {
  let search = location.search;
  for (const [param, value] of entries) {
    const formatted = param.format(value);
    search = withParam(search, param.name, formatted === param.format(param.fallback) ? null : formatted);
  }
  if (search === location.search) return;
  history.replaceState(history.state, "", `${location.pathname}${search}${location.hash}`);
}

/** The visible message about a link's unusable value (beside its control; removed once the reader chooses). */
export function urlProblem(message: string): HTMLParagraphElement {
  return html`<p class=url-problem role=status>${message}</p>` as HTMLParagraphElement;
}

/** The element a page shows in a linked control's or panel's place: the link's messages, then the control; its value is the control's. */
function linkedWrapper<V>(control: HTMLElement & {value: unknown}, names: string, messages: string[]): HTMLElement & {value: V} {
  const wrapper = html`<div class=url-linked data-param=${names}>${messages.map(urlProblem)}${control}</div>` as HTMLElement & {value: V};
  Object.defineProperty(wrapper, "value", {
    get: () => control.value,
    set: (v: V) => (control.value = v)
  });
  // The reader has chosen: the link's problems are settled.
  control.addEventListener("input", () => {
    for (const note of Array.from(wrapper.querySelectorAll(":scope > .url-problem"))) note.remove();
  });
  return wrapper;
}

type Control = HTMLElement & {value: unknown};

/** Browsers refuse a flood of history updates (a slider dragged, a point moved emit dozens a second), so a control writes the URL at most once in this long. */
const WRITE_PAUSE_MS = 150;
/** `write` throttled: at once after a quiet spell (a single change is in the URL immediately, so a reload right after keeps it), then at most once per WRITE_PAUSE_MS, and once more at the end of a burst. */
function throttled(write: () => void): () => void {
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    timer = undefined;
    last = Date.now();
    write();
  };
  return () => {
    const wait = last + WRITE_PAUSE_MS - Date.now();
    if (wait <= 0 && timer === undefined) run();
    else if (timer === undefined) timer = setTimeout(run, Math.max(0, wait));
  };
}

/**
 * Links a control (anything with `value` that fires `input`, as Framework's `view` expects) to
 * a URL parameter. Returns a wrapper that `view()` can take in the control's place: it holds the
 * control and, when the URL's value could not be used, a message saying so.
 */
export function linkToUrl<T, V = T>(
  control: Control,
  param: UrlParam<T>,
  {toControl = (v: T) => v as unknown as V, fromControl = (v: V) => v as unknown as T}: {toControl?: (value: T) => V; fromControl?: (value: V) => T} = {}
): HTMLElement & {value: V} {
  const {value, message} = readParam(param, location.search);
  control.value = toControl(value);
  const wrapper = linkedWrapper<V>(control, param.name, message ? [message] : []);
  control.addEventListener("input", throttled(() => writeParam(param, fromControl(control.value as V))));
  // A URL with a bad value is corrected at once, so that copying it shares what is shown.
  if (message) writeParam(param, value);
  return wrapper;
}

export type ParamValues<P extends Record<string, UrlParam<any>>> = {[K in keyof P]: P[K] extends UrlParam<infer T> ? T : never};

/** Several parameters at once (a panel's fields), with the messages of those the URL sets unusably. */
export function readParams<P extends Record<string, UrlParam<any>>>(params: P, search: string): {values: ParamValues<P>; messages: string[]} {
  const values = {} as ParamValues<P>;
  const messages: string[] = [];
  for (const key of Object.keys(params) as (keyof P)[]) {
    const {value, message} = readParam(params[key], search);
    values[key] = value;
    if (message) messages.push(message);
  }
  return {values, messages};
}

/**
 * Links a panel whose value holds several fields (the posterior explorer's t, x₀, x_t and σ²) to
 * the URL: the page builds the panel from `readParams(params, location.search).values`, and this
 * shows the messages of the unusable ones above it and writes every field whenever the panel's
 * value changes (`pick` reads the fields from the value). A panel whose value changes without the
 * reader's input (the Training panel's settings in force, which its worker confirms) names the
 * `event` it fires then; the messages still go when the reader changes a control.
 */
export function linkPanelToUrl<P extends Record<string, UrlParam<any>>, S>(
  panel: HTMLElement & {value: S},
  params: P,
  pick: (state: S) => ParamValues<P>,
  {event = "input"}: {event?: string} = {}
): HTMLElement & {value: S} {
  const {values, messages} = readParams(params, location.search);
  const wrapper = linkedWrapper<S>(panel, Object.values(params).map((p) => p.name).join(" "), messages);
  const write = (fields: ParamValues<P>) => writeParams((Object.keys(params) as (keyof P)[]).map((key) => [params[key], fields[key]]));
  panel.addEventListener(event, throttled(() => write(pick(panel.value))));
  if (messages.length) write(values);
  return wrapper;
}

/** A button that copies the page's address (with the controls' state) and says so; where the clipboard is not available it shows the address to copy by hand. */
export function CopyLink({label = "Copy link to this view"}: {label?: string} = {}): HTMLElement {
  const button = html`<button type=button>${label}</button>` as HTMLButtonElement;
  const status = html`<span role=status></span>` as HTMLElement;
  const root = html`<span class=copy-link>${button}${status}</span>` as HTMLElement;
  button.addEventListener("click", async () => {
    const href = location.href;
    status.textContent = "Copying…";
    try {
      await navigator.clipboard.writeText(href);
      status.textContent = "Link copied.";
    } catch {
      status.textContent = "";
      const field = html`<input readonly aria-label="the link to this view" value=${href}>` as HTMLInputElement;
      status.append("Copy this link: ", field);
      field.select();
    }
  });
  return root;
}
