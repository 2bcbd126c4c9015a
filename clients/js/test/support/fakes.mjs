// Deterministic stand-ins for the unit tests only (backoff, close-code policy, watchdog): a clock
// whose time moves when the test says so, and a WebSocket the test plays the server side of. The
// behaviour against a real node is tested in the other files, against real nodes.
import assert from 'node:assert/strict';
import { connect } from '../../src/switchboard.js';

export class FakeClock {
  constructor(start = 1_700_000_000_000) {
    this.t = start;
    this.timers = new Map();
    this.nextId = 1;
    this.scheduled = []; // every delay ever asked for, in order: { ms, at }
  }

  now() {
    return this.t;
  }

  setTimeout(fn, ms) {
    const id = this.nextId++;
    this.timers.set(id, { fn, at: this.t + Math.max(0, ms), ms });
    this.scheduled.push({ ms, at: this.t });
    return id;
  }

  clearTimeout(id) {
    this.timers.delete(id);
  }

  /** The bound methods, as the client's `clock` option wants them. */
  get api() {
    return { now: () => this.now(), setTimeout: (f, ms) => this.setTimeout(f, ms), clearTimeout: id => this.clearTimeout(id) };
  }

  /** Moves time forward by `ms`, running due timers in order, letting promises settle in between. */
  async advance(ms) {
    const end = this.t + ms;
    for (let guard = 0; guard < 100000; guard++) {
      await settle();
      let next = null;
      for (const [id, tm] of this.timers) if (tm.at <= end && (!next || tm.at < next[1].at)) next = [id, tm];
      if (!next) break;
      this.timers.delete(next[0]);
      this.t = next[1].at;
      next[1].fn();
    }
    this.t = end;
    await settle();
  }
}

/** Lets pending promise callbacks (the client's async connect steps) run. */
export async function settle() {
  for (let i = 0; i < 5; i++) await new Promise(r => setImmediate(r));
}

/** A WebSocket class whose instances the test drives: fake.last.serverOpen(), .serverSend(frame), .serverClose(code). */
export function fakeWebSocket() {
  const sockets = [];
  class FakeWS {
    constructor(url) {
      this.url = url;
      this.readyState = 0;
      this.sent = [];
      this.closedBy = null;
      sockets.push(this);
    }

    send(text) {
      if (this.readyState !== 1) throw new Error('not open');
      this.sent.push(JSON.parse(text));
    }

    close(code, reason) {
      this.closedBy = { code, reason };
      this.readyState = 3;
    }

    // ---- the server side, for the test ----
    serverOpen() {
      this.readyState = 1;
      this.onopen && this.onopen({});
    }

    serverSend(frame) {
      this.onmessage && this.onmessage({ data: JSON.stringify(frame) });
    }

    serverWelcome(extra = {}) {
      this.serverSend({ type: 'welcome', user: 'u', session: 's', node: 'n1', heartbeat: 25000, streams: {}, ...extra });
    }

    serverClose(code, reason = '') {
      this.readyState = 3;
      this.onclose && this.onclose({ code, reason });
    }

    frames(type) {
      return this.sent.filter(f => f.type === type);
    }
  }
  return {
    WebSocket: FakeWS,
    sockets,
    get last() {
      return sockets[sockets.length - 1];
    },
  };
}

/** A client on a fake clock and socket; `rand` is consumed in order (then repeats its last value). */
export function setup(options = {}, rand = [0.5]) {
  const clock = new FakeClock();
  const fake = fakeWebSocket();
  let i = 0;
  const random = () => rand[Math.min(i++, rand.length - 1)];
  const states = [];
  const c = connect('ws://127.0.0.1:1/ws', {
    token: 'static-token', WebSocket: fake.WebSocket, clock: clock.api, random, ...options,
  });
  c.on('state', s => states.push(s));
  return { c, clock, fake, states };
}

/** Opens the pending socket and answers its hello with a welcome (`welcome` adds to the frame). */
export async function online(t, welcome = {}) {
  await settle();
  t.fake.last.serverOpen();
  t.fake.last.serverWelcome(welcome);
  await settle();
  assert.equal(t.c.state, 'online');
}

/** Drops the connection and opens the next one, up to its hello (not answered yet). */
export async function reconnected(t) {
  t.fake.last.serverClose(1006);
  await settle();
  await t.clock.advance(t.states.at(-1).delay);
  t.fake.last.serverOpen();
  return t.fake.last.frames('hello')[0];
}

export function msg(stream, seq) {
  return { type: 'message', stream, seq, id: stream + '#' + seq, from: 'x', body: seq };
}
