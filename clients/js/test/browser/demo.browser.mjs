// The demo page (served by a real node, using this SDK from /sdk/switchboard.js) in headless
// Chromium, driven like a person would: two people log in and chat, one goes offline (the browser's
// own offline mode) and another loses the server (a TCP proxy cut under the page) while messages
// are sent to them; both come back and show every message once, in order, and say when they were
// offline. Then joins and a Leave that asks first, reloads, acks, a narrow window, a gap, the page on
// a phone (phone.mjs) and a server restarted while a message is typed (restart.mjs).
//
//   SB_URL=http://127.0.0.1:<port> SB_GAP_URL=... SB_JAR=... SB_SECRET=... SB_API_KEY=... node test/browser/demo.browser.mjs
//
// SB_URL: a node in dev mode (/dev/token). SB_GAP_URL: a dev-mode node keeping 3 messages per stream.
// SB_JAR, SB_SECRET, SB_API_KEY: for the node process the restart scenario starts and stops itself.
// CHROMIUM: the browser binary (default /usr/bin/chromium). SB_SHOTS: where screenshots go.
// Prints PASS/FAIL per check and "N passed, N failed"; exits 1 on any failure.
import { TcpProxy } from '../support/server.mjs';
import {
  run, check, expect, failed, openPage, login, texts, shot, noPending, hasText, synced, sysLines, send, framesOut, finish, drawerClosed,
} from './harness.mjs';
import { phone } from './phone.mjs';
import { restartWhileTyping } from './restart.mjs';

const BASE = process.env.SB_URL;
const GAP_BASE = process.env.SB_GAP_URL;
if (!BASE || !GAP_BASE) {
  console.error('set SB_URL and SB_GAP_URL (BrowserIT does)');
  process.exit(2);
}

const ALICE = 'alice-' + run;
const BOB = 'bob-' + run;
const CAROL = 'carol-' + run;

const catchupNote = page => page.$$eval('#messages .sys.catchup', els => els.map(e => e.textContent).pop());
const OFFLINE_NOTE = n => new RegExp(`^Offline \\d\\d:\\d\\d:\\d\\d–\\d\\d:\\d\\d:\\d\\d · ${n} messages? caught up$`);

let proxy = null;
try {
  // ---- 1. two people log in and see each other -------------------------------------------------
  const A = await openPage('alice');
  const B = await openPage('bob');
  await login(A.page, BASE, ALICE, '00-login');
  await login(B.page, BASE, BOB);
  const sdkSource = await A.page.evaluate(() => [...performance.getEntriesByType('resource')].map(e => new URL(e.name).pathname));
  check(sdkSource.includes('/sdk/switchboard.js') && !sdkSource.includes('/client.js'),
    'the page loads the SDK from /sdk/switchboard.js', sdkSource.filter(p => p.endsWith('.js')).join(', '));
  const connText = await A.page.textContent('#conn-text');
  check(/^Online · node \S+/.test(connText), 'connection state shows the node', connText);
  await expect(A.page.waitForSelector(`#member-list [data-user="${BOB}"]`), 'alice sees bob online in #lobby');
  await expect(B.page.waitForSelector(`#member-list [data-user="${ALICE}"]`), 'bob sees alice online in #lobby');
  check((await A.page.textContent('#conv-title')) === '# lobby', 'lobby auto-joined and selected');
  await expect(A.page.waitForFunction(() => document.querySelector('#members-count').textContent === '2'), 'lobby online count is 2');

  // ---- 2. chat ---------------------------------------------------------------------------------
  await send(A.page, 'Hello from alice, café ☕ <b>not bold</b>');
  await expect(hasText(B.page, 'Hello from alice, café ☕ <b>not bold</b>'), 'bob sees alice\'s lobby message');
  check(await B.page.$('#messages .msg .text b') === null, 'message text is not parsed as HTML');
  await noPending(A.page);
  await send(B.page, 'Hi alice, bob here');
  await expect(hasText(A.page, 'Hi alice, bob here'), 'alice sees bob\'s answer');
  await noPending(B.page);
  check(JSON.stringify((await texts(A.page)).slice(-2)) === JSON.stringify(['Hello from alice, café ☕ <b>not bold</b>', 'Hi alice, bob here']),
    'alice sees both messages once, in order (her own: optimistic + echo merged)', (await texts(A.page)).join(' | '));
  check(JSON.stringify(await texts(B.page)) === JSON.stringify(await texts(A.page)), 'both pages show the same conversation');

  await B.page.fill('#input', 'typing…');
  await B.page.dispatchEvent('#input', 'input');
  await expect(A.page.waitForFunction(n => document.querySelector('#typing').textContent.includes(n + ' is typing'), BOB),
    'typing indicator shows in the lobby');
  await B.page.fill('#input', '');
  await shot(A.page, '01-alice-lobby');

  // ---- 3. a direct message: unread badge -------------------------------------------------------
  await B.page.click(`#member-list [data-user="${ALICE}"]`);
  check((await B.page.textContent('#conv-title')) === '@ ' + ALICE, 'clicking an online user opens a DM');
  await send(B.page, 'psst, alice: a direct message');
  await B.page.waitForSelector('#messages .msg:not(.pending) .text');
  check((await texts(B.page)).length === 1, 'bob sees his sent DM once');
  const badgeSel = `#dm-list .conv[data-key="dm:${BOB}"] .badge`;
  await expect(A.page.waitForSelector(badgeSel), 'alice gets an unread badge');
  check((await A.page.textContent(badgeSel)) === '1', 'the badge says 1');
  check((await A.page.title()).startsWith('(1)'), 'page title shows the unread count', await A.page.title());
  await shot(A.page, '02-alice-dm-badge');
  await A.page.click(`#dm-list .conv[data-key="dm:${BOB}"]`);
  check((await texts(A.page)).includes('psst, alice: a direct message'), 'alice reads bob\'s DM');
  check(await A.page.$(badgeSel) === null, 'badge cleared once the DM is open');
  await A.page.click('#room-list .conv[data-key="room:lobby"]');
  await B.page.click('#room-list .conv[data-key="room:lobby"]');

  // ---- 4. bob's browser goes offline while alice sends 5 ---------------------------------------
  const before = (await texts(B.page)).length;
  await B.context.setOffline(true);
  await B.page.waitForSelector('#conn[data-state="offline"]');
  check((await B.page.textContent('#conn-main')) === 'Offline', 'bob\'s page says it is offline', await B.page.textContent('#conn-text'));
  await expect(A.page.waitForFunction(n => !document.querySelector(`#member-list [data-user="${n}"]`), BOB),
    'alice sees bob go offline');
  const burst = [1, 2, 3, 4, 5].map(i => `while bob is away #${i}`);
  for (const t of burst) await send(A.page, t);
  await noPending(A.page);
  check(true, 'alice\'s 5 messages are stored (sent)');
  check((await texts(B.page)).length === before, 'bob received nothing while offline');
  await send(B.page, 'bob, written while offline');
  await B.page.waitForSelector('#messages .msg.pending');
  const pendingStatus = await B.page.textContent('#messages .msg.pending .status');
  check(pendingStatus === 'waiting for connection…', 'a message written offline waits in the outbox', pendingStatus);
  await shot(B.page, '03-bob-offline');

  await B.context.setOffline(false);
  await B.page.waitForSelector('#conn[data-state="online"]', { timeout: 40000 });
  await expect(B.page.waitForFunction(() => [...document.querySelectorAll('#messages .sys.catchup')]
    .some(e => /caught up/.test(e.textContent))), 'bob\'s page notes the catch-up');
  await noPending(B.page);
  const after = await texts(B.page);
  const got = after.filter(t => t.startsWith('while bob is away'));
  check(JSON.stringify(got) === JSON.stringify(burst), 'bob shows all 5 once, in order', got.join(' | '));
  check(after.length === before + 6, 'nothing was duplicated or lost', `${before} → ${after.length}`);
  check(after[after.length - 1] === 'bob, written while offline', 'bob\'s offline message was sent after the catch-up', after.slice(-2).join(' | '));
  await expect(hasText(A.page, 'bob, written while offline'), 'alice receives bob\'s queued message once');
  const note = await catchupNote(B.page);
  check(OFFLINE_NOTE(5).test(note), 'the page says when bob was offline and what was caught up', note);
  await expect(A.page.waitForSelector(`#member-list [data-user="${BOB}"]`), 'alice sees bob back online');
  const hellos = framesOut.get('bob').filter(f => f.frame.type === 'hello').map(f => f.frame);
  const h = hellos[hellos.length - 1];
  const lobby = h.resume && h.resume['room:lobby'];
  check(hellos.length === 2 && /^web-/.test(h.device) && lobby && lobby.seq >= 1 && typeof lobby.epoch === 'string'
      && lobby.epoch !== '' && 'user:' + BOB in h.resume,
    'the reconnect hello carries the device id and per-stream resume positions, with their epochs',
    JSON.stringify({ device: h.device, resume: h.resume }));
  await shot(B.page, '04-bob-caught-up');

  // ---- 5. carol loses the server (the connection is cut under the page) -------------------------
  proxy = await new TcpProxy(BASE).start();
  const C = await openPage('carol');
  await login(C.page, proxy.httpUrl, CAROL);
  await expect(A.page.waitForSelector(`#member-list [data-user="${CAROL}"]`), 'alice sees carol (connected through a proxy)');
  const cBefore = (await texts(C.page)).length;
  proxy.refuse(true);
  proxy.cut();
  await C.page.waitForSelector('#conn[data-state="offline"]');
  const cConn = await C.page.textContent('#conn-text');
  check(/^Offline, reconnecting/.test(cConn), 'carol\'s page says it is offline and reconnecting', cConn);
  const cut = ['the server lost carol #1', 'the server lost carol #2', 'the server lost carol #3'];
  for (const t of cut) await send(A.page, t);
  await noPending(A.page);
  await expect(A.page.waitForFunction(n => !document.querySelector(`#member-list [data-user="${n}"]`), CAROL),
    'alice sees carol go offline');
  await shot(C.page, '05-carol-cut');
  proxy.refuse(false);
  await C.page.waitForSelector('#conn[data-state="online"]', { timeout: 40000 });
  await expect(C.page.waitForFunction(() => [...document.querySelectorAll('#messages .sys.catchup')]
    .some(e => /caught up/.test(e.textContent))), 'carol\'s page notes the catch-up');
  const cAfter = await texts(C.page);
  check(JSON.stringify(cAfter.slice(cBefore)) === JSON.stringify(cut), 'carol shows all 3 once, in order', cAfter.slice(cBefore).join(' | '));
  const cNote = await catchupNote(C.page);
  check(OFFLINE_NOTE(3).test(cNote), 'the page says when carol was offline', cNote);
  await shot(C.page, '06-carol-back');
  await C.context.close();

  // ---- 6. join and leave a room ----------------------------------------------------------------
  const room = 'dev-' + run;
  await A.page.fill('#join-input', room);
  await A.page.press('#join-input', 'Enter');
  await expect(A.page.waitForFunction(r => document.querySelector('#conv-title').textContent === '# ' + r, room),
    'joining a room by name opens it');
  check(!!(await A.page.$(`#room-list .conv[data-key="room:${room}"]`)), 'the room is listed');
  const empty = await A.page.textContent('#messages .empty-state');
  check(empty.includes(`Everyone in #${room} sees what you write here`) && !/seq|stream/.test(empty),
    'the empty room says who will see what is written, in plain words', empty);
  await A.page.click('#leave');
  await expect(A.page.waitForSelector('#leave-dialog[open]'), 'Leave asks first');
  check((await A.page.textContent('#leave-question')) === `Leave #${room}?`, 'the question names the room');
  await shot(A.page, '06-leave-dialog');
  await A.page.click('#leave-dialog button[value="cancel"]');
  await A.page.waitForSelector('#leave-dialog', { state: 'hidden' });
  check(!!(await A.page.$(`#room-list .conv[data-key="room:${room}"]`)) && !framesOut.get('alice').some(f => f.frame.type === 'leave'),
    'Cancel keeps the room: no leave is sent');
  await A.page.click('#leave');
  await A.page.click('#leave-dialog button[value="leave"]');
  await expect(A.page.waitForFunction(r => !document.querySelector(`#room-list .conv[data-key="room:${r}"]`), room),
    'confirming removes it');
  check((await A.page.textContent('#conv-title')) === '# lobby', 'leaving goes back to the lobby');

  // ---- 7. reload: resume from localStorage, no duplicates --------------------------------------
  const idsBefore = await B.page.$$eval('#messages .msg', els => els.map(e => e.dataset.id));
  await B.page.reload();
  await B.page.waitForSelector('#conn[data-state="online"]', { timeout: 20000 });
  await send(A.page, 'after bob reloaded');
  await expect(hasText(B.page, 'after bob reloaded'), 'bob gets a message after his reload');
  const ids = await B.page.$$eval('#messages .msg', els => els.map(e => e.dataset.id));
  check(new Set(ids).size === ids.length && ids.length === idsBefore.length + 1,
    'after a reload the history is intact, with no duplicates', `${idsBefore.length} → ${ids.length}`);
  const reloadHello = framesOut.get('bob').filter(f => f.frame.type === 'hello').pop().frame;
  const lobbyFrom = reloadHello.resume && reloadHello.resume['room:lobby'];
  check(lobbyFrom && lobbyFrom.seq >= 8 && typeof lobbyFrom.epoch === 'string' && lobbyFrom.epoch !== '',
    'the reloaded page resumes from its stored positions, with their epochs', JSON.stringify(reloadHello.resume));
  // a reload with nothing new is no news: no divider, no toast, however often
  await synced(B.page);
  const linesBefore = await sysLines(B.page);
  for (let i = 0; i < 2; i++) {
    await B.page.reload();
    await synced(B.page);
  }
  const linesAfter = await sysLines(B.page);
  check(JSON.stringify(linesAfter) === JSON.stringify(linesBefore), 'two more reloads add no divider',
    `${linesBefore.length} → ${linesAfter.length}: ${linesAfter.slice(-2).join(' | ')}`);
  const toasts = await B.page.$$eval('#toasts .toast', els => els.map(e => e.textContent));
  check(toasts.length === 0, 'and show no toast', toasts.join(' | '));

  // ---- 8. acks: batched, at most one per stream per second -------------------------------------
  for (const who of ['alice', 'bob']) {
    const acks = await (async () => {
      const deadline = Date.now() + 10000;
      for (;;) {
        const a = framesOut.get(who).filter(f => f.frame.type === 'ack');
        if (a.length > 0 || Date.now() > deadline) return a;
        await new Promise(r => setTimeout(r, 50));
      }
    })();
    const perStream = new Map();
    let tooFast = 0;
    for (const a of acks) {
      const prev = perStream.get(a.frame.stream);
      if (prev && a.t - prev < 900) tooFast++;
      perStream.set(a.frame.stream, a.t);
    }
    check(acks.length > 0 && tooFast === 0, `${who}'s acks are batched (≤ 1/s per stream)`,
      acks.map(a => a.frame.stream.replace(/-\w+$/, '') + '@' + a.frame.seq).join(', '));
  }

  // ---- 9. narrow window ------------------------------------------------------------------------
  await A.page.setViewportSize({ width: 390, height: 760 });
  await expect(drawerClosed(A.page), 'a narrow window hides the sidebar behind a menu button');
  await A.page.click('#menu');
  await A.page.waitForFunction(() => document.querySelector('#sidebar').getBoundingClientRect().left >= 0);
  await shot(A.page, '07-narrow-drawer');
  check(!(await A.page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth)), 'no horizontal overflow at 390 px');

  // ---- 10. a gap, on a node that keeps only 3 messages per stream ------------------------------
  const G = await openPage('gap-sender');
  const D = await openPage('gap-receiver');
  await login(G.page, GAP_BASE, 'gina-' + run);
  await login(D.page, GAP_BASE, 'dave-' + run);
  await expect(D.page.waitForSelector(`#member-list [data-user="gina-${run}"]`), 'dave sees gina');
  await send(G.page, 'first');
  await expect(hasText(D.page, 'first'), 'dave gets the first message');
  await D.context.setOffline(true);
  await D.page.waitForSelector('#conn[data-state="offline"]');
  for (let i = 1; i <= 6; i++) await send(G.page, 'burst ' + i);
  await noPending(G.page);
  await D.context.setOffline(false);
  await D.page.waitForSelector('#conn[data-state="online"]', { timeout: 40000 });
  await expect(D.page.waitForSelector('#messages .sys.gap'), 'a gap note appears');
  const gapText = await D.page.textContent('#messages .sys.gap');
  await expect(hasText(D.page, 'burst 6'), 'the retained messages follow');
  const dTexts = await texts(D.page);
  const lobbyStart = dTexts.indexOf('first');
  check(gapText === '3 messages sent while you were away are no longer kept by the server and were missed.',
    'the gap note says how many were missed, in words', gapText);
  check(JSON.stringify(dTexts.slice(lobbyStart)) === JSON.stringify(['first', 'burst 4', 'burst 5', 'burst 6']),
    'after the gap come the 3 messages the log kept', dTexts.join(' | '));
  await shot(D.page, '08-gap');
  await G.context.close();
  await D.context.close();
  await A.context.close();
  await B.context.close();

  // ---- 11. on a phone ---------------------------------------------------------------------------
  await phone(BASE);

  // ---- 12. the server restarts while a message is typed -----------------------------------------
  await restartWhileTyping();
} catch (e) {
  failed(e);
} finally {
  if (proxy) await proxy.close();
}
await finish();
