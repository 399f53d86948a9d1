/**
 * Keeping the reader's own dataset (custom-data.ts) beyond the page: the browser's storage, a share
 * link, and CSV text to download. Each reader checks what it reads again (validatePoints), since
 * storage can be edited or stale and a link can be cut short. Pure functions, no DOM.
 */
import {validatePoints, type Checked, type DataProblem} from "./custom-data.js";

const fail = <T>(...problems: DataProblem[]): Checked<T> => ({ok: false, problems});
const count = (n: number) => n.toLocaleString("en");

// ---------------------------------------------------------------------------------------------
// CSV

/** The raw points as CSV text with an "x,y" header, every value at full precision (parsePointsText reads it back exactly). */
export function formatPointsCsv(raw: ArrayLike<number>): string {
  const lines = ["x,y"];
  for (let j = 0; 2 * j + 1 < raw.length; j++) lines.push(`${raw[2 * j]},${raw[2 * j + 1]}`);
  return `${lines.join("\n")}\n`;
}

// ---------------------------------------------------------------------------------------------
// Browser storage

/** The localStorage key the dataset is kept under. */
export const STORAGE_KEY = "ddpm-live:your-data";
const STORAGE_VERSION = 1;

/** What is kept: the raw points at full precision (JSON numbers) and their source. */
export function encodeStored(raw: ArrayLike<number>, source: string): string {
  return JSON.stringify({version: STORAGE_VERSION, source, raw: Array.from(raw)});
}

/**
 * Reads what encodeStored wrote, checking it again (validatePoints, partial: a drawing in progress
 * is kept too): storage can be edited or stale.
 */
export function decodeStored(text: string): Checked<{raw: Float64Array; source: string}> {
  let stored: unknown;
  try {
    stored = JSON.parse(text);
  } catch {
    return fail({message: "The saved dataset is not readable (not JSON)."});
  }
  const s = stored as {version?: unknown; source?: unknown; raw?: unknown};
  if (!s || typeof s !== "object" || s.version !== STORAGE_VERSION) return fail({message: `The saved dataset has version ${JSON.stringify(s?.version)}; this page reads version ${STORAGE_VERSION}.`});
  if (!Array.isArray(s.raw) || !s.raw.every((v) => typeof v === "number")) return fail({message: "The saved dataset's points are not a list of numbers."});
  const checked = validatePoints(s.raw as number[], {partial: true});
  if (!checked.ok) return checked;
  return {ok: true, value: {raw: checked.value, source: typeof s.source === "string" ? s.source : "saved"}};
}

// ---------------------------------------------------------------------------------------------
// Share link

/** The URL fragment parameter that carries a dataset: #data=… */
export const LINK_PARAM = "data";
/**
 * The longest payload a share link may carry. RFC 9110 asks that URIs of at least 8,000 octets
 * work everywhere; the payload leaves room for the page's address. At 4 bytes a point plus a
 * 33-byte header, base64url-encoded, this holds about 1,390 points.
 */
export const MAX_LINK_CHARS = 7500;
const LINK_VERSION = 1;
const LINK_HEADER = 1 + 4 * 8;
const LEVELS = 65535;

/** The most points a share link holds (see MAX_LINK_CHARS). */
export const MAX_LINK_POINTS = Math.floor((Math.floor(MAX_LINK_CHARS / 4) * 3 - LINK_HEADER) / 4);

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4);
  const binary = atob(padded);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/**
 * The raw points as a link payload: version 1, the bounding box (min x, min y, max x, max y as
 * float64), then each coordinate quantised to 16 bits within the box (little-endian), base64url.
 * Decoding returns each value within (max − min)/131,070 of the original (half a quantisation
 * step). Fails, saying how many points fit, when the payload would exceed MAX_LINK_CHARS.
 */
export function encodeLink(raw: ArrayLike<number>): Checked<string> {
  const checked = validatePoints(raw);
  if (!checked.ok) return checked;
  const points = checked.value;
  const n = points.length / 2;
  const length = Math.ceil(((LINK_HEADER + 4 * n) * 4) / 3);
  if (length > MAX_LINK_CHARS) {
    return fail({message: `${count(n)} points need a link of ${count(length)} characters; a share link holds at most ${count(MAX_LINK_POINTS)} points (${count(MAX_LINK_CHARS)} characters). Erase some points, or download the CSV and share that.`});
  }
  const lo = [Infinity, Infinity];
  const hi = [-Infinity, -Infinity];
  for (let i = 0; i < points.length; i++) {
    lo[i % 2] = Math.min(lo[i % 2], points[i]);
    hi[i % 2] = Math.max(hi[i % 2], points[i]);
  }
  const buffer = new ArrayBuffer(LINK_HEADER + 4 * n);
  const view = new DataView(buffer);
  view.setUint8(0, LINK_VERSION);
  [lo[0], lo[1], hi[0], hi[1]].forEach((v, k) => view.setFloat64(1 + 8 * k, v, true));
  for (let i = 0; i < points.length; i++) {
    const d = i % 2;
    const span = hi[d] - lo[d];
    view.setUint16(LINK_HEADER + 2 * i, span > 0 ? Math.round(((points[i] - lo[d]) / span) * LEVELS) : 0, true);
  }
  return {ok: true, value: toBase64Url(new Uint8Array(buffer))};
}

/** Reads a link payload written by encodeLink, or says what is wrong with it. */
export function decodeLink(payload: string): Checked<Float64Array> {
  const bytes = fromBase64Url(payload.trim());
  if (!bytes) return fail({message: "The link's data is damaged (it is not base64url text); it may have been cut short when copied."});
  if (bytes.length === 0) return fail({message: "The link carries no data."});
  if (bytes[0] !== LINK_VERSION) return fail({message: `The link's data has format version ${bytes[0]}; this page reads version ${LINK_VERSION}.`});
  if (bytes.length < LINK_HEADER || (bytes.length - LINK_HEADER) % 4 !== 0) {
    return fail({message: "The link's data is damaged (its length is not that of whole points); it may have been cut short when copied."});
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [lox, loy, hix, hiy] = [0, 1, 2, 3].map((k) => view.getFloat64(1 + 8 * k, true));
  if (![lox, loy, hix, hiy].every(Number.isFinite) || hix < lox || hiy < loy) return fail({message: "The link's data is damaged (its bounding box is not valid)."});
  const n = (bytes.length - LINK_HEADER) / 4;
  const out = new Float64Array(2 * n);
  const lo = [lox, loy];
  const span = [hix - lox, hiy - loy];
  for (let i = 0; i < 2 * n; i++) out[i] = lo[i % 2] + (view.getUint16(LINK_HEADER + 2 * i, true) / LEVELS) * span[i % 2];
  return validatePoints(out);
}

/** The payload of `#data=…` in a URL fragment (other fragment parameters allowed), or null. */
export function linkPayload(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  return params.get(LINK_PARAM);
}

/** The fragment without its `data` parameter (others kept), e.g. to tidy the address bar after reading it. */
export function hashWithoutPayload(hash: string): string {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  params.delete(LINK_PARAM);
  const rest = params.toString();
  return rest ? `#${rest}` : "";
}
