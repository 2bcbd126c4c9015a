// Positions that outlive the client object, against a real node: through a storage (what a
// reloaded page does with localStorage, in the format of this version or of the one before epochs),
// and through the node's cursor for a device (acks).
import test from 'node:test';
import assert from 'node:assert/strict';
import { connect, memoryStorage } from '../src/switchboard.js';
import { env, needsServer, uniq, tokenFor, apiSend, waitFor, record, wsUrl, streamEpoch } from './support/server.mjs';

test('a new client with the same storage resumes where the last one stopped',
  { skip: needsServer(), timeout: 60000 }, async t => {
    const user = uniq('lea');
    const storage = memoryStorage();
    const first = connect(wsUrl(env.url), { getToken: () => tokenFor(user), storage });
    const r1 = record(first, user);
    await waitFor(r1.online, { what: 'online' });
    for (const text of ['1', '2', '3']) await apiSend(env.url, 'user:' + user, { text });
    await waitFor(() => r1.messages.length === 3, { what: '3 messages' });
    first.close();
    const stored = JSON.parse(storage.get(`switchboard:${user}:_`));
    assert.deepEqual(stored.seqs, { ['user:' + user]: 3, all: 0 });
    assert.deepEqual(stored.epochs, { ['user:' + user]: await streamEpoch(env.url, 'user:' + user), all: await streamEpoch(env.url, 'all') });
    for (const text of ['4', '5']) await apiSend(env.url, 'user:' + user, { text });

    const second = connect(wsUrl(env.url), { getToken: () => tokenFor(user), storage });
    const r2 = record(second, user);
    t.after(() => second.close());
    await waitFor(() => r2.resumed.length === 1, { what: 'resumed' });
    assert.deepEqual(r2.texts(), ['4', '5'], 'only what the first client did not get');
    assert.equal(r2.resumed[0].count, 2);
  });

test('without storage, a device resumes from the cursor its acks left on the node',
  { skip: needsServer(), timeout: 60000 }, async t => {
    const user = uniq('max');
    const first = connect(wsUrl(env.url), { getToken: () => tokenFor(user), device: 'desk', ackIntervalMs: 100 });
    const r1 = record(first, user);
    await waitFor(r1.online, { what: 'online' });
    for (const text of ['1', '2', '3']) await apiSend(env.url, 'user:' + user, { text });
    await waitFor(() => r1.messages.length === 3, { what: '3 messages' });
    first.close(); // flushes the last ack
    for (const text of ['4', '5']) await apiSend(env.url, 'user:' + user, { text });

    const second = connect(wsUrl(env.url), { getToken: () => tokenFor(user), device: 'desk' });
    const r2 = record(second, user);
    t.after(() => second.close());
    await waitFor(() => r2.resumed.length === 1, { what: 'resumed' });
    assert.deepEqual(r2.texts(), ['4', '5']);
  });

test('positions stored by a version before epochs (v1, bare seqs) still resume, and are stored again with epochs',
  { skip: needsServer(), timeout: 60000 }, async t => {
    const user = uniq('ned');
    const stream = 'user:' + user;
    for (const text of ['1', '2', '3', '4', '5']) await apiSend(env.url, stream, { text });
    const storage = memoryStorage();
    storage.set(`switchboard:${user}:_`, JSON.stringify({ v: 1, user, seqs: { [stream]: 2 }, at: Date.now() - 60000 }));
    const c = connect(wsUrl(env.url), { getToken: () => tokenFor(user), storage });
    const r = record(c, user);
    t.after(() => c.close());
    await waitFor(() => r.resumed.length === 1, { what: 'resumed' });
    assert.deepEqual(r.texts(), ['3', '4', '5'], 'from the stored seq on');
    assert.deepEqual(r.resets, []);
    const epoch = await streamEpoch(env.url, stream);
    assert.deepEqual(c.positions[stream], { seq: 5, epoch });
    c.close();
    const stored = JSON.parse(storage.get(`switchboard:${user}:_`));
    assert.equal(stored.v, 2);
    assert.equal(stored.seqs[stream], 5);
    assert.equal(stored.epochs[stream], epoch);
  });
