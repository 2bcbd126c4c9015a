// Memberships come before the outbox: a send queued for a room goes out only once the new session
// follows that room. A node that lost its store (an in-memory node restarted) has forgotten the
// client's rooms; the client joins again the rooms its queued sends are for, ahead of them, and says
// when the room's history is gone (a reset). The rules on a fake socket first, then the restart of a
// real node process while a message waits.
import test from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '../src/switchboard.js';
import { settle, setup, online, reconnected, msg } from './support/fakes.mjs';
import { env, needsServer, uniq, tokenFor, apiSend, history, streamEpoch, waitFor, record, NodeProcess, wsUrl } from './support/server.mjs';

const sentFrames = ws => ws.sent.filter(f => f.type !== 'hello').map(f => (f.type === 'send' ? 'send ' + f.to : f.type + ' ' + f.room));

/** Answers a join frame as the node does. */
function joined(ws, frame, head = 0, epoch = '') {
  ws.serverSend({ type: 'joined', ref: frame.ref, room: frame.room, head, epoch, online: [], onlineCount: 0 });
}

test('a room the new session lost is joined again before the sends queued for it; its lost history is a reset', async () => {
  const t = setup();
  const events = [];
  for (const type of ['welcome', 'joined', 'reset', 'error']) t.c.on(type, e => events.push([type, e]));
  await online(t, { streams: { 'user:u': { head: 0, epoch: '' }, 'room:lobby': { head: 2, epoch: 'L1' } } });
  t.fake.last.serverSend(msg('room:lobby', 3));
  t.fake.last.serverClose(1006);
  await settle();
  const p = t.c.send('room:lobby', 'typed while the node was down', { id: 'm1' });
  const q = t.c.send('user:x', 'a direct message');
  await t.clock.advance(t.states.at(-1).delay);
  t.fake.last.serverOpen();
  assert.deepEqual(t.fake.last.frames('hello')[0].resume, { 'room:lobby': { seq: 3, epoch: 'L1' } });
  // the restarted node forgot the membership: no room:lobby in the welcome
  t.fake.last.serverWelcome({ streams: { 'user:u': { head: 0, epoch: '' } } });
  await settle();
  const ws = t.fake.last;
  assert.deepEqual(sentFrames(ws), ['join lobby', 'send user:x'], 'the join first; the lobby send waits for it');
  assert.deepEqual(events.find(([type]) => type === 'welcome')[1].rejoining, []);
  assert.deepEqual(events.filter(([type]) => type === 'welcome').at(-1)[1].rejoining, ['lobby']);
  await t.clock.advance(5000);
  assert.deepEqual(sentFrames(ws), ['join lobby', 'send user:x'], 'still waiting, however long the join takes');
  joined(ws, ws.frames('join')[0]);
  await settle();
  assert.deepEqual(sentFrames(ws), ['join lobby', 'send user:x', 'send room:lobby']);
  const send = ws.frames('send').find(f => f.to === 'room:lobby');
  assert.equal(send.id, 'm1', 'the same id as before');
  ws.serverSend({ type: 'sent', ref: send.ref, stream: 'room:lobby', seq: 1, epoch: 'L2', id: 'm1' });
  assert.deepEqual(await p, { stream: 'room:lobby', seq: 1, id: 'm1' });
  const dm = ws.frames('send').find(f => f.to === 'user:x');
  ws.serverSend({ type: 'sent', ref: dm.ref, stream: 'user:x', seq: 1, id: dm.id });
  await q;
  assert.deepEqual(events.filter(([type]) => type === 'reset').map(([, e]) => e), [{ stream: 'room:lobby', epoch: '', last: 3 }],
    'the room came back in another history: what was sent after seq 3 is gone');
  const j = events.filter(([type]) => type === 'joined').map(([, e]) => e);
  assert.deepEqual(j, [{ room: 'lobby', head: 0, epoch: '', online: [], onlineCount: 0, elsewhere: false, restored: true }]);
  assert.deepEqual(events.filter(([type]) => type === 'error'), []);
  assert.deepEqual(t.c.rooms, ['lobby']);
  t.c.close();
});

test('the connection drops again before the lost room is joined again: the next welcome joins it first again, and its lost history is still a reset', async () => {
  const t = setup();
  const events = [];
  for (const type of ['welcome', 'reset', 'error']) t.c.on(type, e => events.push([type, e]));
  await online(t, { streams: { 'user:u': { head: 0, epoch: '' }, 'room:lobby': { head: 2, epoch: 'L1' } } });
  t.fake.last.serverSend(msg('room:lobby', 3));
  t.fake.last.serverClose(1006);
  await settle();
  const p = t.c.send('room:lobby', 'typed while the node was down', { id: 'm1' });
  await t.clock.advance(t.states.at(-1).delay);
  t.fake.last.serverOpen();
  t.fake.last.serverWelcome({ streams: { 'user:u': { head: 0, epoch: '' } } });
  await settle();
  assert.deepEqual(sentFrames(t.fake.last), ['join lobby']);
  // gone before the join is answered (a node restarting twice, a phone changing networks)
  t.fake.last.serverClose(1006);
  await settle();
  await t.clock.advance(t.states.at(-1).delay);
  t.fake.last.serverOpen();
  t.fake.last.serverWelcome({ streams: { 'user:u': { head: 0, epoch: '' } } });
  await settle();
  const ws = t.fake.last;
  assert.deepEqual(sentFrames(ws), ['join lobby'], 'joined again first, once; the send still waits for it');
  assert.deepEqual(events.filter(([type]) => type === 'welcome').at(-1)[1].rejoining, ['lobby'],
    'the page is told the room is being joined again, so it keeps the conversation');
  joined(ws, ws.frames('join')[0]);
  await settle();
  const send = ws.frames('send').find(f => f.to === 'room:lobby');
  ws.serverSend({ type: 'sent', ref: send.ref, stream: 'room:lobby', seq: 1, epoch: 'L2', id: 'm1' });
  assert.deepEqual(await p, { stream: 'room:lobby', seq: 1, id: 'm1' });
  assert.deepEqual(events.filter(([type]) => type === 'reset').map(([, e]) => e), [{ stream: 'room:lobby', epoch: '', last: 3 }],
    'what was sent after seq 3 is gone, however many welcomes came before the join was answered');
  assert.deepEqual(events.filter(([type]) => type === 'error'), []);
  t.c.close();
});

test('the application\'s own join, even one made after the send, holds a send to a room the session does not follow', async () => {
  const t = setup();
  // queued before any welcome: a room this client never followed (no position)
  const p = t.c.send('room:new', 'first words');
  const r = t.c.send('room:open', 'to a room the token lets everyone send to');
  t.c.on('welcome', w => { if (!w.streams['room:new']) t.c.join('new'); });
  await online(t, { streams: { 'user:u': { head: 0, epoch: '' } } });
  const ws = t.fake.last;
  assert.deepEqual(sentFrames(ws), ['send room:open', 'join new'],
    'no join is pending for room:open, so it goes (the node decides); room:new waits for its join');
  joined(ws, ws.frames('join')[0], 4, 'N1');
  await settle();
  assert.deepEqual(sentFrames(ws), ['send room:open', 'join new', 'send room:new']);
  assert.deepEqual(t.c.positions['room:new'], { seq: 4, epoch: 'N1' });
  for (const f of ws.frames('send')) ws.serverSend({ type: 'sent', ref: f.ref, stream: f.to, seq: 5, id: f.id });
  await Promise.all([p, r]);
  t.c.close();
});

test('joins and leaves keep their place: a send queued after a leave of its room waits for the leave', async () => {
  const t = setup();
  await online(t, { streams: { 'room:a': { head: 0, epoch: '' } } });
  const ws = t.fake.last;
  t.c.leave('a');
  const p = t.c.send('room:a', 'after leaving').then(() => null, e => e);
  t.c.send('room:a', 'never mind').catch(() => {});
  await settle();
  assert.deepEqual(sentFrames(ws), ['leave a']);
  ws.serverSend({ type: 'left', ref: ws.frames('leave')[0].ref, room: 'a' });
  await settle();
  assert.deepEqual(sentFrames(ws), ['leave a', 'send room:a', 'send room:a'], 'in the order the application made them');
  const f = ws.frames('send')[0];
  ws.serverSend({ type: 'error', ref: f.ref, code: 'forbidden', message: 'not allowed to send to room:a' });
  assert.equal((await p).code, 'forbidden');
  t.c.close();
});

test('a lost room with nothing queued for it is not joined again: it may have been left elsewhere', async () => {
  const t = setup();
  const events = [];
  t.c.on('welcome', w => events.push(w.rejoining));
  await online(t, { streams: { 'room:a': { head: 1, epoch: 'A' }, 'room:b': { head: 1, epoch: 'B' } } });
  t.fake.last.serverSend(msg('room:a', 2));
  t.fake.last.serverSend(msg('room:b', 2));
  const hello = await reconnected(t);
  assert.deepEqual(Object.keys(hello.resume).sort(), ['room:a', 'room:b']);
  const p = t.c.send('room:b', 'for b');
  t.fake.last.serverWelcome({ streams: { 'room:b': { head: 1, epoch: 'B' } } });
  await settle();
  assert.deepEqual(events, [[], []]);
  assert.deepEqual(sentFrames(t.fake.last), ['send room:b'], 'room:b is still followed: no join');
  assert.deepEqual(Object.keys(t.c.positions), ['room:b'], 'room:a is forgotten');
  const f = t.fake.last.frames('send')[0];
  t.fake.last.serverSend({ type: 'sent', ref: f.ref, stream: 'room:b', seq: 2, id: f.id });
  await p;
  // the application joins it again itself: in another epoch, what it held of the room is gone
  const resets = [];
  t.c.on('reset', r => resets.push(r));
  const j = t.c.join('a');
  await settle();
  joined(t.fake.last, t.fake.last.frames('join')[0], 0, '');
  await j;
  assert.deepEqual(resets, [{ stream: 'room:a', epoch: '', last: 2 }]);
  t.c.close();
});

test('a lost room joined again in the same history is no reset', async () => {
  const t = setup();
  const resets = [];
  t.c.on('reset', r => resets.push(r));
  await online(t, { streams: { 'room:a': { head: 1, epoch: 'A' } } });
  t.fake.last.serverSend(msg('room:a', 2));
  await reconnected(t);
  t.fake.last.serverWelcome({ streams: {} }); // left on another device meanwhile
  await settle();
  const j = t.c.join('a');
  await settle();
  joined(t.fake.last, t.fake.last.frames('join')[0], 5, 'A');
  await j;
  assert.deepEqual(resets, []);
  assert.deepEqual(t.c.positions['room:a'], { seq: 5, epoch: 'A' }, 'from the head on, as any join');
  t.c.close();
});

/**
 * A client that followed `room`, lost its connection, had a send to the room queued, and got a
 * welcome without the room: it is joining it again. Returns the client, the send's outcome, the
 * error events.
 */
async function rejoiningAfterRestart(room) {
  const t = setup();
  const errors = [];
  t.c.on('error', e => errors.push(e));
  await online(t, { streams: { ['room:' + room]: { head: 0, epoch: '' } } });
  t.fake.last.serverClose(1006);
  await settle();
  const p = t.c.send('room:' + room, 'x').then(() => null, e => e);
  await t.clock.advance(t.states.at(-1).delay);
  t.fake.last.serverOpen();
  t.fake.last.serverWelcome({ streams: {} });
  await settle();
  return { t, p, errors };
}

test('joining a lost room again fails: an error event, and the sends held for it get the node\'s answer', async () => {
  const { t, p, errors } = await rejoiningAfterRestart('secret'); // say a new token no longer allows the room
  const ws = t.fake.last;
  const j = ws.frames('join')[0];
  ws.serverSend({ type: 'error', ref: j.ref, code: 'forbidden', message: 'not allowed to join secret' });
  await settle();
  assert.equal(errors.length, 1);
  assert.equal(errors[0].code, 'forbidden');
  assert.match(errors[0].message, /could not join secret again .*not allowed to join secret/);
  const s = ws.frames('send')[0];
  assert.equal(s.to, 'room:secret', 'released once the join is answered');
  ws.serverSend({ type: 'error', ref: s.ref, code: 'forbidden', message: 'not allowed to send to room:secret' });
  assert.equal((await p).code, 'forbidden');
  t.c.close();
});

test('close() while a lost room is being joined again: its sends reject with closed, and no error event', async () => {
  const { t, p, errors } = await rejoiningAfterRestart('a');
  assert.deepEqual(sentFrames(t.fake.last), ['join a']);
  t.c.close();
  assert.equal((await p).code, 'closed');
  assert.deepEqual(errors, []);
});

test('a node process restarted on an empty in-memory store while a message waits: the room is joined again first, the message stored once',
  { skip: needsServer('jar'), timeout: 180000 }, async t => {
    const port = await NodeProcess.freePort();
    let node = await new NodeProcess(port).start();
    const gus = uniq('gus');
    const room = uniq('room');
    const c = connect(wsUrl(node.url), { getToken: () => tokenFor(gus), device: 'phone', backoffBaseMs: 200, backoffCapMs: 2000 });
    const r = record(c, gus);
    t.after(async () => { c.close(); await node.kill(); });
    try {
      await waitFor(r.online, { what: 'online', timeout: 30000 });
      await c.join(room);
      await c.send('room:' + room, { text: 'before the restart' });
      await waitFor(() => r.messages.length === 1, { what: 'the first message back' });
      const before = await streamEpoch(node.url, 'room:' + room);

      assert.equal(await node.stop(), 0);
      await waitFor(() => c.state === 'offline', { what: 'offline' });
      const waiting = c.send('room:' + room, { text: 'typed while the node was down' }, { id: 'typed-' + gus });
      node = await new NodeProcess(port).start();

      const sent = await waiting;
      assert.equal(sent.seq, 1, 'seq 1 of the room\'s new history');
      const log = await history(node.url, 'room:' + room);
      assert.deepEqual(log.map(m => [m.id, m.body.text]), [['typed-' + gus, 'typed while the node was down']], 'stored once');
      await waitFor(() => r.messages.length === 2, { what: 'the message delivered back to its room' });
      assert.deepEqual(r.texts('room:' + room), ['before the restart', 'typed while the node was down']);
      assert.deepEqual(r.errors, [], 'no error: the send was not refused');
      assert.deepEqual(c.rooms, [room]);
      const welcome = r.events.filter(e => e.type === 'welcome').at(-1).ev;
      assert.deepEqual(welcome.rejoining, [room]);
      assert.deepEqual(r.resets.filter(x => x.stream === 'room:' + room), [{ stream: 'room:' + room, epoch: '', last: 1 }],
        `the room's history (epoch ${before}) is gone: a reset`);
      // the rest of the new history arrives too
      await apiSend(node.url, 'room:' + room, { text: 'after' });
      await waitFor(() => r.texts('room:' + room).length === 3, { what: 'a later message' });
    } catch (e) {
      t.diagnostic(r.log.join('\n') + '\n--- node ---\n' + node.output.slice(-3000));
      throw e;
    }
  });
