// Streams that start over (a new epoch) against a real node whose in-memory store loses them, as it
// does past its memory budget: while the client is connected, and while it is away with its
// position stored. The SIGTERM test in reconnect.test.mjs covers a store lost with its process.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect, memoryStorage } from '../src/switchboard.js';
import { needsServer, uniq, tokenFor, apiSend, waitFor, record, NodeProcess, wsUrl, streamEpoch, evict } from './support/server.mjs';

let node = null;

before(async () => {
  if (needsServer('jar')) return;
  // the smallest budget the node accepts: a megabyte of filler pushes the oldest stream out
  node = await new NodeProcess(await NodeProcess.freePort(), { SB_STORE_MEMORY_MAX_BYTES: String(1024 * 1024) }).start();
});

after(async () => {
  if (node) await node.kill();
});

test('a stream that starts over while the client is connected: reset, then seq 1 of the new epoch, not dropped',
  { skip: needsServer('jar'), timeout: 120000 }, async t => {
    const ivy = uniq('ivy');
    const stream = 'user:' + ivy;
    const c = connect(wsUrl(node.url), { getToken: () => tokenFor(ivy), device: 'phone', ackIntervalMs: 100 });
    const r = record(c, ivy);
    t.after(() => c.close());
    try {
      await waitFor(r.online, { what: 'online', timeout: 30000 });
      for (const text of ['a', 'b', 'c']) await apiSend(node.url, stream, { text });
      await waitFor(() => r.messages.length === 3, { what: '3 messages' });
      const e1 = await streamEpoch(node.url, stream);
      assert.deepEqual(c.positions[stream], { seq: 3, epoch: e1 });

      await evict(node.url, stream);
      for (const text of ['x', 'y']) await apiSend(node.url, stream, { text });
      await waitFor(() => r.messages.length === 5, { what: 'seqs 1 and 2 of the new history' });
      const e2 = await streamEpoch(node.url, stream);
      assert.notEqual(e2, e1);
      assert.deepEqual(r.texts(), ['a', 'b', 'c', 'x', 'y']);
      assert.deepEqual(r.messages.map(m => [m.seq, m.epoch]), [[1, e1], [2, e1], [3, e1], [1, e2], [2, e2]]);
      assert.deepEqual(r.resets, [{ stream, epoch: e2, last: 3 }]);
      const resetAt = r.events.findIndex(e => e.type === 'reset');
      assert.equal(r.events.findIndex(e => e.type === 'message' && e.ev.body.text === 'x'), resetAt + 1, 'the reset comes before seq 1');
      assert.deepEqual(c.positions[stream], { seq: 2, epoch: e2 });
      assert.equal(r.states.filter(s => s.state === 'online').length, 1, 'on the same connection');
      await new Promise(res => setTimeout(res, 300)); // an ack round
      assert.deepEqual(r.errors, [], 'acks of the new history are accepted');
    } catch (e) {
      t.diagnostic(r.log.join('\n'));
      throw e;
    }
  });

test('a stored position of an old epoch: the whole new history once, in order, after one reset',
  { skip: needsServer('jar'), timeout: 120000 }, async t => {
    const jo = uniq('jo');
    const stream = 'user:' + jo;
    const storage = memoryStorage();
    const first = connect(wsUrl(node.url), { getToken: () => tokenFor(jo), storage });
    const r1 = record(first, jo);
    await waitFor(r1.online, { what: 'online', timeout: 30000 });
    for (const text of ['a', 'b', 'c']) await apiSend(node.url, stream, { text });
    await waitFor(() => r1.messages.length === 3, { what: '3 messages' });
    first.close();
    const e1 = await streamEpoch(node.url, stream);

    // the new history goes past the old position (seq 3) before the client comes back: a bare seq
    // would resume at seq 4 of it and never know seqs 1-3 were new
    await evict(node.url, stream);
    for (const text of ['w', 'x', 'y', 'z']) await apiSend(node.url, stream, { text });
    const e2 = await streamEpoch(node.url, stream);
    assert.notEqual(e2, e1);

    const second = connect(wsUrl(node.url), { getToken: () => tokenFor(jo), storage });
    const r2 = record(second, jo);
    t.after(() => second.close());
    try {
      await waitFor(() => r2.resumed.length === 1, { what: 'resumed', timeout: 30000 });
      assert.deepEqual(r2.texts(), ['w', 'x', 'y', 'z']);
      assert.deepEqual(r2.messages.map(m => [m.seq, m.epoch, m.replayed]), [[1, e2, true], [2, e2, true], [3, e2, true], [4, e2, true]]);
      assert.deepEqual(r2.resets, [{ stream, epoch: e2, last: 3 }]);
      assert.deepEqual(r2.resumed[0].resets, r2.resets);
      assert.deepEqual(r2.resumed[0].streams[stream], { from: 1, to: 4, count: 4 });
      await apiSend(node.url, stream, { text: 'live' });
      await waitFor(() => r2.messages.length === 5, { what: 'the next one, live' });
      assert.deepEqual(r2.messages.map(m => m.seq), [1, 2, 3, 4, 5]);
      assert.equal(r2.resets.length, 1);
      assert.deepEqual(second.positions[stream], { seq: 5, epoch: e2 });
    } catch (e) {
      t.diagnostic(r1.log.concat(r2.log).join('\n'));
      throw e;
    }
  });
