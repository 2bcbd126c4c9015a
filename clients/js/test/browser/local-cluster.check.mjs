// Checks a cluster started by deploy/local-cluster.sh, through its nginx, the way a person would
// with two browser windows: two people on different nodes chat; the node of one is killed (kill -9);
// that window reconnects to another node and shows every message once, in order.
//
//   deploy/local-cluster.sh --detach && (cd clients/js && npm run check:local-cluster)
//
// Kills a node: start it again with `deploy/local-cluster.sh node N`. Not part of `mvn verify`
// (it needs nginx, redis-server and a cluster started by the script); the same failure is
// covered there piece by piece (ClusterIT, BrowserIT, HandshakeLimitsTest for the keep-alive proxy).
import { chromium } from 'playwright-core';
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
const RUN_DIR = process.env.SWITCHBOARD_LOCAL_DIR || `${process.env.TMPDIR || tmpdir()}/switchboard-local-${process.getuid()}`;
// nginx's port as the script remembered it for this run (LB_PORT), 8080 by default
const remembered = existsSync(`${RUN_DIR}/settings`) ? readFileSync(`${RUN_DIR}/settings`, 'utf8') : '';
const BASE = process.env.SB_URL || `http://127.0.0.1:${(remembered.match(/^LB_PORT=(\d+)$/m) || [])[1] || 8080}`;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const run = Date.now().toString(36).slice(-5);
const browser = await chromium.launch({ executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
let fails = 0;
const check = (ok, what, d = '') => { if (!ok) fails++; console.log(`${ok ? 'PASS' : 'FAIL'}  ${what} ${d}`); };
async function open(name) {
  const ctx = await browser.newContext(); const page = await ctx.newPage(); page.setDefaultTimeout(20000);
  await page.goto(BASE + '/'); await page.fill('#login-name', name); await page.click('#login-button');
  await page.waitForSelector('#conn[data-state="online"]', { timeout: 30000 });
  return page;
}
const nodeOf = async p => (await p.textContent('#conn-text')).replace(/^Online · node /, '').trim();
const texts = p => p.$$eval('#messages .msg .text', els => els.map(e => e.textContent));
async function send(p, t) { await p.fill('#input', t); await p.press('#input', 'Enter'); }
const A = await open('alice-' + run);
let B = await open('bob-' + run);
for (let i = 0; i < 5 && (await nodeOf(B)) === (await nodeOf(A)); i++) { await B.context().close(); B = await open('bob-' + run); }
const na = await nodeOf(A), nb = await nodeOf(B);
check(na !== nb, 'tabs on different nodes', `${na} / ${nb}`);
await send(A, 'a1'); await send(B, 'b1');
await A.waitForFunction(() => [...document.querySelectorAll('#messages .msg .text')].some(e => e.textContent === 'b1'));
await B.waitForFunction(() => [...document.querySelectorAll('#messages .msg .text')].some(e => e.textContent === 'a1'));
check(true, 'chat across nodes through nginx');
// the PID files are node-<n>, whatever NODE_NAME_PREFIX names the nodes
const pid = readFileSync(`${RUN_DIR}/pids/node-${na.match(/(\d+)$/)[1]}`, 'utf8').trim();
execSync(`kill -9 ${pid}`);
console.log(`killed ${na} (pid ${pid}), alice's node`);
for (let i = 1; i <= 10; i++) await send(B, 'during-' + i);
await A.waitForSelector('#conn[data-state="online"]', { timeout: 60000 });
await A.waitForFunction(() => [...document.querySelectorAll('#messages .msg .text')].filter(e => e.textContent.startsWith('during-')).length >= 10, null, { timeout: 60000 });
const na2 = await nodeOf(A);
check(na2 !== na, 'alice reconnected to another node', na2);
await send(B, 'after'); 
await A.waitForFunction(() => [...document.querySelectorAll('#messages .msg .text')].some(e => e.textContent === 'after'), null, { timeout: 30000 });
const got = (await texts(A)).filter(t => t.startsWith('during-') || t === 'after' || t === 'b1' || t === 'a1');
const want = ['a1', 'b1', ...Array.from({ length: 10 }, (_, i) => 'during-' + (i + 1)), 'after'];
check(JSON.stringify(got) === JSON.stringify(want), 'alice has every message once, in order', JSON.stringify(got));
await browser.close();
console.log(fails ? `${fails} failed` : 'all passed');
process.exit(fails ? 1 : 0);
