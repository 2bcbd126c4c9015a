// The server restarts while someone types: a node process of this test's own (dev mode, in-memory
// store) is stopped with SIGTERM, a message is written in the lobby while it is down, and the node
// is started again on the same port, empty: it forgot the lobby's messages and memberships. The
// message must arrive once, without an error; the lobby must say its history was lost, not that
// nothing was missed; and the page must be back within the 10 s backoff cap of the node being ready.
import { NodeProcess, history } from '../support/server.mjs';
import { run, check, expect, openPage, login, texts, shot, noPending, hasText, synced, sysLines, send, problems, drawerClosed, PHONE } from './harness.mjs';

export async function restartWhileTyping() {
  const port = await NodeProcess.freePort();
  const devNode = () => new NodeProcess(port, { SB_DEV_MODE: 'true' });
  let node = await devNode().start();
  const R = await openPage('rita');
  try {
    await login(R.page, node.url, 'rita-' + run);
    await synced(R.page);
    await send(R.page, 'before the restart');
    await noPending(R.page);

    check(await node.stop() === 0, 'restart: the node stops cleanly (SIGTERM)');
    await R.page.waitForSelector('#conn[data-state="offline"]', { timeout: 20000 });
    const typed = 'typed while the server was down';
    await send(R.page, typed);
    await R.page.waitForSelector('#messages .msg.pending');
    await shot(R.page, '16-restart-waiting');
    const errorsBefore = problems.length;
    node = await devNode().start();
    const readyAt = Date.now();

    await R.page.waitForSelector('#conn[data-state="online"]', { timeout: 40000 });
    const backAfter = Date.now() - readyAt;
    check(backAfter <= 15000, 'restart: the page is back within the 10 s backoff cap of the node being ready', backAfter + ' ms');
    await expect(noPending(R.page), 'restart: the message typed while the server was down is sent');
    await synced(R.page);
    await expect(hasText(R.page, typed, 1), 'restart: it shows once');
    const failed = await R.page.$$eval('#messages .msg.failed .status', els => els.map(e => e.textContent));
    check(failed.length === 0, 'restart: no "Not sent"', failed.join(' | '));
    check(problems.length === errorsBefore, 'restart: no error from the server (the send was not refused)', problems.slice(errorsBefore).join(' | '));
    const log = await history(node.url, 'room:lobby');
    check(JSON.stringify(log.map(m => m.body.text)) === JSON.stringify([typed]), 'restart: the new node stored it once', JSON.stringify(log.map(m => m.body)));
    const lines = await sysLines(R.page);
    check(lines.some(l => l.startsWith('The server lost the history of this conversation')) && !lines.some(l => /nothing missed/.test(l)),
      'restart: the lobby says its history was lost, not that nothing was missed', lines.join(' | '));
    const shown = await texts(R.page);
    check(JSON.stringify(shown) === JSON.stringify(['before the restart', typed]), 'restart: both messages, in order', shown.join(' | '));
    await shot(R.page, '17-restart-desktop');
    await R.page.setViewportSize(PHONE);
    await drawerClosed(R.page);
    await shot(R.page, '18-restart-phone');
  } finally {
    await R.context.close();
    await node.kill();
  }
}
