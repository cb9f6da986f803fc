// Drives the local preview in headless Chromium: renders, value changes, layout events,
// buttons, lock and finish; screenshots of the docs' examples.
//   node preview.mjs '{"demo": URL, "examples": [URL, ...], "out": DIR}'
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";

const config = JSON.parse(process.argv[2]);
mkdirSync(config.out, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
});
const fail = (m) => { throw new Error(m); };
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
  page.on("pageerror", (e) => fail("page error: " + e.message));
  await page.goto(config.demo);
  const block = (id) => page.locator(`#layout [data-block-id="${id}"]`).first();
  await block("header").waitFor();
  if ((await block("header").textContent()) !== "Send the client a meeting link") fail("header not rendered");
  if (!(await block("details").isHidden())) fail("the hidden list is shown");

  // a layoutEvent link: the server's widget answers with setLayoutItemState(visible)
  await page.getByText("Details", { exact: true }).click();
  await block("details").waitFor({ state: "visible" });

  // the primary button with empty fields: errors on the fields
  await page.locator("#primaryButton").click();
  await page.locator("#layout .b24-error", { hasText: "Enter the contact's name" }).waitFor();

  // value changes go to the server, and the errors clear on save
  await page.locator('input[data-block-id="name"]').fill("Ann Smith");
  await page.locator('input[data-block-id="name"]').press("Tab");
  await page.locator('input[data-block-id="email"]').fill("ann@example.com");
  await page.locator('input[data-block-id="email"]').press("Tab");
  await page.locator("#primaryButton").click();
  await page.waitForSelector("body.finished");
  if (await page.locator(".b24-error").count() > 0) fail("errors still shown after a valid save");
  const state = await page.locator("#primaryButton").getAttribute("class");
  if (!state.includes("state-loading")) fail("the primary button is not loading: " + state);
  if (!(await page.locator("#primaryButton").isDisabled())) fail("a loading button takes clicks");
  const log = await page.locator("#log").textContent();
  for (const c of ["lock", "unlock", "finish"]) if (!log.includes(c)) fail("no " + c + " in the log");
  await page.screenshot({ path: `${config.out}/demo-finished.png` });

  for (const [i, url] of config.examples.entries()) {
    const p = await browser.newPage({ viewport: { width: 1100, height: 700 } });
    await p.goto(url);
    await p.locator("#layout > *").first().waitFor();
    await p.screenshot({ path: `${config.out}/doc-example-${i + 1}.png` });
    await p.close();
  }
  // the official JS SDK inside the preview's iframe sends setLayout through its own code
  const sdk = await browser.newPage({ viewport: { width: 1100, height: 700 } });
  sdk.on("pageerror", (e) => fail("sdk page error: " + e.message));
  await sdk.goto(config.sdk);
  await sdk.locator('#layout [data-block-id="section1"]').waitFor({ timeout: 15000 });
  if ((await sdk.locator('#layout [data-block-id="header"]').textContent()).trim() !== "Send the client a link to the meeting") fail("the SDK's layout is not rendered");
  const sdkLog = await sdk.locator("#log").textContent();
  if (!sdkLog.includes("getInitData") || !sdkLog.includes("setLayout")) fail("the SDK's protocol is not in the log: " + sdkLog);
  await sdk.screenshot({ path: `${config.out}/sdk-doc-example-1.png` });
  console.log("browser tests passed");
} finally {
  await browser.close();
}
