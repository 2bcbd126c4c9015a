// The admin console (/admin, served by the nodes) in headless Chromium, against a clustered pair:
// log in (a wrong key and an API key refused first), see both nodes with live connection counts that
// follow real WebSocket clients, look a user up, publish to a room and see a client receive it,
// disconnect that client's session and see it closed with 4403, cancel a drain. Screenshots of the
// desktop (1280x800) and a phone (390x844) go to SB_SHOTS.
//
//   SB_URL=http://127.0.0.1:<a> SB_URL_B=http://127.0.0.1:<b> SB_ADMIN_KEY=... SB_API_KEY=... SB_SECRET=... \
//     node test/browser/admin.browser.mjs
//
// AdminConsoleIT starts the nodes and sets these. Prints PASS/FAIL per check; exits 1 on any failure.
import WebSocket from 'ws';
import { check, expect, failed, openPage, shot, finish, problems, run, PHONE } from './harness.mjs';
import { tokenFor, waitFor, wsUrl } from '../support/server.mjs';

const A = process.env.SB_URL;
const B = process.env.SB_URL_B;
const ADMIN_KEY = process.env.SB_ADMIN_KEY;
const API_KEY = process.env.SB_API_KEY;
if (!A || !B || !ADMIN_KEY || !API_KEY) {
  console.error('set SB_URL, SB_URL_B, SB_ADMIN_KEY, SB_API_KEY and SB_SECRET (AdminConsoleIT does)');
  process.exit(2);
}
const DESKTOP = { width: 1280, height: 800 };
const USER = 'ada-' + run;
const ROOM = 'ops-' + run;

/** A real WebSocket client of the protocol: hello, then every frame kept; answers pings. */
async function connect(base, user, device) {
  const ws = new WebSocket(wsUrl(base));
  const c = { ws, frames: [], closed: null };
  ws.on('message', d => {
    const f = JSON.parse(d);
    c.frames.push(f);
    if (f.type === 'ping') ws.send('{"type":"pong"}');
  });
  ws.on('close', (code, reason) => { c.closed = { code, reason: String(reason) }; });
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  ws.send(JSON.stringify({ type: 'hello', token: tokenFor(user), device }));
  c.welcome = await waitFor(() => c.frames.find(f => f.type === 'welcome'), { what: `welcome of ${user} on ${device} (frames: ${JSON.stringify(c.frames)})` });
  return c;
}

const nodeCard = name => `.node[data-node="${name}"]`;
const connectionsOf = (page, name) => page.$eval(`${nodeCard(name)} .metric-value`, e => Number(e.textContent));
const login = async (page, key) => {
  await page.fill('#login-key', key);
  await page.click('#login-button');
};

const clients = [];
try {
  // ---- 1. log in -------------------------------------------------------------------------------
  const { page } = await openPage('admin', DESKTOP);
  await page.goto(A + '/admin');
  check(new URL(page.url()).pathname === '/admin/', '/admin leads to the console', page.url());
  await shot(page, 'admin-00-login');
  await login(page, 'not-a-key-at-all-0123456789');
  await expect(page.waitForFunction(() => /wrong API key/.test(document.querySelector('#login-error').textContent)),
    'a wrong key is refused on the login form');
  await login(page, API_KEY);
  await expect(page.waitForFunction(() => /API key does not open/.test(document.querySelector('#login-error').textContent)),
    'an API key is refused: it does not open the console');
  check(await page.evaluate(() => sessionStorage.length === 0), 'a refused key is not kept');
  await login(page, ADMIN_KEY);
  await expect(page.waitForSelector('#app:not([hidden])'), 'the admin key logs in');
  check(await page.evaluate(() => document.cookie === ''), 'no cookie is set');

  // ---- 2. two nodes, live counts -----------------------------------------------------------------
  await expect(page.waitForFunction(() => document.querySelectorAll('.node[data-state="ready"]').length === 2),
    'both nodes of the pair are shown, ready');
  const names = await page.$$eval('.node', els => els.map(e => e.dataset.node));
  const [nameA, nameB] = [names[0], names[1]];
  const before = [await connectionsOf(page, nameA), await connectionsOf(page, nameB)];
  check(before[0] === 0 && before[1] === 0, 'no connections before the clients come', before.join(', '));
  const phone = await connect(A, USER, 'phone');
  const laptop = await connect(B, USER, 'laptop');
  const other = await connect(A, 'bea-' + run, 'tablet');
  clients.push(phone, laptop, other);
  check(phone.welcome.node !== laptop.welcome.node, 'the user has a session on each node',
    `${phone.welcome.node}, ${laptop.welcome.node}`);
  await expect(page.waitForFunction(([a, b]) => {
    const n = name => Number(document.querySelector(`.node[data-node="${name}"] .metric-value`).textContent);
    return n(a) + n(b) === 3 && n(a) >= 1 && n(b) >= 1;
  }, [nameA, nameB], { timeout: 10000 }), 'the counts follow the clients that connected (3 over two nodes)');
  check((await connectionsOf(page, phone.welcome.node)) === 2 && (await connectionsOf(page, laptop.welcome.node)) === 1,
    'each node shows its own connections', `${phone.welcome.node}: ${await connectionsOf(page, phone.welcome.node)}`);
  check(/^3 connections/.test((await page.textContent('#summary')).split(' · ')[1] + ''), 'the summary adds them up',
    await page.textContent('#summary'));
  check((await page.$$('.node .spark-line[points]')).length >= 8, 'each node draws its sparklines');
  await shot(page, 'admin-01-cluster');

  // ---- 3. look up the user -------------------------------------------------------------------------
  await page.click('[data-tab="user"]');
  await page.fill('#user-id', USER);
  await page.click('#user-form button[type="submit"]');
  await expect(page.waitForFunction(() => document.querySelectorAll('#user-view [data-session]').length === 2),
    'the user shows two open sessions');
  const rows = await page.$$eval('#user-view tbody tr', trs => trs.map(tr => [...tr.children].map(td => td.textContent)));
  const phoneRow = rows.find(r => r[0] === phone.welcome.session);
  check(phoneRow && phoneRow[1] === phone.welcome.node && phoneRow[2] === 'phone' && phoneRow[3] === '127.0.0.1',
    'a session shows its node, device and IP', JSON.stringify(phoneRow));

  // ---- 4. add to a room, publish to it, the client receives it -------------------------------------
  await page.fill('#user-view input[aria-label="Room to add the user to"]', ROOM);
  await page.click('#user-view form.row button[type="submit"]');
  await expect(page.waitForFunction(r => document.querySelector('#user-view').textContent.includes(r), ROOM),
    'the user is added to a room from the console');
  await waitFor(() => phone.frames.some(f => f.type === 'joined' && f.room === ROOM), { what: 'joined frame' });
  await page.click('[data-tab="publish"]');
  await page.selectOption('#publish-kind', 'room');
  await page.fill('#publish-to', ROOM);
  const text = 'maintenance at noon ' + run;
  await page.fill('#publish-body', JSON.stringify({ text }));
  await page.click('#publish-button');
  await expect(page.waitForFunction(r => /Stored as room:\S+ #1/.test(document.querySelector('#publish-result').textContent), ROOM),
    'publishing answers the stored seq');
  await expect(waitFor(() => phone.frames.some(f => f.type === 'message' && f.stream === 'room:' + ROOM && f.body.text === text),
    { what: 'the published message at the phone' }), 'a connected client receives what the console published');
  await expect(waitFor(() => laptop.frames.some(f => f.type === 'message' && f.body && f.body.text === text),
    { what: 'the published message at the laptop' }), 'the client on the other node receives it too');

  // ---- 5. the room ----------------------------------------------------------------------------------
  await page.click('[data-tab="room"]');
  await page.fill('#room-id', ROOM);
  await page.click('#room-form button[type="submit"]');
  await expect(page.waitForFunction(t => document.querySelector('#room-view').textContent.includes(t), text),
    'the room shows its last message');
  const roomText = await page.textContent('#room-view');
  check(roomText.includes(USER) && /Head seq1/.test(roomText) && /last 1000 messages, at most 7d/.test(roomText),
    'the room shows members, head seq and retention');
  await shot(page, 'admin-02-room');

  // ---- 6. disconnect the phone's session --------------------------------------------------------------
  await page.click('[data-tab="user"]');
  await page.click('#user-form button[type="submit"]');
  await page.waitForSelector(`#user-view [data-session="${phone.welcome.session}"]`);
  await shot(page, 'admin-03-user');
  await page.click(`#user-view [data-session="${phone.welcome.session}"]`);
  await expect(waitFor(() => phone.closed, { what: 'the phone closed' }), 'the session is closed');
  check(phone.closed && phone.closed.code === 4403, 'closed with 4403', JSON.stringify(phone.closed));
  check(laptop.closed === null, 'the user\'s other session stays open');
  await expect(page.waitForFunction(() => document.querySelectorAll('#user-view [data-session]').length === 1),
    'the user shows one session left');
  await expect(page.waitForFunction(() => /^2 connections$/.test(document.querySelector('#summary').textContent.split(' · ')[1])),
    'the cluster counts one connection fewer');

  // ---- 7. drain asks first ------------------------------------------------------------------------------
  await page.click('[data-tab="cluster"]');
  await page.click(`${nodeCard(nameB)} button.danger`);
  await expect(page.waitForSelector('#confirm[open]'), 'draining a node asks for confirmation');
  await shot(page, 'admin-04-drain-confirm');
  await page.click('#confirm button[value="cancel"]');
  await page.waitForFunction(() => !document.querySelector('#confirm').open);
  check((await page.getAttribute(nodeCard(nameB), 'data-state')) === 'ready', 'cancelled: the node is still ready');

  // ---- 8. traffic shows in the rates -------------------------------------------------------------------
  // each rate shows for one refresh of its node's entry: messages go on until both were seen
  const rateSeen = index => page.waitForFunction(i => [...document.querySelectorAll('.node .metric-value')]
    .some((e, k) => k % 4 === i && Number(e.textContent) > 0), index, { timeout: 20000 }).then(() => true);
  const seen = { in: false, out: false };
  const watchers = [rateSeen(1).then(v => { seen.in = v; }), rateSeen(2).then(v => { seen.out = v; })];
  const deadline = Date.now() + 20000;
  // and at least 70 of them, so that the room's history has more than a page (step 9)
  for (let n = 0; (n < 70 || !(seen.in && seen.out)) && Date.now() < deadline; n++) {
    await fetch(A + '/api/v1/streams/' + encodeURIComponent('room:' + ROOM) + '/messages', {
      method: 'POST', headers: { authorization: 'Bearer ' + API_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({ body: { text: 'load ' + n } }),
    });
    await new Promise(r => setTimeout(r, 50)); // the pace of the traffic (20 messages a second), not a wait for anything
  }
  await Promise.allSettled(watchers);
  check(seen.in, 'messages in per second show the traffic');
  check(seen.out, 'messages out per second show the deliveries');
  await shot(page, 'admin-05-cluster-traffic');

  // ---- 9. the room's stream, page by page -------------------------------------------------------------
  await page.click('[data-tab="stream"]');
  await page.fill('#stream-name', 'room:' + ROOM);
  const head = (await (await fetch(A + '/api/v1/streams/' + encodeURIComponent('room:' + ROOM) + '/messages?limit=1',
    { headers: { authorization: 'Bearer ' + API_KEY } })).json()).head;
  await page.fill('#stream-from', String(head - 10));
  await page.click('#stream-form button[type="submit"]');
  const seqs = () => page.$$eval('#stream-view tbody tr td:first-child', tds => tds.map(td => Number(td.textContent)));
  await expect(page.waitForFunction(() => document.querySelectorAll('#stream-view tbody tr').length === 11),
    `the history from seq ${head - 10} shows the last 11 messages`);
  check(JSON.stringify(await seqs()) === JSON.stringify(Array.from({ length: 11 }, (_, k) => head - 10 + k)), 'in order',
    (await seqs()).join(','));
  const older = Math.max(1, head - 60);
  await page.click('#stream-view button:has-text("Older")');
  await expect(page.waitForFunction(o => document.querySelector('#stream-view tbody tr td').textContent === String(o), older),
    `the older page starts at seq ${older}`);
  check((await seqs()).length === 50 && !(await page.isDisabled('#stream-view button:has-text("Newer")')),
    'a page holds 50 messages, and Newer leads on', `${(await seqs()).length} rows, head ${head}`);
  await page.click('#stream-view button:has-text("Newer")');
  await expect(page.waitForFunction(f => document.querySelector('#stream-view tbody tr td').textContent === String(f), older + 50),
    'Newer shows the page after it');
  check((await seqs()).at(-1) === head && await page.isDisabled('#stream-view button:has-text("Newer")'),
    'up to the head, with nothing newer', (await seqs()).join(','));
  await shot(page, 'admin-06-stream');

  // ---- 10. on a phone --------------------------------------------------------------------------------------
  const small = await openPage('admin-phone', PHONE);
  await small.page.goto(A + '/admin/');
  await login(small.page, ADMIN_KEY);
  await small.page.waitForFunction(() => document.querySelectorAll('.node[data-state="ready"]').length === 2);
  const overflow = await small.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, 'the phone-sized page does not scroll sideways', `${overflow}px`);
  await shot(small.page, 'admin-07-phone-cluster');
  await small.page.click('[data-tab="user"]');
  await small.page.fill('#user-id', USER);
  await small.page.click('#user-form button[type="submit"]');
  await small.page.waitForSelector('#user-view [data-session]');
  const button = await small.page.$eval('#user-view [data-session]', b => b.getBoundingClientRect().right);
  check(button <= PHONE.width, 'the phone shows a session\'s Disconnect button whole', `right edge at ${button}px`);
  await shot(small.page, 'admin-08-phone-user');
} catch (e) {
  failed(e);
} finally {
  for (const c of clients) c.ws.terminate();
}
// the refused keys of the login steps are 401 and 403 answers the browser reports as console errors
for (let i = problems.length - 1; i >= 0; i--) {
  if (/status of 40[13]/.test(problems[i])) problems.splice(i, 1);
}
await finish();
