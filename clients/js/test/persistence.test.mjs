// Positions that outlive the client object, against a real node: through a storage (what a
// reloaded page does with localStorage), and through the node's cursor for a device (acks).
import test from 'node:test';
import assert from 'node:assert/strict';
import { connect, memoryStorage } from '../src/switchboard.js';
import { env, needsServer, uniq, tokenFor, apiSend, waitFor, record, wsUrl } from './support/server.mjs';

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
    assert.deepEqual(JSON.parse(storage.get(`switchboard:${user}:_`)).seqs, { ['user:' + user]: 3, all: 0 });
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
