// The client's decisions in isolation, on a fake clock and a fake socket, so that they are exact:
// backoff delays, which close codes reconnect, heartbeat watchdog, ack batching, de-duplication,
// epochs and resets, stored positions, the outbox bound and `unavailable` retries. Everything here
// is also exercised against real nodes in the other test files; this one pins the numbers.
import test from 'node:test';
import assert from 'node:assert/strict';
import {
  backoffDelay, closeAction, DEFAULTS, RECONNECT_CLOSE_CODES, FINAL_CLOSE_CODES, SwitchboardError,
  isValidId, memoryStorage, VERSION,
} from '../src/switchboard.js';
import { settle, setup, online, reconnected, msg } from './support/fakes.mjs';
import { readFileSync } from 'node:fs';

test('backoffDelay: full jitter in [0, min(cap, base * 2^attempt)), capped', () => {
  const base = DEFAULTS.backoffBaseMs;
  const cap = DEFAULTS.backoffCapMs;
  assert.equal(base, 1000);
  assert.equal(cap, 10000);
  for (let attempt = 0; attempt <= 12; attempt++) {
    const ceiling = Math.min(cap, base * 2 ** attempt);
    for (const r of [0, 0.1, 0.5, 0.9, 0.999999]) {
      const d = backoffDelay(attempt, { baseMs: base, capMs: cap }, () => r);
      assert.equal(d, Math.floor(r * ceiling), `attempt ${attempt}, random ${r}`);
      assert.ok(d >= 0 && d < ceiling, `attempt ${attempt}: ${d} within [0, ${ceiling})`);
    }
  }
  assert.equal(backoffDelay(3, {}, () => 0.999999), 7999, 'attempt 3: below the cap');
  assert.equal(backoffDelay(4, {}, () => 0.999999), 9999, 'attempt 4 reaches the 10 s cap');
  assert.equal(backoffDelay(1000, {}, () => 0.5), 5000, 'huge attempts stay capped');
  assert.equal(backoffDelay(3, {}, () => 1), 7999, 'random() = 1 (a broken source) still stays below the ceiling');
});

test('reconnect delays of a client whose every attempt fails follow full jitter and the cap', async () => {
  const rand = [0.5, 0.25, 0.999, 0.75, 0.5, 0.5, 0.999, 0, 0.999];
  const t = setup({}, rand);
  await settle();
  const delays = [];
  for (let n = 0; n < rand.length; n++) {
    t.fake.last.serverClose(1006);
    await settle();
    const s = t.states[t.states.length - 1];
    assert.equal(s.state, 'offline');
    assert.equal(s.code, 1006);
    assert.equal(s.attempt, n);
    assert.equal(s.retryAt, t.clock.now() + s.delay);
    delays.push(s.delay);
    await t.clock.advance(s.delay);
    assert.equal(t.fake.sockets.length, n + 2, 'a new socket once the delay is over, not before');
  }
  const expected = rand.map((r, n) => Math.floor(r * Math.min(10000, 1000 * 2 ** n)));
  assert.deepEqual(delays, expected);
  assert.deepEqual(expected, [500, 500, 3996, 6000, 5000, 5000, 9990, 0, 9990]);
  t.c.close();
});

test('the attempt count resets only after a connection that stayed up stableAfterMs', async () => {
  const t = setup({ stableAfterMs: 10000 }, [0.999]);
  await settle();
  for (let n = 0; n < 3; n++) {
    t.fake.last.serverClose(1006);
    await settle();
    await t.clock.advance(t.states.at(-1).delay);
  }
  // up for 9.9 s: not stable, the next delay keeps growing
  await online(t);
  await t.clock.advance(9900);
  t.fake.last.serverClose(1011);
  await settle();
  assert.equal(t.states.at(-1).attempt, 3);
  assert.equal(t.states.at(-1).delay, Math.floor(0.999 * 8000));
  await t.clock.advance(t.states.at(-1).delay);
  // up for 10 s: stable, back to attempt 0
  await online(t);
  await t.clock.advance(10000);
  t.fake.last.serverClose(1011);
  await settle();
  assert.equal(t.states.at(-1).attempt, 0);
  assert.equal(t.states.at(-1).delay, Math.floor(0.999 * 1000));
  t.c.close();
});

test('after 1012 the server\'s reconnect hint is the delay; without a hint, backoff', async () => {
  const t = setup({}, [0.9]);
  await online(t);
  t.fake.last.serverSend({ type: 'reconnect', after: 1234 });
  t.fake.last.serverClose(1012, 'node shutting down');
  await settle();
  assert.deepEqual([t.states.at(-1).code, t.states.at(-1).delay], [1012, 1234]);
  await t.clock.advance(1233);
  assert.equal(t.fake.sockets.length, 1);
  await t.clock.advance(1);
  assert.equal(t.fake.sockets.length, 2);
  await online(t);
  t.fake.last.serverClose(1012);
  await settle();
  assert.equal(t.states.at(-1).delay, Math.floor(0.9 * 2000), 'no hint this time: backoff (attempt 1)');
  t.c.close();
});

test('close codes: which reconnect and which end the client', async () => {
  assert.deepEqual([...RECONNECT_CLOSE_CODES], [1001, 1005, 1006, 1011, 1012, 1013, 4408, 4429]);
  assert.deepEqual([...FINAL_CLOSE_CODES], [1000, 1002, 1003, 1007, 1009, 4400, 4403]);
  for (const code of [1001, 1005, 1006, 1011, 1012, 1013, 4408, 4429]) {
    const t = setup();
    await online(t);
    t.fake.last.serverClose(code);
    await settle();
    assert.equal(t.states.at(-1).state, 'offline', `${code} reconnects`);
    assert.equal(t.clock.timers.size > 0, true);
    t.c.close();
  }
  for (const code of [1000, 1002, 1003, 1007, 1009, 4400, 4403, 1008, 4000, 4401]) {
    const t = setup(); // a static token: 4401 cannot be fixed either
    await online(t);
    const pending = t.c.send('user:x', 'queued').then(() => null, e => e);
    t.fake.last.serverClose(code, 'bye');
    await settle();
    assert.equal(t.states.at(-1).state, 'closed', `${code} does not reconnect`);
    assert.equal(t.states.at(-1).code, code);
    const e = await pending;
    assert.ok(e instanceof SwitchboardError && e.code === 'closed' && e.closeCode === code, `${code}: ${e}`);
    await t.clock.advance(120000);
    assert.equal(t.fake.sockets.length, 1, `${code}: no new connection, ever`);
  }
  assert.equal(closeAction(4401), 'token');
  assert.equal(closeAction(1001, [...RECONNECT_CLOSE_CODES, 1001]), 'retry', 'reconnectCloseCodes can add codes');
});

test('4401: a fresh token from getToken(); the same refused token again ends the client', async () => {
  const tokens = ['t1', 't2', 't2'];
  let calls = 0;
  const t = setup({ token: undefined, getToken: async () => tokens[calls++] });
  await settle();
  t.fake.last.serverOpen();
  assert.equal(t.fake.last.frames('hello')[0].token, 't1');
  t.fake.last.serverClose(4401, 'invalid token');
  await settle();
  assert.equal(t.states.at(-1).state, 'offline');
  await t.clock.advance(t.states.at(-1).delay);
  assert.equal(calls, 2);
  t.fake.last.serverOpen();
  assert.equal(t.fake.last.frames('hello')[0].token, 't2');
  t.fake.last.serverClose(4401);
  await settle();
  await t.clock.advance(t.states.at(-1).delay);
  assert.equal(calls, 3);
  assert.equal(t.states.at(-1).state, 'closed', 'getToken() gave back the refused token');
  assert.equal(t.fake.sockets.length, 2);
});

test('a reconnect reuses the token until a 4401 or its exp is near', async () => {
  let calls = 0;
  const t = setup({ token: undefined, getToken: () => { calls++; return 'opaque-' + calls; } });
  await online(t);
  t.fake.last.serverClose(1006);
  await settle();
  await t.clock.advance(t.states.at(-1).delay);
  assert.equal(calls, 1, 'no new token for a lost connection');
  t.c.close();
});

test('heartbeat: pong to ping; nothing received for 2 x heartbeat means dead', async () => {
  const t = setup();
  await online(t, { heartbeat: 1000 });
  t.fake.last.serverSend({ type: 'ping' });
  t.fake.last.serverSend({ type: 'ping', ref: 'p7' });
  assert.deepEqual(t.fake.last.frames('pong'), [{ type: 'pong' }, { type: 'pong', ref: 'p7' }]);
  for (let i = 0; i < 10; i++) {
    await t.clock.advance(1000);
    t.fake.last.serverSend({ type: 'ping' });
  }
  assert.equal(t.c.state, 'online', 'a frame every heartbeat keeps it alive');
  await t.clock.advance(2000);
  assert.equal(t.c.state, 'online');
  await t.clock.advance(300);
  assert.equal(t.states.at(-1).state, 'offline');
  assert.match(t.states.at(-1).reason, /heartbeat/);
  t.c.close();
});

test('no welcome within connectTimeoutMs: the attempt is dropped and retried', async () => {
  const t = setup({ connectTimeoutMs: 5000 });
  await settle();
  t.fake.last.serverOpen();
  await t.clock.advance(6000);
  assert.equal(t.states.at(-1).state, 'offline');
  assert.match(t.states.at(-1).reason, /no welcome/);
  t.c.close();
});

test('duplicates are dropped by seq; positions go into hello.resume with their epochs', async () => {
  const t = setup();
  const got = [];
  t.c.on('message', m => got.push([m.seq, m.epoch]));
  await online(t, { streams: { 'user:u': { head: 0, epoch: '' } } });
  t.fake.last.serverSend({ type: 'reset', stream: 'user:u', epoch: 'e1' }); // before its first message
  for (const seq of [1, 2, 2, 1, 3, 3]) t.fake.last.serverSend(msg('user:u', seq));
  assert.deepEqual(got, [[1, 'e1'], [2, 'e1'], [3, 'e1']]);
  assert.deepEqual(t.c.positions, { 'user:u': { seq: 3, epoch: 'e1' } });
  const hello = await reconnected(t);
  assert.deepEqual(hello.resume, { 'user:u': { seq: 3, epoch: 'e1' } });
  t.c.close();
});

test('reset: the position goes to seq 0 of the new epoch, seq 1 is new, one reset event, acks start over', async () => {
  const t = setup({ device: 'd1' });
  const got = [];
  const resets = [];
  t.c.on('message', m => got.push([m.seq, m.epoch]));
  t.c.on('reset', r => resets.push(r));
  await online(t, { streams: { 'user:u': { head: 3, epoch: 'e1' } } });
  for (const seq of [1, 2, 3]) t.fake.last.serverSend(msg('user:u', seq));
  await t.clock.advance(1000);
  assert.deepEqual(t.fake.last.frames('ack'), [{ type: 'ack', stream: 'user:u', seq: 3 }]);
  // the store lost the stream while the client was connected: its next message starts a new history
  t.fake.last.serverSend({ type: 'reset', stream: 'user:u', epoch: 'e2' });
  assert.deepEqual(resets, [{ stream: 'user:u', epoch: 'e2', last: 3 }]);
  assert.deepEqual(t.c.positions, { 'user:u': { seq: 0, epoch: 'e2' } });
  for (const seq of [1, 2]) t.fake.last.serverSend(msg('user:u', seq));
  assert.deepEqual(got, [[1, 'e1'], [2, 'e1'], [3, 'e1'], [1, 'e2'], [2, 'e2']], 'seqs 1 and 2 of the new history are not duplicates');
  await t.clock.advance(1000);
  assert.deepEqual(t.fake.last.frames('ack').at(-1), { type: 'ack', stream: 'user:u', seq: 2 }, 'acked in the new history');
  const hello = await reconnected(t);
  assert.deepEqual(hello.resume, { 'user:u': { seq: 2, epoch: 'e2' } });
  t.c.close();
});

test('a reset that tells the epoch of a stream that had no history is not an event', async () => {
  const t = setup();
  const resets = [];
  t.c.on('reset', r => resets.push(r));
  await online(t, { streams: { 'user:u': { head: 0, epoch: '' }, 'all': { head: 0, epoch: '' } } });
  // its first message can come during the catch-up, before `resumed` fixed the position at 0
  t.fake.last.serverSend({ type: 'reset', stream: 'all', epoch: 'a1' });
  t.fake.last.serverSend(msg('all', 1));
  t.fake.last.serverSend({ type: 'resumed', stream: 'all', from: 1, to: 1 });
  t.fake.last.serverSend({ type: 'resumed', stream: 'user:u', from: 1, to: 0 });
  t.fake.last.serverSend({ type: 'reset', stream: 'user:u', epoch: 'u1' });
  t.fake.last.serverSend(msg('user:u', 1));
  assert.deepEqual(resets, []);
  assert.deepEqual(t.c.positions, { 'user:u': { seq: 1, epoch: 'u1' }, all: { seq: 1, epoch: 'a1' } });
  // seq 0 of a history that had messages is another matter: they were never received
  t.fake.last.serverSend({ type: 'reset', stream: 'user:u', epoch: 'u2' });
  t.fake.last.serverSend({ type: 'reset', stream: 'user:u', epoch: 'u3' });
  assert.deepEqual(resets, [{ stream: 'user:u', epoch: 'u2', last: 1 }, { stream: 'user:u', epoch: 'u3', last: 0 }]);
  t.c.close();
});

test('a resume in an old epoch: the welcome head alone is no reset, the node\'s reset frame is, once', async () => {
  const t = setup({ positions: { 'user:u': { seq: 3, epoch: 'e1' } } });
  const got = [];
  const resets = [];
  t.c.on('message', m => got.push(m.seq));
  t.c.on('reset', r => resets.push(r));
  let resumed = null;
  t.c.on('resumed', r => { resumed = r; });
  await settle();
  t.fake.last.serverOpen();
  assert.deepEqual(t.fake.last.frames('hello')[0].resume, { 'user:u': { seq: 3, epoch: 'e1' } });
  // the new history already passed seq 3: a head above the position, which the client cannot judge
  t.fake.last.serverWelcome({ streams: { 'user:u': { head: 5, epoch: 'e2' } } });
  assert.deepEqual(resets, []);
  assert.deepEqual(t.c.positions, { 'user:u': { seq: 3, epoch: 'e1' } }, 'kept until the node says');
  t.fake.last.serverSend({ type: 'reset', stream: 'user:u', epoch: 'e2' });
  for (const seq of [1, 2, 3, 4, 5]) t.fake.last.serverSend(msg('user:u', seq));
  t.fake.last.serverSend({ type: 'resumed', stream: 'user:u', from: 1, to: 5 });
  assert.deepEqual(got, [1, 2, 3, 4, 5], 'the whole new history');
  assert.deepEqual(resets, [{ stream: 'user:u', epoch: 'e2', last: 3 }]);
  assert.deepEqual(resumed.resets, resets);
  assert.deepEqual(resumed.streams['user:u'], { from: 1, to: 5, count: 5 });
  assert.deepEqual(t.c.positions, { 'user:u': { seq: 5, epoch: 'e2' } });
  t.c.close();
});

test('bare seqs (positions from before epochs) resume as bare seqs until the welcome places them', async () => {
  const t = setup({ positions: { 'room:a': 4, 'room:b': 7, 'room:c': 2, 'user:u': { seq: 2, epoch: 'e1' } } });
  const resets = [];
  t.c.on('reset', r => resets.push(r));
  await settle();
  t.fake.last.serverOpen();
  assert.deepEqual(t.fake.last.frames('hello')[0].resume, { 'room:a': 4, 'room:b': 7, 'room:c': 2, 'user:u': { seq: 2, epoch: 'e1' } });
  t.fake.last.serverWelcome({
    streams: {
      'room:a': { head: 9, epoch: 'a1' }, // at or below the head: the node resumes it in the current epoch
      'room:b': { head: 0, epoch: '' },   // above the head: the node says reset
      'room:c': { head: 2, epoch: 'c1' },
      'user:u': { head: 2, epoch: 'e1' },
    },
  });
  assert.deepEqual(resets, [], 'a head below the position is no reset by itself');
  assert.deepEqual(t.c.positions, {
    'room:a': { seq: 4, epoch: 'a1' }, 'room:b': { seq: 7 }, 'room:c': { seq: 2, epoch: 'c1' }, 'user:u': { seq: 2, epoch: 'e1' },
  });
  t.fake.last.serverSend({ type: 'reset', stream: 'room:b', epoch: '' });
  assert.deepEqual(resets, [{ stream: 'room:b', epoch: '', last: 7 }]);
  t.fake.last.serverSend({ type: 'reset', stream: 'room:b', epoch: 'b1' }); // its first message: nothing more lost
  assert.equal(resets.length, 1);
  const hello = await reconnected(t);
  assert.deepEqual(hello.resume, {
    'room:a': { seq: 4, epoch: 'a1' }, 'room:b': { seq: 0, epoch: 'b1' }, 'room:c': { seq: 2, epoch: 'c1' }, 'user:u': { seq: 2, epoch: 'e1' },
  });
  t.c.close();
});

test('a reset of a stream the client held no position in voids the device\'s cursor: last is null', async () => {
  const t = setup({ device: 'd1' });
  const resets = [];
  t.c.on('reset', r => resets.push(r));
  await online(t, { streams: { 'user:u': { head: 0, epoch: '' }, 'room:r': { head: 4, epoch: 'r2' } } });
  t.fake.last.serverSend({ type: 'reset', stream: 'user:u', epoch: '' });
  t.fake.last.serverSend({ type: 'reset', stream: 'room:r', epoch: 'r2' });
  assert.deepEqual(resets, [{ stream: 'user:u', epoch: '', last: null }, { stream: 'room:r', epoch: 'r2', last: null }]);
  t.c.close();
});

test('joined: the room\'s position starts at its head, in its epoch', async () => {
  const t = setup();
  await online(t, { streams: { 'user:u': { head: 0, epoch: '' } } });
  const p = t.c.join('r');
  await settle();
  const f = t.fake.last.frames('join')[0];
  t.fake.last.serverSend({ type: 'joined', ref: f.ref, room: 'r', head: 5, epoch: 'r1', online: [], onlineCount: 0 });
  assert.deepEqual(await p, { room: 'r', head: 5, epoch: 'r1', online: [], onlineCount: 0 });
  const elsewhere = [];
  t.c.on('joined', j => elsewhere.push(j));
  t.fake.last.serverSend({ type: 'joined', room: 'q', head: 0, epoch: '', online: ['x'], onlineCount: 1 });
  assert.deepEqual(elsewhere, [{ room: 'q', head: 0, epoch: '', online: ['x'], onlineCount: 1, elsewhere: true }]);
  assert.deepEqual(t.c.positions['room:r'], { seq: 5, epoch: 'r1' });
  assert.deepEqual(t.c.positions['room:q'], { seq: 0, epoch: '' });
  t.c.close();
});

test('positions the node would refuse in a hello (4400, for good) are not sent', async () => {
  const t = setup({
    positions: {
      'user:u': { seq: 1, epoch: 'x'.repeat(33) }, 'room:ok': { seq: 2, epoch: '' }, 'lobby': 3, 'room:bad id': 4,
      'room:n': { seq: -1, epoch: 'e' }, 'room:s': '5', 'room:e': { seq: 6, epoch: 7 },
    },
  });
  await settle();
  t.fake.last.serverOpen();
  assert.deepEqual(t.fake.last.frames('hello')[0].resume, { 'user:u': 1, 'room:ok': { seq: 2, epoch: '' }, 'room:e': 6 });
  t.c.close();
});

test('acks: one per stream per ackIntervalMs, cumulative', async () => {
  const t = setup({ device: 'dev1' });
  await online(t, { streams: { 'room:a': { head: 0 }, 'room:b': { head: 0 } } });
  for (let seq = 1; seq <= 50; seq++) t.fake.last.serverSend({ type: 'message', stream: 'room:a', seq, id: 'a' + seq, body: 1 });
  t.fake.last.serverSend({ type: 'message', stream: 'room:b', seq: 1, id: 'b1', body: 1 });
  assert.equal(t.fake.last.frames('ack').length, 0, 'not per message');
  await t.clock.advance(999);
  assert.equal(t.fake.last.frames('ack').length, 0);
  await t.clock.advance(1);
  assert.deepEqual(t.fake.last.frames('ack'), [{ type: 'ack', stream: 'room:a', seq: 50 }, { type: 'ack', stream: 'room:b', seq: 1 }]);
  t.fake.last.serverSend({ type: 'message', stream: 'room:a', seq: 51, id: 'a51', body: 1 });
  await t.clock.advance(500);
  assert.equal(t.fake.last.frames('ack').length, 2);
  await t.clock.advance(500);
  assert.deepEqual(t.fake.last.frames('ack').at(-1), { type: 'ack', stream: 'room:a', seq: 51 });
  t.c.close();
});

test('the outbox is bounded: overflow rejects with queue_full', async () => {
  const t = setup({ maxQueue: 3 });
  const sends = [1, 2, 3].map(i => t.c.send('user:x', i));
  await assert.rejects(t.c.send('user:x', 4), e => e.code === 'queue_full' && /maxQueue 3/.test(e.message));
  await assert.rejects(t.c.send('user:x', 'typing', { transient: true }), e => e.code === 'offline');
  await online(t);
  const frames = t.fake.last.frames('send');
  assert.equal(frames.length, 3);
  for (const f of frames) t.fake.last.serverSend({ type: 'sent', ref: f.ref, stream: 'user:x', seq: f.body, id: f.id });
  assert.deepEqual((await Promise.all(sends)).map(r => r.seq), [1, 2, 3]);
  t.c.close();
});

test('unavailable is retried sendRetries times with the same id, then rejected; other errors at once', async () => {
  const t = setup({ sendRetries: 2 });
  await online(t);
  const p = t.c.send('user:x', 'hello', { id: 'fixed-id' }).then(() => null, e => e);
  const q = t.c.send('room:nope', 'x').then(() => null, e => e);
  await settle();
  const ws = t.fake.last;
  const q1 = ws.frames('send').find(f => f.to === 'room:nope');
  ws.serverSend({ type: 'error', ref: q1.ref, code: 'forbidden', message: 'not allowed to send to room:nope' });
  const qe = await q;
  assert.ok(qe.code === 'forbidden' && qe.maybeStored === false, String(qe));
  for (let i = 0; i < 3; i++) {
    const f = ws.frames('send').filter(x => x.to === 'user:x').at(-1);
    assert.equal(f.id, 'fixed-id');
    ws.serverSend({ type: 'error', ref: f.ref, code: 'unavailable', message: 'store unavailable' });
    await t.clock.advance(8000);
  }
  const pe = await p;
  assert.ok(pe.code === 'unavailable' && pe.maybeStored === true && pe.id === 'fixed-id', String(pe));
  assert.equal(ws.frames('send').filter(x => x.to === 'user:x').length, 3, '1 try + 2 retries');
  t.c.close();
});

test('a queue flushed after a reconnect stays within the client\'s frame budget', async () => {
  const t = setup({ maxQueue: 1000 });
  const sends = [];
  for (let i = 0; i < 400; i++) sends.push(t.c.send('user:x', i).catch(() => {}));
  await online(t);
  assert.equal(t.fake.last.frames('send').length, DEFAULTS.maxFramesBurst, 'a burst first');
  await t.clock.advance(1000);
  const n = t.fake.last.frames('send').length;
  assert.ok(n <= DEFAULTS.maxFramesBurst + DEFAULTS.maxFramesPerSecond + 1, `then the rate: ${n}`);
  assert.ok(n >= DEFAULTS.maxFramesBurst + DEFAULTS.maxFramesPerSecond - 2, `then the rate: ${n}`);
  t.c.close();
});

test('storage: positions saved under the user and read back by the next client', async () => {
  const storage = memoryStorage();
  const jwt = 'x.' + Buffer.from(JSON.stringify({ sub: 'carol' })).toString('base64url') + '.y';
  const t = setup({ token: jwt, storage, device: 'd9' });
  await online(t, { user: 'carol', streams: { 'user:carol': { head: 0 } } });
  t.fake.last.serverSend({ type: 'message', stream: 'user:carol', seq: 7, id: 'x', body: 1 });
  t.c.close();
  assert.deepEqual(JSON.parse(storage.get('switchboard:carol:d9')).seqs, { 'user:carol': 7 });
  const t2 = setup({ token: jwt, storage, device: 'd9' });
  await settle();
  t2.fake.last.serverOpen();
  assert.deepEqual(t2.fake.last.frames('hello')[0], {
    type: 'hello', token: jwt, client: 'switchboard-js/' + VERSION, device: 'd9', resume: { 'user:carol': 7 },
  });
  t2.c.close();
});

test('storage: positions are stored with their epochs (v2); v1 positions, bare seqs, still resume', async () => {
  const storage = memoryStorage();
  const jwt = 'x.' + Buffer.from(JSON.stringify({ sub: 'dan' })).toString('base64url') + '.y';
  storage.set('switchboard:dan:_', JSON.stringify({ v: 1, user: 'dan', seqs: { 'user:dan': 4, all: 0 }, at: 1 }));
  const t = setup({ token: jwt, storage });
  await settle();
  t.fake.last.serverOpen();
  assert.deepEqual(t.fake.last.frames('hello')[0].resume, { 'user:dan': 4, all: 0 });
  t.fake.last.serverWelcome({ user: 'dan', streams: { 'user:dan': { head: 6, epoch: 'd1' }, all: { head: 0, epoch: '' } } });
  t.fake.last.serverSend(msg('user:dan', 5));
  t.c.close();
  const stored = JSON.parse(storage.get('switchboard:dan:_'));
  assert.equal(stored.v, 2);
  assert.deepEqual(stored.seqs, { 'user:dan': 5, all: 0 }, 'seqs as v1 had them: a downgraded client still resumes');
  assert.deepEqual(stored.epochs, { 'user:dan': 'd1', all: '' });
  const t2 = setup({ token: jwt, storage });
  await settle();
  t2.fake.last.serverOpen();
  assert.deepEqual(t2.fake.last.frames('hello')[0].resume, { 'user:dan': { seq: 5, epoch: 'd1' }, all: { seq: 0, epoch: '' } });
  assert.deepEqual(t2.c.positions, { 'user:dan': { seq: 5, epoch: 'd1' }, all: { seq: 0, epoch: '' } });
  t2.c.close();
});

test('ids, version', () => {
  assert.ok(isValidId('a-b_c.d:e@f|g+h=i'));
  assert.ok(!isValidId('has space') && !isValidId('') && !isValidId('x'.repeat(129)));
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url)));
  assert.equal(VERSION, pkg.version, 'VERSION matches package.json');
});
