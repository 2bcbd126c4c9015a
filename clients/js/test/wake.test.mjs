// In a browser the client does not wait out a backoff delay once the network or the page is back:
// the window's `online` event and the document becoming visible (a hidden tab's timers are
// throttled, on phones for minutes) start an attempt at once, with the attempt count reset. Played
// here with a fake window and document (EventTargets) on a fake clock; without them (Node) the
// client listens to nothing.
import test from 'node:test';
import assert from 'node:assert/strict';
import { settle, setup, online } from './support/fakes.mjs';

/** A window and a document, as far as the client uses them, installed as globals until `t` ends. */
function fakeBrowser(t) {
  const window = new EventTarget();
  const document = new EventTarget();
  document.visibilityState = 'visible';
  const had = { window: globalThis.window, document: globalThis.document };
  globalThis.window = window;
  globalThis.document = document;
  t.after(() => Object.assign(globalThis, had));
  return {
    window,
    document,
    show(state) {
      document.visibilityState = state;
      document.dispatchEvent(new Event('visibilitychange'));
    },
  };
}

/** Online, then lost: waiting for a retry drawn from `rand` (0.999: near the top of the range). */
async function waitingToRetry(t) {
  const c = setup({}, [0.999]);
  await online(c);
  c.fake.last.serverClose(1006);
  await settle();
  assert.equal(c.c.state, 'offline');
  t.after(() => c.c.close());
  return c;
}

test('the browser\'s online event: an attempt at once, not after the backoff delay', async t => {
  const b = fakeBrowser(t);
  const c = await waitingToRetry(t);
  // a few failed attempts: the delays grow
  for (let i = 0; i < 3; i++) {
    await c.clock.advance(c.states.at(-1).delay);
    c.fake.last.serverClose(1006);
    await settle();
  }
  assert.equal(c.states.at(-1).attempt, 3);
  assert.ok(c.states.at(-1).delay > 7000, 'a long wait ahead: ' + c.states.at(-1).delay);
  const sockets = c.fake.sockets.length;
  b.window.dispatchEvent(new Event('online'));
  await settle();
  assert.equal(c.fake.sockets.length, sockets + 1, 'a new socket without the clock moving');
  assert.equal(c.c.state, 'connecting');
  c.fake.last.serverClose(1006);
  await settle();
  assert.equal(c.states.at(-1).attempt, 0, 'the attempt count starts over');
  assert.equal(c.states.at(-1).delay, Math.floor(0.999 * 1000));
});

test('the page becoming visible: an attempt at once; hidden, or the browser offline: no', async t => {
  const b = fakeBrowser(t);
  const c = await waitingToRetry(t);
  const sockets = c.fake.sockets.length;
  b.show('hidden');
  await settle();
  assert.equal(c.fake.sockets.length, sockets, 'hiding the page starts nothing');
  const hadNavigator = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  Object.defineProperty(globalThis, 'navigator', { value: { onLine: false }, configurable: true, writable: true });
  try {
    b.show('visible');
    await settle();
    assert.equal(c.fake.sockets.length, sockets, 'visible while the browser is offline: the online event will come');
  } finally {
    if (hadNavigator) Object.defineProperty(globalThis, 'navigator', hadNavigator);
    else delete globalThis.navigator;
  }
  b.show('hidden');
  b.show('visible');
  await settle();
  assert.equal(c.fake.sockets.length, sockets + 1, 'visible again: a new socket without the clock moving');
});

test('a live connection is left alone by online and visibility events; a closed client ignores them', async t => {
  const b = fakeBrowser(t);
  const c = setup();
  await online(c);
  b.window.dispatchEvent(new Event('online'));
  b.show('visible');
  await settle();
  assert.equal(c.fake.sockets.length, 1);
  assert.equal(c.c.state, 'online');
  c.fake.last.serverClose(1006);
  await settle();
  c.c.close();
  b.window.dispatchEvent(new Event('online'));
  b.show('visible');
  await settle();
  assert.equal(c.fake.sockets.length, 1, 'no connection after close()');
  assert.equal(c.c.state, 'closed');
});

test('in Node (no window, no document, or ones without addEventListener) nothing is listened to', async t => {
  const had = { window: globalThis.window, document: globalThis.document };
  t.after(() => Object.assign(globalThis, had));
  globalThis.window = {};
  globalThis.document = { visibilityState: 'visible' };
  const c = setup();
  await online(c);
  c.fake.last.serverClose(1006);
  await settle();
  assert.equal(c.c.state, 'offline');
  await c.clock.advance(c.states.at(-1).delay);
  assert.equal(c.fake.sockets.length, 2, 'the backoff timer alone reconnects');
  c.c.close();
});
