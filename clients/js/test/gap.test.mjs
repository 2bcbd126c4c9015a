// A gap against a real node that keeps only 3 messages per stream (SB_RETENTION_MESSAGES=3): the
// client is told exactly which seqs it will never get, then gets what the log still holds.
import test from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '../src/switchboard.js';
import { env, needsServer, uniq, tokenFor, apiSend, waitFor, record, TcpProxy } from './support/server.mjs';

test('messages trimmed from the log while the client was away are surfaced as a gap, before the rest',
  { skip: needsServer('gapUrl'), timeout: 60000 }, async t => {
    const proxy = await new TcpProxy(env.gapUrl).start();
    const gus = uniq('gus');
    const c = connect(proxy.wsUrl, { getToken: () => tokenFor(gus), backoffBaseMs: 200, backoffCapMs: 2000 });
    const r = record(c, gus);
    t.after(async () => { c.close(); await proxy.close(); });
    try {
      await waitFor(r.online, { what: 'online' });
      await apiSend(env.gapUrl, 'user:' + gus, { text: 'm1' });
      await waitFor(() => r.messages.length === 1, { what: 'm1' });
      proxy.refuse(true);
      proxy.cut();
      await waitFor(() => c.state === 'offline', { what: 'offline' });
      for (let i = 2; i <= 7; i++) await apiSend(env.gapUrl, 'user:' + gus, { text: 'm' + i });
      proxy.refuse(false);
      await waitFor(() => r.resumed.length === 2, { what: 'resumed', timeout: 20000 });

      assert.deepEqual(r.gaps, [{ stream: 'user:' + gus, from: 2, to: 4 }]);
      assert.deepEqual(r.texts(), ['m1', 'm5', 'm6', 'm7']);
      assert.deepEqual(r.messages.map(m => m.seq), [1, 5, 6, 7]);
      const order = r.events.filter(e => e.type === 'gap' || (e.type === 'message' && e.ev.seq > 1)).map(e => e.type);
      assert.deepEqual(order, ['gap', 'message', 'message', 'message'], 'the gap comes before what follows it');
      assert.deepEqual(r.resumed[1].gaps, [{ stream: 'user:' + gus, from: 2, to: 4 }], 'and is in the catch-up summary');
      assert.equal(c.positions['user:' + gus].seq, 7);
    } catch (e) {
      t.diagnostic(r.log.join('\n'));
      throw e;
    }
  });
