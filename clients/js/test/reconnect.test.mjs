// Reconnects against real nodes: the connection cut under the client (a TCP proxy resets it, as a
// network or a dead load balancer would), a connection that goes silent (heartbeat), and a node
// process stopped with SIGTERM (1012 + reconnect hint) and started again with an empty in-memory
// store (reset: the stream's history and epoch are gone).
import test from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '../src/switchboard.js';
import { env, needsServer, uniq, tokenFor, apiSend, waitFor, record, TcpProxy, NodeProcess, wsUrl, streamEpoch } from './support/server.mjs';

const fast = { backoffBaseMs: 200, backoffCapMs: 2000 };

test('the connection is cut: the client reconnects, resumes, and gets every message once, in order',
  { skip: needsServer(), timeout: 60000 }, async t => {
    const proxy = await new TcpProxy(env.url).start();
    const bob = uniq('bob');
    const c = connect(proxy.wsUrl, { getToken: () => tokenFor(bob), device: 'laptop', ...fast });
    const r = record(c, bob);
    t.after(async () => { c.close(); await proxy.close(); });
    try {
      await waitFor(r.online, { what: 'online' });
      for (let i = 1; i <= 3; i++) await apiSend(env.url, 'user:' + bob, { text: 'before ' + i }, { from: 'alice' });
      await waitFor(() => r.messages.length === 3, { what: '3 live messages' });

      proxy.refuse(true);
      proxy.cut();
      await waitFor(() => c.state === 'offline', { what: 'offline after the cut' });
      const down = r.states.find(s => s.state === 'offline');
      assert.equal(down.code, 1006, 'a reset connection is 1006: reconnect with backoff');
      for (let i = 1; i <= 3; i++) await apiSend(env.url, 'user:' + bob, { text: 'while away ' + i }, { from: 'alice' });
      // a few attempts fail while the proxy refuses, with growing delays
      await waitFor(() => r.states.filter(s => s.state === 'offline').length >= 3, { what: 'failed attempts' });
      proxy.refuse(false);

      await waitFor(() => r.resumed.length === 2, { what: 'resumed after the reconnect', timeout: 20000 });
      await apiSend(env.url, 'user:' + bob, { text: 'after' }, { from: 'alice' });
      await waitFor(() => r.messages.length === 7, { what: '7 messages' });
      assert.deepEqual(r.texts(), ['before 1', 'before 2', 'before 3', 'while away 1', 'while away 2', 'while away 3', 'after']);
      assert.deepEqual(r.messages.map(m => m.seq), [1, 2, 3, 4, 5, 6, 7]);
      assert.deepEqual(r.messages.map(m => !!m.replayed), [false, false, false, true, true, true, false]);
      const caughtUp = r.resumed[1];
      assert.equal(caughtUp.count, 3);
      assert.deepEqual(caughtUp.streams['user:' + bob], { from: 4, to: 6, count: 3 });
      assert.ok(caughtUp.offlineFrom > 0 && caughtUp.offlineTo >= caughtUp.offlineFrom, 'the offline span is reported');
      const delays = r.states.filter(s => s.state === 'offline').map(s => [s.attempt, s.delay]);
      for (const [attempt, delay] of delays) assert.ok(delay < Math.min(2000, 200 * 2 ** attempt), `delay ${delay} within full jitter of attempt ${attempt}`);
      t.diagnostic(`reconnect attempts (attempt, delay ms): ${JSON.stringify(delays)}; connections through the proxy: ${proxy.accepted}`);
    } catch (e) {
      t.diagnostic(r.log.join('\n'));
      throw e;
    }
  });

test('a connection that goes silent is declared dead after 2 x heartbeat and replaced',
  { skip: needsServer('gapUrl'), timeout: 60000 }, async t => {
    const proxy = await new TcpProxy(env.gapUrl).start();
    const dan = uniq('dan');
    const c = connect(proxy.wsUrl, { getToken: () => tokenFor(dan), ...fast });
    const r = record(c, dan);
    t.after(async () => { c.close(); await proxy.close(); });
    try {
      await waitFor(r.online, { what: 'online' });
      const heartbeat = r.events.find(e => e.type === 'welcome').ev.heartbeat;
      assert.equal(heartbeat, 2000, 'the gap node pings every 2 s');
      await apiSend(env.gapUrl, 'user:' + dan, { text: 'one' });
      await waitFor(() => r.messages.length === 1, { what: 'first message' });
      const silentAt = Date.now();
      proxy.silence(); // nothing gets through, nothing is closed: a vanished peer
      await apiSend(env.gapUrl, 'user:' + dan, { text: 'two' });
      // the offline spell can be a few ms before the reconnect: look for the event, not the current state
      await waitFor(() => r.events.some(e => e.type === 'state' && e.ev.state === 'offline'),
        { what: 'the watchdog', timeout: 15000 });
      const offline = r.events.find(e => e.type === 'state' && e.ev.state === 'offline');
      const detectedAfter = offline.t - silentAt;
      const down = offline.ev;
      assert.match(down.reason, /heartbeat/);
      assert.ok(detectedAfter >= 2 * heartbeat - 200, `not before 2 x heartbeat (${detectedAfter} ms)`);
      await waitFor(() => r.resumed.length === 2, { what: 'resumed on a new connection' });
      await waitFor(() => r.messages.length === 2, { what: 'the message sent during the silence' });
      assert.deepEqual(r.texts(), ['one', 'two']);
      t.diagnostic(`dead connection detected after ${detectedAfter} ms (heartbeat ${heartbeat} ms)`);
    } catch (e) {
      t.diagnostic(r.log.join('\n'));
      throw e;
    }
  });

test('a node stopped with SIGTERM: 1012 after the reconnect hint; the restarted node lost its in-memory log: reset',
  { skip: needsServer('jar'), timeout: 180000 }, async t => {
    const port = await NodeProcess.freePort();
    let node = await new NodeProcess(port).start();
    const erin = uniq('erin');
    const c = connect(wsUrl(node.url), { getToken: () => tokenFor(erin), device: 'tablet', ...fast });
    const r = record(c, erin);
    t.after(async () => { c.close(); await node.kill(); });
    try {
      await waitFor(r.online, { what: 'online', timeout: 30000 });
      for (const text of ['a', 'b', 'c']) await apiSend(node.url, 'user:' + erin, { text });
      await waitFor(() => r.messages.length === 3, { what: '3 messages' });
      const e1 = await streamEpoch(node.url, 'user:' + erin);
      assert.deepEqual(c.positions['user:' + erin], { seq: 3, epoch: e1 });

      assert.equal(await node.stop(), 0, 'the node exits cleanly on SIGTERM');
      await waitFor(() => r.states.some(s => s.state === 'offline'), { what: 'offline' });
      const down = r.states.find(s => s.state === 'offline');
      assert.equal(down.code, 1012);
      assert.ok(down.delay >= 0 && down.delay <= 2000, `the delay is the server's hint (0-2000 ms): ${down.delay}`);

      node = await new NodeProcess(port).start();
      // the resume names epoch e1, which the new process never had: the stream has no history now
      await waitFor(() => r.resets.length === 1, { what: 'a reset', timeout: 30000 });
      assert.deepEqual(r.resets[0], { stream: 'user:' + erin, epoch: '', last: 3 });
      await waitFor(() => r.resumed.length === 2, { what: 'caught up again' });
      assert.deepEqual(r.resumed[1].resets, r.resets);
      await apiSend(node.url, 'user:' + erin, { text: 'new history' });
      await waitFor(() => r.messages.length === 4, { what: 'seq 1 of the new log' });
      const e2 = await streamEpoch(node.url, 'user:' + erin);
      assert.notEqual(e2, e1);
      assert.deepEqual(r.messages.map(m => [m.seq, m.epoch]), [[1, e1], [2, e1], [3, e1], [1, e2]], 'seq 1 again: not dropped as a duplicate');
      assert.deepEqual(r.texts(), ['a', 'b', 'c', 'new history']);
      assert.equal(r.resets.length, 1, 'learning the epoch of the new history is no second reset');
      assert.deepEqual(c.positions['user:' + erin], { seq: 1, epoch: e2 });
      t.diagnostic(`1012 with a reconnect delay of ${down.delay} ms; states: ${r.states.map(s => s.state + (s.code ? ':' + s.code : '')).join(' ')}`);
    } catch (e) {
      t.diagnostic(r.log.join('\n'));
      throw e;
    }
  });

test('a stream that was still empty when the connection was cut does not lose what arrived meanwhile',
  { skip: needsServer(), timeout: 60000 }, async t => {
    const proxy = await new TcpProxy(env.url).start();
    const fay = uniq('fay');
    const c = connect(proxy.wsUrl, { getToken: () => tokenFor(fay), ...fast }); // no device: no cursor on the node
    const r = record(c, fay);
    t.after(async () => { c.close(); await proxy.close(); });
    try {
      await waitFor(() => r.resumed.length === 1, { what: 'caught up' });
      assert.deepEqual(c.positions['user:' + fay], { seq: 0, epoch: '' }, 'the empty stream has position 0, not none');
      proxy.refuse(true);
      proxy.cut();
      await waitFor(() => c.state === 'offline', { what: 'offline' });
      await apiSend(env.url, 'user:' + fay, { text: 'first ever' });
      proxy.refuse(false);
      await waitFor(() => r.messages.length === 1, { what: 'the message sent while away', timeout: 20000 });
      assert.deepEqual(r.texts(), ['first ever']);
      assert.equal(r.messages[0].replayed, true);
    } catch (e) {
      t.diagnostic(r.log.join('\n'));
      throw e;
    }
  });
