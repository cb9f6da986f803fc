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
  const open = async (url) => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    page.on("pageerror", (e) => fail("page error: " + e.message));
    await page.goto(url);
    await page.locator('#layout [data-b24-id="title"]').waitFor();
    return page;
  };
  const page = await open(config.demo);
  const hook = (id) => page.locator(`#layout [data-b24-id="${id}"]`);
  // the deal, read over REST from the local portal when the widget opened
  if ((await hook("title").textContent()) !== "Website redesign") fail("the deal's title is not shown");
  if (!(await hook("amount").textContent()).includes("1000.00 USD")) fail("the deal's amount is not shown");
  if ((await hook("title").getAttribute("data-b24-type")) !== "text") fail("no data-b24-type");
  if (!(await hook("details").isHidden())) fail("the hidden list is shown");

  // a layoutEvent link: the server's widget answers with setLayoutItemState(visible)
  await hook("more").click();
  await hook("details").waitFor({ state: "visible" });
  // the deal's user fields: its level by its label, and VIP written through a checked write
  if (!(await hook("level").textContent()).includes("Customer level: Gold")) fail("the deal's level is not shown");
  await hook("vip").click();
  await page.locator('#layout [data-b24-id="vip"]', { hasText: /^VIP$/ }).waitFor();

  // the primary button with no comment: the error on the field
  const primary = page.locator('[data-b24="primaryButton"]');
  await primary.click();
  await page.locator("#layout .b24-error", { hasText: "Write a comment first" }).waitFor();

  // a comment: lock and loading within 0.5 s of the click, before finish; then the
  // comment in the deal's timeline
  await page.locator('[data-b24-id="comment"] textarea').fill("Called the client");
  await page.locator('[data-b24-id="comment"] textarea').press("Tab");
  await page.waitForTimeout(100);
  const clicked = Date.now();
  await primary.click();
  await page.locator('[data-b24="primaryButton"][aria-busy="true"]').waitFor({ timeout: 500 });
  const loadingAfter = Date.now() - clicked;
  if (await page.locator("body.finished").count() > 0) fail("finished before the loading state was seen");
  if (!(await primary.isDisabled())) fail("a loading button takes clicks");
  await page.waitForSelector("body.finished");
  await page.locator('[data-b24="timeline"] li', { hasText: "Called the client" }).waitFor();
  if (await page.locator(".b24-error").count() > 0) fail("an error is shown after a good save");
  const log = await page.locator("#log").textContent();
  for (const c of ["lock", "unlock", "finish"]) if (!log.includes(c)) fail("no " + c + " in the log");
  await page.screenshot({ path: `${config.out}/demo-finished.png` });
  console.log(`loading shown ${loadingAfter} ms after the click`);

  // a double click saves once
  const twice = await open(config.demo);
  await twice.locator('[data-b24-id="comment"] textarea').fill("Sent the offer");
  await twice.locator('[data-b24-id="comment"] textarea').press("Tab");
  await twice.waitForTimeout(100);
  await twice.locator('[data-b24="primaryButton"]').dblclick();
  await twice.waitForSelector("body.finished");
  await twice.waitForTimeout(700);
  const saved = await twice.locator('[data-b24="timeline"] li', { hasText: "Sent the offer" }).count();
  if (saved !== 1) fail(`a double click saved ${saved} comments`);

  // two frames: while one waits on a 2 s save, the other's layout event is answered
  const slowA = await open(config.slow);
  const slowB = await open(config.slow);
  await slowA.locator('[data-b24-id="comment"] textarea').fill("A slow save");
  await slowA.locator('[data-b24-id="comment"] textarea').press("Tab");
  await slowA.waitForTimeout(100);
  await slowA.locator('[data-b24="primaryButton"]').click();
  await slowA.locator('[data-b24="primaryButton"][aria-busy="true"]').waitFor({ timeout: 500 });
  const started = Date.now();
  await slowB.locator('#layout [data-b24-id="more"]').click();
  await slowB.locator('#layout [data-b24-id="details"]').waitFor({ state: "visible", timeout: 2000 });
  const answered = Date.now() - started;
  if (answered >= 400) fail(`the other frame's event took ${answered} ms`);
  if (await slowA.locator("body.finished").count() > 0) fail("the slow save ended before the other frame was answered");
  await slowA.waitForSelector("body.finished", { timeout: 5000 });
  console.log(`another frame answered in ${answered} ms during a 2 s save`);

  // the deal changes in the portal (its REST, through the webhook): the portal sends
  // ONCRMDEALUPDATE to the app, and the open frame of that deal shows the new title
  const follow = await open(config.slow);
  const changed = await follow.request.post(config.slow + "rest/1/demowebhookcode/crm.deal.update", {
    data: { id: 1, fields: { TITLE: "Redesign, phase 2", STAGE_ID: "WON" } },
  });
  if (!changed.ok()) fail("crm.deal.update: " + changed.status());
  const changedAt = Date.now();
  await follow.locator('#layout [data-b24-id="title"]', { hasText: "Redesign, phase 2" }).waitFor({ timeout: 5000 });
  const shownAfter = Date.now() - changedAt;
  await follow.locator('#layout [data-b24-id="stage"]', { hasText: "Stage: WON" }).waitFor({ state: "attached" });
  const deliveries = await (await follow.request.get(config.slow + "portal/events")).json();
  if (!deliveries.some((d) => d.event === "ONCRMDEALUPDATE" && d.status === 200 && d.id === 1)) fail("the delivery log: " + JSON.stringify(deliveries));
  if (JSON.stringify(deliveries).includes("access_token")) fail("a token in the delivery log");
  console.log(`the open frame showed the deal's change ${shownAfter} ms after the portal saved it`);
  // and a change made on the portal's own card page reaches it the same way
  const card = await browser.newPage({ viewport: { width: 1100, height: 700 } });
  card.on("pageerror", (e) => fail("card page error: " + e.message));
  await card.goto(config.slow + "portal/crm/deal/details/1/");
  await card.locator('[data-b24="record-title"]').fill("Edited on the card");
  await card.locator('[data-b24="record-save"]').click();
  await card.waitForURL(config.slow + "portal/crm/deal/details/1/");
  if ((await card.locator('[data-b24="record-title"]').inputValue()) !== "Edited on the card") fail("the card did not keep its edit");
  await follow.locator('#layout [data-b24-id="title"]', { hasText: "Edited on the card" }).waitFor({ timeout: 5000 });

  // the local portal: the deal card shows the tab the app bound at install; opening it
  // posts the family's request into the slider's frame, which asks for its height
  const portal = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  portal.on("pageerror", (e) => fail("portal page error: " + e.message));
  // a placement inside a menu: the menu is opened first, as a user opens it
  const clickPlacement = async (page, code) => {
    const button = page.locator(`[data-b24-placement="${code}"]`).first();
    if (!(await button.isVisible())) await page.locator(`details.menu:has([data-b24-placement="${code}"]) > summary`).first().click();
    await button.click();
  };
  await portal.goto(config.demo + "portal/crm/deal/details/1/");
  await clickPlacement(portal, "CRM_DEAL_DETAIL_TAB");
  const tab = portal.frameLocator('[data-b24-frame="CRM_DEAL_DETAIL_TAB"]');
  // the tab replaces the card's columns, as Bitrix24's tabs do
  await portal.locator("#card-main").waitFor({ state: "hidden" });
  await tab.locator('[data-b24="tab-title"]', { hasText: "Website redesign" }).waitFor();
  await portal.locator("#portal-log li", { hasText: "resizeWindow" }).waitFor({ state: "attached" });
  const height = await portal.locator('[data-b24-frame="CRM_DEAL_DETAIL_TAB"]').evaluate((f) => f.style.height);
  if (height !== "180px") fail("resizeWindow not applied: " + height);
  const requestLog = await (await portal.request.get(config.demo + "portal/requests")).json();
  const sent = requestLog.find((r) => r.placement === "CRM_DEAL_DETAIL_TAB");
  if (!sent || sent.fields.AUTH_ID !== "***" || !sent.fields.PLACEMENT_OPTIONS.includes('"ID":"1"')) fail("the request log: " + JSON.stringify(requestLog));
  await portal.locator('[data-b24="request"]', { hasText: '"AUTH_ID": "***"' }).waitFor({ state: "attached" });
  await portal.screenshot({ path: `${config.out}/portal-card.png` });

  // More above the timeline: the built-in interface, drawn by the card itself
  await portal.locator('[data-b24-tab="main"]').click();
  await clickPlacement(portal, "CRM_DEAL_DETAIL_ACTIVITY");
  await portal.locator('#built-in [data-b24-id="title"]', { hasText: "Website redesign" }).waitFor().catch(async (e) => {
    // what the card saw, to tell why
    const seen = await portal.evaluate(() => [document.getElementById("portal-log").innerText, document.getElementById("built-in").innerHTML.slice(0, 2000)]);
    fail("the built-in interface was not drawn: " + e.message + "\nthe card's log: " + seen[0] + "\nbuilt-in: " + seen[1]);
  });
  await portal.locator('#built-in [data-b24="primaryButton"]').waitFor();
  await portal.screenshot({ path: `${config.out}/portal-built-in.png` });
  await portal.goto(config.demo + "portal/crm/deal/details/1/");

  // the form's client search: the app's item runs the search; its options show in the form
  await portal.locator(".b24-query").fill("dai");
  await portal.locator('[data-b24-placement="CRM_DETAIL_SEARCH"]').click();
  await portal.locator("[data-b24-found]", { hasText: "Daisy Ltd" }).waitFor().catch(async (e) => {
    const seen = await portal.evaluate(() => [document.getElementById("portal-log").innerText, document.getElementById("portal-request").innerText]);
    const frameText = await portal.frameLocator('[data-b24-frame="CRM_DETAIL_SEARCH"]').locator("body").innerText().catch((x) => "(no frame: " + x.message + ")");
    fail("the search's options were not shown: " + e.message + "\nthe card's log: " + seen[0] + "\nthe request: " + seen[1] + "\nthe frame: " + frameText);
  });
  // picking it: onCrmEntityIsNeedToCreate to the app, crmShowCreatedEntity back into the field
  await portal.locator("[data-b24-found]", { hasText: "Daisy Ltd" }).click({ position: { x: 5, y: 5 } });
  await portal.waitForFunction(() => document.querySelector(".b24-query").value === "Daisy Ltd");
  const searched = (await (await portal.request.get(config.demo + "portal/requests")).json()).find((r) => r.placement === "CRM_DETAIL_SEARCH");
  if (!searched || !searched.fields.PLACEMENT_OPTIONS.includes('"searchQuery":"dai"')) fail("the search request: " + JSON.stringify(searched));

  // every other family, reached by clicks from the home alone: the home says where each
  // placement lives, its page has it, and the handler shows the code it was sent
  for (const code of [
    "CRM_DEAL_LIST_MENU", "CRM_DEAL_LIST_TOOLBAR", "CRM_DEAL_DETAIL_TOOLBAR", "CRM_DEAL_DOCUMENTGENERATOR_BUTTON",
    "CRM_DEAL_ACTIVITY_TIMELINE_MENU", "CRM_DEAL_ROBOT_DESIGNER_TOOLBAR", "CRM_FUNNELS_TOOLBAR", "CRM_ANALYTICS_MENU",
    "CRM_ANALYTICS_TOOLBAR", "CRM_REQUISITE_AUTOCOMPLETE", "CRM_BANK_DETAIL_AUTOCOMPLETE", "BI_ANALYTICS_MENU",
  ]) {
    await portal.goto(config.demo + "portal/");
    await portal.locator(`[data-b24-home-placement="${code}"] a`).click();
    await portal.waitForLoadState();
    await clickPlacement(portal, code);
    await portal.frameLocator(`[data-b24-frame="${code}"]`).locator('[data-b24="echo"]', { hasText: code }).waitFor({ timeout: 5000 });
  }
  // and the left menu reaches every part of the CRM from the home
  await portal.goto(config.demo + "portal/");
  await portal.screenshot({ path: `${config.out}/portal-home.png` });
  for (const hook of ["deal", "lead", "contact", "company", "quote", "smart_invoice", "invoice", "order", "dynamic_183", "kanban", "automation", "analytics", "bi"]) {
    await portal.locator(`[data-b24-nav="${hook}"]`).click();
    await portal.waitForLoadState();
    if ((await portal.locator(`[data-b24-nav="${hook}"].active`).count()) !== 1) fail(`the menu's ${hook} is not the page it opened`);
    if ((await portal.locator('[data-b24="page-title"]').innerText()).trim() === "") fail(`${hook}: no title`);
  }

  // a list is the REST side's records, a page at a time
  await portal.goto(config.demo + "portal/");
  await portal.locator('[data-b24-nav="deal"]').click();
  await portal.locator('[data-b24="list"] tbody tr').first().waitFor();
  const listed = await (await portal.request.post(config.demo + "rest/" + config.webhookPath + "crm.deal.list.json", { data: { start: 0 } })).json();
  const rows = await portal.locator('[data-b24="list"] tbody tr').count();
  if (rows !== listed.result.length) fail(`the list shows ${rows} rows, crm.deal.list gives ${listed.result.length}`);
  if (await portal.locator('[data-b24="list"]').getAttribute("data-b24-total") !== String(listed.total)) fail("the list's total is not crm.deal.list's");
  const first = await portal.locator('[data-b24-row-link]').first().innerText();
  if (first !== listed.result[0].TITLE) fail(`the first row is ${first}, not ${listed.result[0].TITLE}`);
  await portal.screenshot({ path: `${config.out}/portal-list.png` });
  await portal.locator('[data-b24-page="2"]').first().click();
  await portal.waitForURL(/page=2/);
  const second = await (await portal.request.post(config.demo + "rest/" + config.webhookPath + "crm.deal.list.json", { data: { start: 50 } })).json();
  if (await portal.locator('[data-b24-row-link]').first().innerText() !== second.result[0].TITLE) fail("page 2 is not crm.deal.list's second page");

  // a card shows its fields and its timeline; a comment added over REST shows there
  await portal.request.post(config.demo + "rest/" + config.webhookPath + "crm.timeline.comment.add.json", { data: { fields: { ENTITY_ID: 2, ENTITY_TYPE: "deal", COMMENT: "Written over REST" } } });
  await portal.locator('[data-b24-row-link]').first().click();
  await portal.goto(config.demo + "portal/crm/deal/details/2/");
  await portal.locator('[data-b24-field="UF_CRM_LEVEL"]').waitFor();
  if (await portal.locator('[data-b24-field="UF_CRM_LEVEL"] option:checked').innerText() !== "Bronze") fail("the card's level is not the deal's");
  await portal.locator("[data-b24-comment] .tl-text", { hasText: "Written over REST" }).waitFor();
  await portal.locator('[data-b24="stage-bar"] [aria-current="step"]').waitFor();
  // a change made on the page is the REST side's: a stage moved, a field saved
  await portal.locator('[data-b24-stage="WON"]').click();
  await portal.waitForLoadState();
  await portal.locator('[data-b24-stage="WON"][aria-current="step"]').waitFor();
  await portal.locator('[data-b24-field="UF_CRM_DELIVERY_NOTE"]').fill("Leave it at the door");
  await portal.locator('[data-b24="record-save"]').click();
  await portal.waitForLoadState();
  await portal.locator('[data-b24-field="UF_CRM_DELIVERY_NOTE"][value="Leave it at the door"]').waitFor();
  const deal2 = await (await portal.request.post(config.demo + "rest/" + config.webhookPath + "crm.deal.get.json", { data: { id: 2 } })).json();
  if (deal2.result.STAGE_ID !== "WON" || deal2.result.UF_CRM_DELIVERY_NOTE !== "Leave it at the door") fail("the REST side does not see the card's change: " + JSON.stringify(deal2.result));
  await portal.locator('[data-b24="record-comment"]').fill("Written on the card");
  await portal.locator('[data-b24="comment-save"]').click();
  await portal.waitForLoadState();
  const comments = await (await portal.request.post(config.demo + "rest/" + config.webhookPath + "crm.timeline.comment.list.json", { data: { filter: { ENTITY_ID: 2, ENTITY_TYPE: "deal" } } })).json();
  if (!comments.result.some((c) => c.COMMENT === "Written on the card")) fail("the REST side does not see the card's comment");
  await portal.goto(config.demo + "portal/crm/deal/details/1/");
  await portal.screenshot({ path: `${config.out}/portal-card-fields.png` });
  // the kanban moves a deal through the same method
  await portal.goto(config.demo + "portal/crm/deal/kanban/");
  await portal.screenshot({ path: `${config.out}/portal-kanban.png` });
  const card3 = portal.locator('[data-b24-kanban-card="3"]');
  await card3.locator('[data-b24="kanban-move"]').selectOption("LOSE");
  await card3.locator("button").click();
  await portal.waitForLoadState();
  await portal.locator('[data-b24-column="LOSE"] [data-b24-kanban-card="3"]').waitFor();
  const deal3 = await (await portal.request.post(config.demo + "rest/" + config.webhookPath + "crm.deal.get.json", { data: { id: 3 } })).json();
  if (deal3.result.STAGE_ID !== "LOSE") fail("the kanban's move is not the REST side's");
  console.log("the local portal: every family reached from its home, lists and cards are the REST side's data, page changes reach it");

  // the deal's timeline: the app's record, written at install; its buttons do what the
  // docs say: openRestApp opens the app's slider with the record's context, restEvent
  // tells the app (onCrmTimelineItemAction), which answers by updating the record
  await portal.goto(config.demo + "portal/crm/deal/details/1/");
  const record = portal.locator("[data-b24-activity]").first();
  await record.locator(".tl-title", { hasText: "Delivery booked" }).waitFor();
  await record.locator(".tl-tag-warning", { hasText: "booked" }).waitFor();
  await record.locator("[data-b24-open-app]").click();
  const appPage = portal.frameLocator('[data-b24-frame="DEFAULT"]');
  await appPage.locator('[data-b24="echo"]', { hasText: "DEFAULT" }).waitFor({ timeout: 5000 });
  if (!(await appPage.locator("pre").textContent()).includes('"activityId"')) fail("the app's slider lacks the record's context");
  await portal.screenshot({ path: `${config.out}/portal-timeline.png` });
  await portal.locator("#slider-close").click();
  await portal.locator("#slider").waitFor({ state: "hidden" });
  // the portal's answer to the click is awaited before the page is reloaded
  const [action] = await Promise.all([
    portal.waitForResponse((r) => r.url().endsWith("/portal/timeline/action")),
    record.locator("[data-b24-rest-event]").click(),
  ]);
  // (the page reloads on the answer: its status tells, its body is gone)
  if (action.status() !== 200) fail("the portal refused the restEvent: " + action.status());
  for (let i = 0; ; i++) {
    await portal.waitForLoadState();
    if (await portal.locator("[data-b24-activity] .tl-tag-success", { hasText: "confirmed" }).count() > 0) break;
    if (i > 100) {
      const deliveries = await (await portal.request.get(config.demo + "portal/events")).json();
      fail("the app did not confirm the record: " + (await portal.locator("[data-b24-timeline]").innerText()) + "\ndeliveries: " + JSON.stringify(deliveries.slice(-12)) + "\nlog: " + (await portal.locator("#portal-log").innerText()));
    }
    await portal.waitForTimeout(100);
    await portal.reload();
  }
  console.log("the timeline record's button reached the app, which updated the record");

  // an app on the official SDK in a deal tab: it gets its init data and resizes its frame
  const sdkTab = await browser.newPage({ viewport: { width: 1100, height: 700 } });
  sdkTab.on("pageerror", (e) => fail("sdk tab page error: " + e.message));
  await sdkTab.goto(config.sdkTab);
  await sdkTab.locator('[data-b24-placement="CRM_DEAL_DETAIL_TAB"]').click();
  const sdkFrame = sdkTab.frameLocator('[data-b24-frame="CRM_DEAL_DETAIL_TAB"]');
  await sdkFrame.locator('[data-b24="sdk"]', { hasText: '"ID":"1"' }).waitFor({ timeout: 15000 });
  await sdkTab.locator("#portal-log li", { hasText: "resizeWindow" }).waitFor({ state: "attached", timeout: 15000 });
  const sdkHeight = await sdkTab.locator('[data-b24-frame="CRM_DEAL_DETAIL_TAB"]').evaluate((f) => f.style.height);
  if (sdkHeight !== "300px") fail("the SDK's resizeWindow not applied: " + sdkHeight);

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
