// Sends made while disconnected, and sends whose answer was lost, against a real node: each message
// the application was told is sent is in the stream's log exactly once (checked in the log itself,
// through the HTTP API) and reaches the recipient once, in order.
import test from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '../src/switchboard.js';
import { env, needsServer, uniq, tokenFor, history, waitFor, record, TcpProxy, wsUrl } from './support/server.mjs';

const fast = { backoffBaseMs: 200, backoffCapMs: 2000 };

function countIds(log, ids) {
  return ids.map(id => log.filter(m => m.id === id).length);
}

test('sends queued while disconnected are delivered exactly once after the reconnect',
  { skip: needsServer(), timeout: 60000 }, async t => {
    const proxy = await new TcpProxy(env.url).start();
    const alice = uniq('alice');
    const bob = uniq('bob');
    const a = connect(proxy.wsUrl, { getToken: () => tokenFor(alice), ...fast });
    const b = connect(wsUrl(env.url), { getToken: () => tokenFor(bob) });
    const ra = record(a, alice);
    const rb = record(b, bob);
    t.after(async () => { a.close(); b.close(); await proxy.close(); });
    try {
      await waitFor(() => ra.online() && rb.online(), { what: 'both online' });
      proxy.refuse(true);
      proxy.cut();
      await waitFor(() => a.state === 'offline', { what: 'alice offline' });

      const texts = [1, 2, 3, 4, 5].map(i => 'queued ' + i);
      const sends = texts.map((text, i) => a.send('user:' + bob, { text }, { id: `q-${alice}-${i}` }));
      assert.equal(a.pending, 5, 'held in the outbox');
      let settled = 0;
      sends.forEach(p => p.then(() => settled++, () => settled++));
      await waitFor(() => ra.states.filter(s => s.state === 'offline').length >= 2, { what: 'a failed attempt' });
      assert.equal(settled, 0, 'nothing resolves while disconnected');
      assert.equal(rb.messages.length, 0);

      proxy.refuse(false);
      const results = await Promise.all(sends);
      assert.deepEqual(results.map(r => r.seq), [1, 2, 3, 4, 5], 'stored in the order they were sent');
      assert.deepEqual(results.map(r => r.id), texts.map((_, i) => `q-${alice}-${i}`));
      await waitFor(() => rb.messages.length === 5, { what: 'bob gets 5' });
      assert.deepEqual(rb.texts(), texts);
      assert.deepEqual(rb.messages.map(m => m.from), Array(5).fill(alice));
      const log = await history(env.url, 'user:' + bob);
      assert.deepEqual(countIds(log, results.map(r => r.id)), [1, 1, 1, 1, 1], 'each once in the log');
      assert.equal(log.length, 5);
    } catch (e) {
      t.diagnostic([...ra.log, ...rb.log].join('\n'));
      throw e;
    }
  });

test('sends whose answers were lost with the connection are retried with their ids and stored once',
  { skip: needsServer(), timeout: 60000 }, async t => {
    const proxy = await new TcpProxy(env.url).start();
    const alice = uniq('alice');
    const bob = uniq('bob');
    const a = connect(proxy.wsUrl, { getToken: () => tokenFor(alice), ...fast });
    const ra = record(a, alice);
    t.after(async () => { a.close(); await proxy.close(); });
    try {
      await waitFor(ra.online, { what: 'online' });
      // from now on the node's answers are lost: the sends arrive and are stored, `sent` never comes back
      proxy.dropDownstream();
      const sends = [1, 2, 3].map(i => a.send('user:' + bob, { text: 'unanswered ' + i }));
      let resolved = 0;
      sends.forEach(p => p.then(() => resolved++, () => {}));
      const stored = await waitFor(async () => {
        const log = await history(env.url, 'user:' + bob);
        return log.length === 3 && log;
      }, { what: 'the 3 sends stored by the node' });
      assert.equal(resolved, 0, 'no answer reached the client');
      assert.equal(a.pending, 3);

      proxy.cut(); // the connection dies with the answers; the client reconnects and sends again
      const results = await Promise.all(sends);
      assert.deepEqual(results.map(r => r.seq), stored.map(m => m.seq), 'the retries got the first seqs back');
      assert.deepEqual(results.map(r => r.id), stored.map(m => m.id));
      const log = await history(env.url, 'user:' + bob);
      assert.equal(log.length, 3, 'nothing stored twice: ' + JSON.stringify(log.map(m => m.id)));
      assert.ok(proxy.accepted >= 2, 'a second connection carried the retries');
    } catch (e) {
      t.diagnostic(ra.log.join('\n'));
      throw e;
    }
  });

test('the outbox is bounded while disconnected: overflow is rejected at once, the rest is sent',
  { skip: needsServer(), timeout: 60000 }, async t => {
    const proxy = await new TcpProxy(env.url).start();
    const alice = uniq('alice');
    const bob = uniq('bob');
    proxy.refuse(true);
    const a = connect(proxy.wsUrl, { getToken: () => tokenFor(alice), maxQueue: 3, ...fast });
    const ra = record(a, alice);
    t.after(async () => { a.close(); await proxy.close(); });
    try {
      await waitFor(() => a.state === 'offline', { what: 'offline' });
      const ok = [1, 2, 3].map(i => a.send('user:' + bob, { text: 'kept ' + i }));
      await assert.rejects(a.send('user:' + bob, { text: 'one too many' }), e => e.code === 'queue_full');
      await assert.rejects(a.send('user:' + bob, { typing: true }, { transient: true }), e => e.code === 'offline');
      proxy.refuse(false);
      const results = await Promise.all(ok);
      assert.deepEqual(results.map(r => r.seq), [1, 2, 3]);
      const log = await history(env.url, 'user:' + bob);
      assert.deepEqual(log.map(m => m.body.text), ['kept 1', 'kept 2', 'kept 3']);
    } catch (e) {
      t.diagnostic(ra.log.join('\n'));
      throw e;
    }
  });
