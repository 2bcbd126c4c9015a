// What the browser scenarios share: headless Chromium, checks that print PASS/FAIL, pages that
// collect what went wrong on them (page errors, console errors, error frames from the server), and
// the steps a person takes on the demo page.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const SHOTS = process.env.SB_SHOTS || join(tmpdir(), 'switchboard-browser-shots');
mkdirSync(SHOTS, { recursive: true });

/** A suffix that keeps this run's user and room names apart from earlier runs' on the same nodes. */
export const run = Date.now().toString(36).slice(-5) + Math.floor(Math.random() * 1e4).toString(36);
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1180, height: 760 };

let failures = 0;
let checks = 0;
const started = Date.now();

export function check(ok, what, detail = '') {
  checks++;
  if (!ok) failures++;
  console.log(`${ok ? 'PASS' : 'FAIL'}  ${what}${detail ? '  (' + detail + ')' : ''}`);
}

export async function expect(promise, what) {
  try {
    await promise;
    check(true, what);
  } catch (e) {
    check(false, what, e.message.split('\n')[0]);
  }
}

export function failed(e) {
  failures++;
  console.log('FAIL  ' + (e.stack || e));
}

export const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
console.log(`chromium ${browser.version()} started in ${Date.now() - started} ms`);

export const problems = [];
export const framesOut = new Map(); // label -> [{ t, frame }]

/** A page in a context of its own (its own storage, as another browser would have). */
export async function openPage(label, viewport = DESKTOP) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  framesOut.set(label, []);
  page.on('websocket', ws => ws.on('framesent', f => {
    try { framesOut.get(label).push({ t: Date.now(), frame: JSON.parse(f.payload) }); } catch (e) { /* not JSON */ }
  }));
  page.on('websocket', ws => ws.on('framereceived', f => {
    if (String(f.payload).includes('"type":"error"')) problems.push(`${label}: server error frame: ${f.payload}`);
  }));
  page.on('pageerror', e => problems.push(`${label}: page error: ${e.message}`));
  page.on('console', m => {
    if (m.type() === 'error' && !/ERR_INTERNET_DISCONNECTED|WebSocket connection|Failed to fetch|net::ERR|ERR_CONNECTION/.test(m.text())) {
      problems.push(`${label}: console error: ${m.text()}`);
    }
  });
  return { context, page };
}

export async function login(page, base, name, shotName) {
  await page.goto(base + '/');
  if (shotName) await shot(page, shotName);
  await page.fill('#login-name', name);
  await page.click('#login-button');
  await page.waitForSelector('#conn[data-state="online"]', { timeout: 20000 });
}

export const texts = page => page.$$eval('#messages .msg .text', els => els.map(e => e.textContent));
export const shot = (page, name) => page.screenshot({ path: `${SHOTS}/${name}.png` });
export const noPending = page => page.waitForFunction(() => !document.querySelector('#messages .msg.pending'), null, { timeout: 15000 });
export const hasText = (page, text, count = 1) => page.waitForFunction(([t, n]) => [...document.querySelectorAll('#messages .msg .text')]
  .filter(e => e.textContent === t).length === n, [text, count], { timeout: 15000 });
/** Online and caught up: the page shows what the server holds. */
export const synced = (page, timeout = 20000) => page.waitForSelector('#conn[data-state="online"][data-synced]', { timeout });
/** The conversation list of a narrow window has slid away (a screenshot before would catch it midway). */
export const drawerClosed = page => page.waitForFunction(() => document.querySelector('#sidebar').getBoundingClientRect().right <= 1);
export const sysLines = page => page.$$eval('#messages .sys', els => els.map(e => e.textContent));

export async function send(page, text) {
  await page.fill('#input', text);
  await page.press('#input', 'Enter');
}

/** Prints the summary and exits: 1 on any failure or problem seen on a page. */
export async function finish() {
  await browser.close();
  for (const p of problems) console.log('WARN  ' + p);
  check(problems.length === 0, 'no page errors, console errors or server error frames');
  console.log(`screenshots in ${SHOTS}; ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`${checks - failures} passed, ${failures} failed`);
  process.exit(failures ? 1 : 0);
}
