// Finds the Chromium that the browser tests, the benchmark and the screenshot scripts drive
// (playwright-core downloads no browser). Looked for, in order: $CHROMIUM_PATH, the system's
// Chromium or Chrome, Playwright's browser cache. `ensureChromium` (called by `npm test`) installs
// Debian's package when none is found and it may (root, apt-get, no terminal prompt needed);
// otherwise it says in one line what to run.
import {spawnSync} from "node:child_process";
import {existsSync, readdirSync} from "node:fs";
import {homedir} from "node:os";
import {join} from "node:path";

const SYSTEM = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/snap/bin/chromium",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable"
];

/** Executables inside Playwright's browser cache (newest revision first). */
function playwrightCache(): string[] {
  const root = process.env.PLAYWRIGHT_BROWSERS_PATH || join(homedir(), ".cache", "ms-playwright");
  if (!existsSync(root)) return [];
  const found: string[] = [];
  for (const dir of readdirSync(root).filter((d) => /^chromium(_headless_shell)?-\d+$/.test(d)).sort().reverse()) {
    for (const exe of ["chrome-linux/chrome", "chrome-linux64/chrome", "chrome-linux/headless_shell", "chrome-headless-shell-linux64/chrome-headless-shell"]) {
      const path = join(root, dir, exe);
      if (existsSync(path)) found.push(path);
    }
  }
  return found;
}

/**
 * The browser to drive, or null. A CHROMIUM_PATH that names no file is an error in itself (the
 * reader asked for that browser), not a reason to pick another.
 */
export function findChromium(): string | null {
  const asked = process.env.CHROMIUM_PATH;
  if (asked) {
    if (!existsSync(asked)) throw new Error(`CHROMIUM_PATH is set to ${asked}, which does not exist`);
    return asked;
  }
  return [...SYSTEM, ...playwrightCache()].find((path) => existsSync(path)) ?? null;
}

const HOW = "install Chromium (Debian/Ubuntu: sudo apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium or Chrome executable";

/**
 * Returns a browser path, installing Debian's Chromium first when none is found and this process
 * may do so without asking (root, apt-get present). Throws one line that says what to run when it
 * cannot.
 */
export function ensureChromium(log: (line: string) => void = console.log): string {
  const found = findChromium();
  if (found) return found;
  const root = typeof process.getuid === "function" && process.getuid() === 0;
  const aptGet = ["/usr/bin/apt-get", "/bin/apt-get"].find((p) => existsSync(p));
  if (!root || !aptGet) throw new Error(`No Chromium found for the browser tests: ${HOW}.`);
  log("No Chromium found: installing Debian's chromium package with apt-get (once per machine)…");
  const env = {...process.env, DEBIAN_FRONTEND: "noninteractive"};
  for (const args of [["update", "-qq"], ["install", "-y", "-qq", "chromium"]]) {
    const result = spawnSync(aptGet, args, {env, stdio: ["ignore", "inherit", "inherit"]});
    if (result.status !== 0) throw new Error(`apt-get ${args.join(" ")} failed (exit ${result.status}): ${HOW}.`);
  }
  const installed = findChromium();
  if (!installed) throw new Error(`apt-get installed chromium but no executable was found: ${HOW}.`);
  return installed;
}

// `node --import tsx test/chromium.ts` (a stage of `npm test`): prints the browser's path, after
// installing it where it may; else one line saying what to run, and exit code 1.
if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  try {
    console.log(`Chromium: ${ensureChromium()}`);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
