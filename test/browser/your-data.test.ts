// The reader's own dataset on the Forward page, as a reader meets it: drawing with a mouse, a
// finger and a pen, erasing and undoing; pasting, opening and dropping CSV; every kind of bad input
// refused in words with the previous data kept; the data kept over a reload (or said not to be,
// where storage is blocked); a share link that carries them to a fresh browser.
import {test} from "node:test";
import assert from "node:assert/strict";
import type {BrowserContext, Page} from "playwright-core";
import {assertClean, useSite, visit} from "./harness.ts";

const site = useSite();
const YOUR_DATA = "Your data (draw or paste)";
const STORAGE_KEY = "ddpm-live:your-data";

/** The Dataset picker: the select that offers your data (other selects on the page may render first). */
const picker = (page: Page) => page.locator("select", {has: page.locator("option", {hasText: YOUR_DATA})});

async function openYourData(page: Page): Promise<void> {
  await picker(page).selectOption({label: YOUR_DATA});
  await page.waitForSelector(".data-drawer-pad", {state: "visible", timeout: 30_000});
}

const pointCount = (page: Page) => page.$eval(".data-drawer-summary", (el) => Number((el as HTMLElement).dataset.points));
const summary = async (page: Page) => (await page.locator(".data-drawer-summary").textContent()) ?? "";

/** Waits until the drawer's status line matches `pattern`, and returns it. */
async function status(page: Page, pattern: RegExp): Promise<string> {
  await page.waitForFunction((source) => new RegExp(source).test(document.querySelector(".data-drawer-message")?.textContent ?? ""), pattern.source, {timeout: 30_000}).catch(async () => {
    throw new Error(`status never matched ${pattern}; it reads: ${await page.locator(".data-drawer-message").textContent()}`);
  });
  return (await page.locator(".data-drawer-message").textContent()) ?? "";
}

/** Waits until the Forward page's cloud shows `n` points of your data at step t, and returns its label. */
async function diffusedLabel(page: Page, n: number, t: number): Promise<string> {
  const pattern = `^${n} points of Your data after ${t} steps`;
  await page.waitForFunction((source) => [...document.querySelectorAll(".point-cloud")].some((el) => new RegExp(source).test(el.getAttribute("aria-label") ?? "")), pattern, {timeout: 30_000});
  return page.$$eval(".point-cloud", (els) => els.map((el) => el.getAttribute("aria-label") ?? "").find((l) => l.includes("Your data")) ?? "");
}

async function padBox(page: Page): Promise<{x: number; y: number; width: number; height: number}> {
  await page.locator(".data-drawer-pad").scrollIntoViewIfNeeded();
  const box = await page.locator(".data-drawer-pad").boundingBox();
  assert.ok(box, "the pad has no box");
  return box;
}

/** A stroke of synthetic Pointer Events of one pointer type, from (fx0, fy0) to (fx1, fy1) in fractions of the pad. */
async function pointerStroke(page: Page, pointerType: "touch" | "pen", from: [number, number], to: [number, number], steps = 20): Promise<void> {
  await page.$eval(
    ".data-drawer-pad",
    (pad, {pointerType, from, to, steps}) => {
      // No named helper functions in here: the test's compiler would wrap them in a helper the page lacks.
      const rect = pad.getBoundingClientRect();
      for (let k = 0; k <= steps + 1; k++) {
        const f = Math.min(k, steps) / steps;
        const type = k === 0 ? "pointerdown" : k <= steps ? "pointermove" : "pointerup";
        pad.dispatchEvent(
          new PointerEvent(type, {
            bubbles: true,
            cancelable: true,
            pointerId: 7,
            pointerType,
            isPrimary: true,
            pressure: type === "pointerup" ? 0 : 0.5,
            buttons: type === "pointerup" ? 0 : 1,
            clientX: rect.left + rect.width * (from[0] + (to[0] - from[0]) * f),
            clientY: rect.top + rect.height * (from[1] + (to[1] - from[1]) * f)
          })
        );
      }
    },
    {pointerType, from, to, steps}
  );
}

async function paste(page: Page, text: string): Promise<void> {
  const box = page.locator(".data-drawer textarea");
  // Playwright types a fill in one insertion whose cost grows with the square of its length here
  // (48 kB: 45 s), so long texts arrive as a paste does: the value at once, then one input event.
  if (text.length < 4000) await box.fill(text);
  else {
    await box.evaluate((el, value) => {
      (el as HTMLTextAreaElement).value = value;
      el.dispatchEvent(new Event("input", {bubbles: true}));
    }, text);
  }
  await page.getByRole("button", {name: "Use pasted points"}).click();
}

const csvLines = (n: number, f = (j: number) => `${(j % 10) * 0.3},${Math.floor(j / 10) * 0.2}`) => Array.from({length: n}, (_, j) => f(j)).join("\n");

async function storedCount(page: Page): Promise<number> {
  return page.evaluate((key) => {
    const text = localStorage.getItem(key);
    return text ? JSON.parse(text).raw.length / 2 : 0;
  }, STORAGE_KEY);
}

test("a shape drawn with the mouse is standardised, diffused on the Forward page, checked, and still there after a reload", async () => {
  const context = await site.browser.newContext({viewport: {width: 1280, height: 900}});
  const visited = await visit(context, site.origin, "/forward");
  const {page} = visited;
  await openYourData(page);
  assert.match(await summary(page), /No points yet/);
  assert.match(await page.locator(".point-cloud, .data-drawer-empty").first().textContent().then((t) => t ?? ""), /at least 40 points/);

  // An L-shaped stroke with the mouse.
  const box = await padBox(page);
  await page.mouse.move(box.x + 0.3 * box.width, box.y + 0.2 * box.height);
  await page.mouse.down();
  for (let k = 1; k <= 25; k++) await page.mouse.move(box.x + 0.3 * box.width, box.y + (0.2 + 0.024 * k) * box.height);
  for (let k = 1; k <= 25; k++) await page.mouse.move(box.x + (0.3 + 0.016 * k) * box.width, box.y + 0.8 * box.height);
  await page.mouse.up();
  await page.waitForFunction(() => Number((document.querySelector(".data-drawer-summary") as HTMLElement)?.dataset.points) >= 40);
  const n = await pointCount(page);
  assert.ok(n >= 40 && n <= 5000, `${n} points drawn`);
  assert.match(await summary(page), new RegExp(`Your data: ${n.toLocaleString("en")} points \\(drawn\\)\\. The model sees them centred by subtracting \\(\\S+, \\S+\\) and scaled by 1/\\S+ to unit variance`));
  assert.match(await summary(page), /Kept in this browser\./);

  // Diffused with the chain at the page's timesteps: the default step, then the last.
  assert.match(await diffusedLabel(page, n, 95), /forward process/);
  await page.$eval(".step-slider input", (input) => {
    const el = input as HTMLInputElement;
    el.value = el.max;
    el.dispatchEvent(new Event("input", {bubbles: true}));
  });
  await diffusedLabel(page, n, 1000);
  // The chain-versus-jump check runs on your points too.
  await page.waitForFunction((count) => new RegExp(`t = 1000: .* ${count} points`).test(document.querySelector("[data-testid=check]")?.textContent ?? ""), n.toLocaleString("en"));
  assert.equal(await page.$eval("[data-testid=check]", (el) => (el as HTMLElement).dataset.status), "pass");
  // And the honest section fits a mixture with the stated number of components.
  await page.waitForFunction(() => /12-component Gaussian mixture fitted to your points/.test(document.querySelector("[data-testid=fit-statement]")?.textContent ?? ""));

  // A reload keeps the drawing.
  await page.reload({waitUntil: "load"});
  await openYourData(page);
  assert.equal(await pointCount(page), n);
  // The page's link keeps the step too (?t=1000), so the reload shows the last step again.
  await diffusedLabel(page, n, 1000);
  await assertClean(visited);
  await context.close();
});

test("at phone width a finger (a tap and a stroke) and a pen draw; the pen erases; undo and clear work", async () => {
  const context = await site.browser.newContext({viewport: {width: 390, height: 844}, hasTouch: true, isMobile: true, deviceScaleFactor: 2});
  const visited = await visit(context, site.origin, "/forward");
  const {page} = visited;
  await openYourData(page);
  const box = await padBox(page);
  assert.ok(box.width <= 390 && box.x >= 0 && box.x + box.width <= 390, `the pad fits the phone: ${JSON.stringify(box)}`);
  assert.equal(await page.$eval(".data-drawer-pad", (el) => getComputedStyle(el).touchAction), "none");

  // A real tap: the browser turns the touch into pointer events of type "touch".
  await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForFunction(() => Number((document.querySelector(".data-drawer-summary") as HTMLElement)?.dataset.points) > 0);
  const afterTap = await pointCount(page);
  assert.ok(afterTap > 0 && afterTap <= 6, `a tap adds one dab: ${afterTap}`);

  await pointerStroke(page, "touch", [0.2, 0.3], [0.8, 0.3]);
  const afterTouch = await pointCount(page);
  assert.ok(afterTouch > afterTap + 20, `a touch stroke adds points: ${afterTap} → ${afterTouch}`);
  await pointerStroke(page, "pen", [0.5, 0.1], [0.5, 0.9]);
  const afterPen = await pointCount(page);
  assert.ok(afterPen > afterTouch + 20, `a pen stroke adds points: ${afterTouch} → ${afterPen}`);
  await diffusedLabel(page, afterPen, 95);

  // The pen erases along the horizontal stroke.
  await page.locator(".data-drawer").getByLabel("Erase").check();
  await pointerStroke(page, "pen", [0.15, 0.3], [0.85, 0.3], 40);
  const message = await status(page, /^Erased \d+ points?\.$/);
  const afterErase = await pointCount(page);
  assert.equal(afterErase, afterPen - Number(/Erased (\d+)/.exec(message)![1]));
  assert.ok(afterErase < afterPen);
  await page.getByRole("button", {name: "Undo"}).click();
  assert.equal(await pointCount(page), afterPen);
  await page.getByRole("button", {name: "Clear"}).click();
  assert.equal(await pointCount(page), 0);
  await status(page, /Cleared\. Undo brings the points back\./);
  assert.equal(await storedCount(page), 0);
  await page.getByRole("button", {name: "Undo"}).click();
  assert.equal(await pointCount(page), afterPen);
  await assertClean(visited);
  await context.close();
});

test("the brush's radius and points per dab set how many points a click adds and how far they spread", async () => {
  const context = await site.browser.newContext({viewport: {width: 1280, height: 900}});
  const visited = await visit(context, site.origin, "/forward");
  const {page} = visited;
  await openYourData(page);
  const drawer = page.locator(".data-drawer");
  const setNumber = async (name: string, value: number) => {
    const input = drawer.getByRole("spinbutton", {name});
    await input.fill(String(value));
    await input.dispatchEvent("input");
  };
  /** Clears, clicks once at the pad's centre, and returns the points added and their widest spread (in pad units). */
  const click = async (): Promise<{n: number; spread: number}> => {
    if ((await pointCount(page)) > 0) await drawer.getByRole("button", {name: "Clear"}).click();
    const box = await padBox(page);
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await page.waitForFunction(() => Number((document.querySelector(".data-drawer-summary") as HTMLElement)?.dataset.points) > 0);
    const raw = await storedRaw(page);
    let spread = 0;
    for (let i = 0; i < raw.length; i += 2) for (let j = 0; j < i; j += 2) spread = Math.max(spread, Math.hypot(raw[i] - raw[j], raw[i + 1] - raw[j + 1]));
    return {n: raw.length / 2, spread};
  };
  await setNumber("Points per dab", 1);
  assert.equal((await click()).n, 1);
  await setNumber("Points per dab", 30);
  await setNumber("Brush radius (px)", 3);
  const narrow = await click();
  assert.equal(narrow.n, 30);
  await setNumber("Brush radius (px)", 60);
  const wide = await click();
  assert.equal(wide.n, 30);
  // The pad shows 7 data units across about 358 px: a 3 px dab spans at most 0.12, a 60 px one up to 2.3.
  assert.ok(narrow.spread <= 0.13, `a 3 px dab spreads ${narrow.spread}`);
  assert.ok(wide.spread > 5 * narrow.spread, `a 60 px dab spreads ${wide.spread}, a 3 px one ${narrow.spread}`);
  await assertClean(visited);
  await context.close();
});

test("pasted, opened and dropped CSV is used; every kind of bad input is refused in words and the data stay", async () => {
  const context = await site.browser.newContext({viewport: {width: 1280, height: 900}});
  const visited = await visit(context, site.origin, "/forward");
  const {page} = visited;
  await openYourData(page);
  await paste(page, `x,y\n${csvLines(50)}`);
  await status(page, /^Loaded 50 points from the pasted text \(the first line, "x,y", read as column names\)\.$/);
  assert.equal(await pointCount(page), 50);
  await diffusedLabel(page, 50, 95);

  const kept = "Nothing was changed: your 50 points are kept.";
  const bad: [string, string, RegExp][] = [
    ["empty", "", /There are no points\. Draw, paste or load at least 40 points/],
    ["too few", csvLines(12), /Only 12 points; at least 40 are needed/],
    ["too many", csvLines(5001), /5,001 points is more than the limit of 5,000/],
    ["non-numeric", `1,2\nfoo,3\n${csvLines(45)}`, /Line 2: x = "foo" is not a number\./],
    ["missing field", `1,2\n3,4\n5\n${csvLines(45)}`, /Line 3 has one value \("5"\); each line needs exactly two/],
    ["empty field", `${csvLines(45)}\n,7`, /Line 46: x is missing\./],
    ["NaN", `1,NaN\n${csvLines(45)}`, /Line 1: y is NaN; every value must be a finite number\./],
    ["infinite", `1,2\n-Infinity,3\n${csvLines(45)}`, /Line 2: x is infinite \(-Infinity\)/],
    ["overflow", `1e999,2\n${csvLines(45)}`, /Line 1: x = 1e999 is too large to be a finite number/]
  ];
  for (const [name, text, pattern] of bad) {
    await paste(page, text);
    const said = await status(page, pattern);
    assert.ok(said.startsWith("The pasted text could not be used."), `${name}: ${said}`);
    assert.ok(said.endsWith(kept), `${name}: ${said}`);
    assert.equal(await page.$eval(".data-drawer-message", (el) => (el as HTMLElement).dataset.kind), "error", name);
    assert.equal(await pointCount(page), 50, name);
    assert.equal(await storedCount(page), 50, name);
  }

  // Files: not text by type, not text by content, then a good one.
  const fileInput = page.locator(".data-drawer input[type=file]");
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  await fileInput.setInputFiles({name: "picture.png", mimeType: "image/png", buffer: png});
  assert.match(await status(page, /picture\.png is not a text file/), /its type is image\/png.*Nothing was changed: your 50 points are kept\./);
  await fileInput.setInputFiles({name: "binary.csv", mimeType: "text/csv", buffer: png});
  await status(page, /binary\.csv is not a text file \(it is not valid UTF-8 text\)/);
  assert.equal(await pointCount(page), 50);
  await fileInput.setInputFiles({name: "points.csv", mimeType: "text/csv", buffer: Buffer.from(csvLines(60))});
  await status(page, /^Loaded 60 points from points\.csv\.$/);
  assert.equal(await pointCount(page), 60);
  assert.match(await summary(page), /60 points \(points\.csv\)/);

  // A file dropped on the drawer.
  await page.$eval(
    ".data-drawer-pad",
    (pad, text) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], "dropped.txt", {type: "text/plain"}));
      pad.dispatchEvent(new DragEvent("dragover", {bubbles: true, cancelable: true, dataTransfer: transfer}));
      pad.dispatchEvent(new DragEvent("drop", {bubbles: true, cancelable: true, dataTransfer: transfer}));
    },
    csvLines(70)
  );
  await status(page, /^Loaded 70 points from dropped\.txt\.$/);
  assert.equal(await pointCount(page), 70);
  await diffusedLabel(page, 70, 95);
  await assertClean(visited);
  await context.close();
});

async function shareLink(page: Page): Promise<string> {
  await page.getByRole("button", {name: "Make a share link"}).click();
  await status(page, /A link to your [\d,]+ points is in the box below/);
  return page.locator(".data-drawer input[aria-label='Share link']").inputValue();
}

async function storedRaw(page: Page): Promise<number[]> {
  return page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? "{}").raw ?? [], STORAGE_KEY);
}

test("a share link carries the data to a fresh browser; a link too long is refused with the limit; a bad link changes nothing", async () => {
  const contextA: BrowserContext = await site.browser.newContext({viewport: {width: 1280, height: 900}});
  const a = await visit(contextA, site.origin, "/forward");
  await openYourData(a.page);
  await a.page.locator(".data-drawer select").selectOption({label: "Two moons"});
  await a.page.getByRole("button", {name: "Load it"}).click();
  await status(a.page, /Loaded 1,000 points of Two moons/);
  const link = await shareLink(a.page);
  // The page's own state (?dataset=custom, and the step if moved) rides along in the query.
  assert.match(link, new RegExp(`^${site.origin}/forward(\\?[^#]*)?#data=[A-Za-z0-9_-]+$`));
  assert.ok(link.length < 8000, `link of ${link.length} characters`);
  const original = await storedRaw(a.page);

  // Too many points for a link: refused, and the data and the old link stay as they were.
  await paste(a.page, csvLines(1500));
  await status(a.page, /^Loaded 1,500 points/);
  await a.page.getByRole("button", {name: "Make a share link"}).click();
  await status(a.page, /No share link: 1,500 points need a link of [\d,]+ characters; a share link holds at most 1,398 points/);
  assert.equal(await pointCount(a.page), 1500);
  await assertClean(a);
  await contextA.close();

  // A fresh browser (no storage) opens the link: the data arrive and "Your data" is shown.
  const contextB = await site.browser.newContext({viewport: {width: 1280, height: 900}});
  const b = await visit(contextB, site.origin, link.slice(site.origin.length));
  await b.page.waitForSelector(".data-drawer-pad", {state: "visible", timeout: 30_000});
  await status(b.page, /^Loaded 1,000 points from the shared link\.$/);
  assert.equal(await pointCount(b.page), 1000);
  assert.match(await summary(b.page), /1,000 points \(a shared link\)/);
  await diffusedLabel(b.page, 1000, 95);
  assert.ok(!b.page.url().includes("#data="), `the address keeps the data: ${b.page.url()}`);
  // Within half a 16-bit step of each coordinate's range.
  const received = await storedRaw(b.page);
  assert.equal(received.length, original.length);
  for (const d of [0, 1]) {
    const values = original.filter((_, i) => i % 2 === d);
    const span = Math.max(...values) - Math.min(...values);
    const worst = Math.max(...values.map((v, j) => Math.abs(received[2 * j + d] - v)));
    assert.ok(worst <= span / 131070 + 1e-12, `coordinate ${d}: error ${worst}, span ${span}`);
  }
  await assertClean(b);
  await b.page.close();

  // Bad links: damaged, cut short, from another version. Each says so and keeps the 1,000 points.
  const payload = link.split("#data=")[1];
  for (const [hash, pattern] of [
    ["#data=not*base64", /not base64url text/],
    [`#data=${payload.slice(0, 101)}`, /damaged|not base64url/],
    ["#data=Ag", /format version 2/]
  ] as const) {
    const c = await visit(contextB, site.origin, `/forward${hash}`);
    await openYourData(c.page);
    const said = await status(c.page, new RegExp(`The shared link's data could not be used: .*${pattern.source}`));
    assert.match(said, /Nothing was changed: your 1,000 points are kept\./);
    assert.equal(await pointCount(c.page), 1000);
    await assertClean(c);
    await c.page.close();
  }
  await contextB.close();
});

test("where the browser blocks storage, drawing still works and the drawer says the data will not be kept", async () => {
  const context = await site.browser.newContext({viewport: {width: 1280, height: 900}});
  await context.addInitScript(() => {
    Object.defineProperty(window, "localStorage", {
      get() {
        throw new DOMException("The operation is insecure.", "SecurityError");
      }
    });
  });
  const visited = await visit(context, site.origin, "/forward");
  const {page} = visited;
  await openYourData(page);
  assert.match(await summary(page), /Not kept after a reload: this browser does not let the page store data\./);
  await paste(page, csvLines(45));
  await status(page, /^Loaded 45 points/);
  assert.match(await summary(page), /45 points \(pasted\).*Not kept after a reload/);
  await diffusedLabel(page, 45, 95);
  // Other parts of the page that use storage may log their own failures; this drawer must add none.
  await assertClean(visited, {ignore: /localStorage|insecure/i});
  await context.close();
});
