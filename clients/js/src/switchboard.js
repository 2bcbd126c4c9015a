// @switchboard/client: the JavaScript client of Switchboard protocol v1 (docs/protocol.md).
//
// One file, no runtime dependency in browsers; in Node without a global WebSocket (Node < 22) it
// loads the `ws` package on first connect. The node serves this very file at /sdk/switchboard.js.
//
//   import { connect } from '@switchboard/client';
//   const c = connect('wss://chat.example.com/ws', { getToken, device: 'phone-7f3a' });
//   c.on('message', m => ...);
//   await c.send('room:lobby', { text: 'hi' });
//
// What it does for the application: hello/welcome/resume, exactly-once in-order delivery per
// stream (duplicates dropped by seq, gaps and resets surfaced), batched acks, heartbeats,
// reconnects with full-jitter backoff following the close codes, and an outbox of sends with
// client ids so that a send reported as sent is stored exactly once. Types: switchboard.d.ts.

export const VERSION = '0.1.0';

/** Close codes after which the client reconnects (protocol "Rules for clients", rule 1). */
export const RECONNECT_CLOSE_CODES = Object.freeze([1001, 1005, 1006, 1011, 1012, 1013, 4408, 4429]);
/** Close codes after which it never does. Any code in neither list is treated the same way. */
export const FINAL_CLOSE_CODES = Object.freeze([1000, 1002, 1003, 1007, 1009, 4400, 4403]);
/** Unauthorized: reconnect only with a fresh token from getToken(). */
export const UNAUTHORIZED = 4401;
/** Service restart: reconnect after the server's `reconnect.after` hint. */
export const SERVICE_RESTART = 1012;

export const DEFAULTS = Object.freeze({
  backoffBaseMs: 1000,
  backoffCapMs: 10000,
  stableAfterMs: 10000,
  connectTimeoutMs: 15000,
  ackIntervalMs: 1000,
  persistIntervalMs: 1000,
  maxQueue: 1000,
  sendRetries: 5,
  retryBaseMs: 500,
  retryCapMs: 8000,
  requestTimeoutMs: 10000,
  idempotencyWindowMs: 600000,
  maxFrameBytes: 65536,
  maxFramesPerSecond: 80,
  maxFramesBurst: 160,
  maxAuthFailures: 3,
  tokenRefreshMarginMs: 60000,
});

const ID_RE = /^[A-Za-z0-9_.:@|+=-]{1,128}$/;
const MAX_EPOCH_LENGTH = 32; // the node refuses a longer one in hello.resume, with 4400 (final)
const STORED_VERSION = 2;
const OPEN = 1; // WebSocket.OPEN, the same in browsers and in ws
const LOCAL_DROP = 1006; // what a connection we gave up on is reported as: lost

/** True when `id` is a valid stream, user, room or message id (1-128 of A-Z a-z 0-9 _ . : @ | + = -). */
export function isValidId(id) {
  return typeof id === 'string' && ID_RE.test(id);
}

/** A random message id (a UUID where crypto.randomUUID exists). */
export function newId() {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  return Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 12) + Math.random().toString(36).slice(2, 12);
}

/**
 * The full-jitter backoff delay before reconnect attempt `attempt` (0 for the first retry):
 * a random whole number of ms in [0, min(capMs, baseMs * 2^attempt)).
 */
export function backoffDelay(attempt, { baseMs = DEFAULTS.backoffBaseMs, capMs = DEFAULTS.backoffCapMs } = {}, random = Math.random) {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(Math.max(0, attempt), 52));
  const r = Math.min(Math.max(Number(random()) || 0, 0), 1);
  return Math.min(Math.floor(r * ceiling), Math.max(0, ceiling - 1));
}

/**
 * What the client does after a close code: 'retry' (backoff), 'hint' (1012: the server's reconnect
 * hint, else backoff), 'token' (4401: only with a fresh token) or 'never'.
 */
export function closeAction(code, retryCodes = RECONNECT_CLOSE_CODES) {
  if (code === UNAUTHORIZED) return 'token';
  if (FINAL_CLOSE_CODES.includes(code)) return 'never';
  if (!retryCodes.includes(code)) return 'never';
  return code === SERVICE_RESTART ? 'hint' : 'retry';
}

/** An error with the protocol's error code (`forbidden`, `unavailable`, ...) or a client code. */
export class SwitchboardError extends Error {
  constructor(code, message, details = {}) {
    super(message || code);
    this.name = 'SwitchboardError';
    this.code = code;
    for (const [k, v] of Object.entries(details)) if (v !== undefined) this[k] = v;
    if (this.maybeStored === undefined) this.maybeStored = false;
  }
}

/** Positions kept in memory only (the default): they live as long as the client object. */
export function memoryStorage() {
  const map = new Map();
  return {
    get: key => (map.has(key) ? map.get(key) : null),
    set: (key, value) => { map.set(key, value); },
  };
}

/** Positions kept in the browser's localStorage (or any Web Storage), so a reloaded page resumes. */
export function localStorageAdapter(storage) {
  const s = storage !== undefined ? storage : safeLocalStorage();
  return {
    get: key => (s ? s.getItem(key) : null),
    set: (key, value) => { if (s) s.setItem(key, value); },
  };
}

/** Creates a client and starts connecting (after the current task, so handlers can be added first). */
export function connect(url, options) {
  return new SwitchboardClient(url, options);
}

const realClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: id => clearTimeout(id),
};

export class SwitchboardClient {
  #url;
  #o;
  #clock;
  #random;
  #storage;
  #handlers = new Map();

  // connection
  #ws = null;
  #gen = 0;
  #state = 'idle';
  #stopped = false;      // close() was called: final
  #opening = false;
  #welcomed = false;
  #openedAt = 0;
  #welcomedAt = 0;
  #lastFrameAt = 0;
  #lastSocketError = '';
  #heartbeat = 25000;
  #attempt = 0;
  #authFailures = 0;
  #hintMs = null;         // from a {"type":"reconnect"} frame, for the 1012 that follows
  #everWelcomed = false;
  #user = null;
  #node = null;
  #session = null;
  #token = null;
  #refusedToken = null;
  #wsImpl = null;

  // timers by name: retry, tick, ack, pump, persist
  #timers = new Map();

  // streams and positions: a position is the last seq received in an epoch (one history of the
  // stream). An epoch can be known without a seq (the welcome's, while the node starts the stream
  // from the device's cursor or its head), and a seq without an epoch (a position stored by a
  // version of the client before epochs, until a welcome or a reset says which history it is in).
  #streams = new Set();
  #seqs = Object.create(null);
  #epochs = Object.create(null);
  #posKey = null;         // storage key the positions were loaded from
  #posUser = undefined;
  #dirty = false;
  #offlineFrom = null;
  #catchingUp = new Map(); // stream -> messages replayed so far, until its 'resumed'
  #catchup = null;
  #lostRooms = new Map();  // room stream -> position, for rooms the last welcome no longer listed
  #acksWanted = new Map();
  #acksSent = new Map();
  #storageFailing = false;

  // requests
  #ops = [];
  #refs = new Map();
  #nextRef = 1;
  #tokens = 0;
  #tokensAt = 0;

  // browser events
  #onOffline = null;
  #onOnline = null;
  #onPageHide = null;
  #onVisibility = null;

  constructor(url, options = {}) {
    if (typeof url !== 'string' || !/^wss?:\/\//.test(url)) {
      throw new TypeError('switchboard: url must be a ws:// or wss:// URL of the /ws endpoint');
    }
    const o = { ...DEFAULTS, ...options };
    if (!o.token && typeof o.getToken !== 'function') {
      throw new TypeError('switchboard: give a token or a getToken() function');
    }
    if (o.device != null && (typeof o.device !== 'string' || !o.device || o.device.length > 64)) {
      throw new TypeError('switchboard: device must be a string of 1-64 characters');
    }
    o.reconnectCloseCodes = Array.isArray(options.reconnectCloseCodes) ? options.reconnectCloseCodes.slice() : RECONNECT_CLOSE_CODES;
    o.client = typeof o.client === 'string' && o.client ? o.client.slice(0, 64) : 'switchboard-js/' + VERSION;
    this.#url = url;
    this.#o = o;
    this.#clock = { ...realClock, ...(options.clock || {}) };
    this.#random = typeof options.random === 'function' ? options.random : Math.random;
    this.#storage = options.storage || memoryStorage();
    this.#wsImpl = options.WebSocket || null;
    if (options.positions && typeof options.positions === 'object') {
      ({ seqs: this.#seqs, epochs: this.#epochs } = cleanPositions(options.positions));
      this.#posKey = '(given)';
    }
    this.#listenToBrowser();
    queueMicrotask(() => this.#open());
  }

  // ---- public API ------------------------------------------------------------------------------

  /** Adds a handler; returns a function that removes it. */
  on(type, fn) {
    if (typeof fn !== 'function') throw new TypeError('switchboard: handler must be a function');
    if (!this.#handlers.has(type)) this.#handlers.set(type, new Set());
    this.#handlers.get(type).add(fn);
    return () => this.off(type, fn);
  }

  off(type, fn) {
    this.#handlers.get(type)?.delete(fn);
  }

  /**
   * Sends `body` to a stream. Durable sends are queued while disconnected and retried with the same
   * id, so the promise resolves once the message is stored, exactly once. Transient sends are never
   * queued: they fail with `offline` when not connected.
   */
  send(to, body, { transient = false, id } = {}) {
    if (typeof to !== 'string' || !to) return Promise.reject(new SwitchboardError('bad_request', 'send: `to` must be a stream name'));
    if (body === undefined) return Promise.reject(new SwitchboardError('bad_request', 'send: `body` is required (any JSON value)'));
    if (id !== undefined && !isValidId(id)) {
      return Promise.reject(new SwitchboardError('bad_request', 'send: `id` must be 1-128 of A-Z a-z 0-9 _ . : @ | + = -'));
    }
    const frame = { type: 'send', to, body, id: id || newId() };
    if (transient) {
      frame.transient = true;
      return this.#request(frame, { queue: false });
    }
    return this.#request(frame, { queue: true });
  }

  /** Joins a room (bare id, `lobby`); resolves with `{ room, head, epoch, online, onlineCount }`. */
  join(room) {
    return this.#request({ type: 'join', room }, { queue: true });
  }

  /** Leaves a room; resolves with `{ room }`. */
  leave(room) {
    return this.#request({ type: 'leave', room }, { queue: true });
  }

  /** Round trip time to the node in ms. Fails with `offline` when not connected. */
  ping() {
    const t = this.#clock.now();
    return this.#request({ type: 'ping' }, { queue: false }).then(() => this.#clock.now() - t);
  }

  /** Drops the current connection, if any, and connects now with a fresh backoff. */
  reconnect() {
    if (this.#stopped) return;
    this.#attempt = 0;
    this.#authFailures = 0;
    this.#clearTimer('retry');
    if (this.#ws) this.#drop('reconnect requested', { quiet: true });
    this.#gen++;
    this.#opening = false;
    this.#open();
  }

  /** Closes for good: flushes acks and positions, closes with 1000, rejects what is unanswered. */
  close() {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#gen++;
    for (const t of ['retry', 'tick', 'ack', 'pump', 'persist']) this.#clearTimer(t);
    this.#unlistenToBrowser();
    this.#flushAcks(true);
    this.#persist(true);
    const ws = this.#ws;
    if (ws) {
      this.#detach();
      try { ws.close(1000, 'client closed'); } catch (e) { /* closing anyway */ }
    }
    this.#welcomed = false;
    this.#rejectAll(op => new SwitchboardError('closed', 'the client was closed', { id: op.frame.id, maybeStored: op.transmissions > 0 }));
    this.#setState('closed', { code: 1000, reason: 'closed by the application', byClient: true });
  }

  /** 'idle' | 'connecting' | 'online' | 'offline' | 'closed'. */
  get state() { return this.#state; }
  /** The user of the current (or last) session, from `welcome`. */
  get user() { return this.#user; }
  get node() { return this.#node; }
  get session() { return this.#session; }
  /** Streams the current session receives. */
  get streams() { return [...this.#streams]; }
  /** Rooms (bare ids) the current session is a member of. */
  get rooms() { return [...this.#streams].filter(s => s.startsWith('room:')).map(s => s.slice(5)); }
  /**
   * A copy of the position per stream, `{ seq, epoch }` (no `epoch` while it is not known): what the
   * next hello resumes from, and what the `positions` option takes back.
   */
  get positions() {
    const out = {};
    for (const [s, seq] of Object.entries(this.#seqs)) {
      out[s] = this.#epochs[s] !== undefined ? { seq, epoch: this.#epochs[s] } : { seq };
    }
    return out;
  }
  /** Requests not answered yet (queued or in flight). */
  get pending() { return this.#ops.length; }

  // ---- connection lifecycle --------------------------------------------------------------------

  async #open() {
    if (this.#stopped || this.#ws || this.#opening) return;
    this.#opening = true;
    const gen = ++this.#gen;
    this.#setState('connecting', { attempt: this.#attempt });
    let token;
    let WS;
    try {
      token = await this.#currentToken(this.#token === null);
      if (gen !== this.#gen) return;
      if (token === this.#refusedToken) {
        this.#opening = false;
        this.#terminate(UNAUTHORIZED, 'the server refused the token and getToken() returned it again');
        return;
      }
      await this.#loadPositions(tokenSubject(token));
      if (gen !== this.#gen) return;
      WS = this.#wsImpl || (this.#wsImpl = await resolveWebSocket());
      if (gen !== this.#gen) return;
    } catch (e) {
      if (gen !== this.#gen) return;
      this.#opening = false;
      const fatal = e && e.fatal;
      this.#emit('error', e instanceof SwitchboardError ? e : new SwitchboardError('token', 'could not get a token: ' + errorText(e), { cause: e }));
      if (fatal) this.#terminate(null, errorText(e));
      else this.#scheduleRetry(null, errorText(e));
      return;
    }
    let ws;
    try {
      ws = new WS(this.#url);
    } catch (e) {
      this.#opening = false;
      this.#scheduleRetry(null, errorText(e));
      return;
    }
    this.#opening = false;
    this.#ws = ws;
    this.#welcomed = false;
    this.#lastSocketError = '';
    this.#openedAt = this.#lastFrameAt = this.#clock.now();
    this.#hintMs = null;
    ws.onopen = () => {
      const hello = { type: 'hello', token, client: this.#o.client };
      if (this.#o.device) hello.device = this.#o.device;
      const resume = {};
      for (const [s, seq] of Object.entries(this.#seqs)) {
        // a bare seq is all a position stored before epochs has: the node takes it to be in the
        // current history, and cannot tell one that started over and already passed it
        resume[s] = this.#epochs[s] !== undefined ? { seq, epoch: this.#epochs[s] } : seq;
      }
      if (Object.keys(resume).length) hello.resume = resume;
      this.#raw(hello);
    };
    ws.onmessage = ev => { if (this.#ws === ws) this.#onFrame(ev.data); };
    ws.onerror = ev => { this.#lastSocketError = (ev && (ev.message || (ev.error && ev.error.message))) || ''; };
    ws.onclose = ev => {
      if (this.#ws !== ws) return;
      this.#detach();
      this.#disconnected(ev.code || LOCAL_DROP, ev.reason || this.#lastSocketError || '');
    };
    this.#startTick();
  }

  async #currentToken(force) {
    const o = this.#o;
    if (typeof o.getToken !== 'function') return o.token;
    if (!force && this.#token && !expiresWithin(this.#token, this.#clock.now(), o.tokenRefreshMarginMs)) return this.#token;
    const t = await o.getToken();
    if (typeof t !== 'string' || !t) throw new SwitchboardError('token', 'getToken() must resolve to a non-empty string');
    this.#token = t;
    return t;
  }

  #detach() {
    const ws = this.#ws;
    if (!ws) return;
    ws.onopen = ws.onmessage = ws.onclose = null;
    ws.onerror = () => {}; // ws (Node) throws on an 'error' event nobody listens to
    this.#ws = null;
  }

  /** Gives up on the current socket now (dead, or no longer wanted): no waiting for a close handshake. */
  #drop(reason, { quiet = false } = {}) {
    const ws = this.#ws;
    if (!ws) return;
    this.#detach();
    try {
      if (typeof ws.terminate === 'function') ws.terminate();
      else ws.close(4000, String(reason).slice(0, 100));
    } catch (e) { /* already closing */ }
    this.#disconnected(LOCAL_DROP, reason, quiet);
  }

  #disconnected(code, reason, quiet = false) {
    const now = this.#clock.now();
    const wasWelcomed = this.#welcomed;
    this.#welcomed = false;
    this.#clearTimer('tick');
    this.#clearTimer('ack');
    this.#clearTimer('pump');
    if (wasWelcomed) {
      this.#offlineFrom = now;
      if (now - this.#welcomedAt >= this.#o.stableAfterMs) this.#attempt = 0;
    }
    this.#persist(true);
    this.#acksWanted.clear();
    this.#acksSent.clear();
    this.#catchingUp.clear();
    this.#catchup = null;
    this.#refs.clear();
    for (const op of this.#ops) op.inflight = false;
    this.#rejectWhere(op => !op.queue, () => new SwitchboardError('offline', 'the connection was lost before an answer'));
    if (this.#stopped || quiet) return;
    const action = closeAction(code, this.#o.reconnectCloseCodes);
    const text = reason || describeClose(code);
    if (action === 'never') {
      this.#terminate(code, text);
      return;
    }
    if (action === 'token') {
      if (typeof this.#o.getToken !== 'function') {
        this.#terminate(code, text + ' (no getToken() to fetch a fresh token)');
        return;
      }
      if (++this.#authFailures >= this.#o.maxAuthFailures) {
        this.#terminate(code, text + ` (${this.#authFailures} tokens refused in a row)`);
        return;
      }
      this.#refusedToken = this.#token;
      this.#token = null; // the next attempt calls getToken()
      this.#scheduleRetry(code, text);
      return;
    }
    const hint = action === 'hint' && this.#hintMs !== null ? Math.min(this.#hintMs, this.#o.backoffCapMs) : null;
    this.#hintMs = null;
    this.#scheduleRetry(code, text, hint);
  }

  #scheduleRetry(code, reason, fixedDelay = null) {
    const attempt = this.#attempt;
    const delay = fixedDelay !== null ? fixedDelay
      : backoffDelay(attempt, { baseMs: this.#o.backoffBaseMs, capMs: this.#o.backoffCapMs }, this.#random);
    this.#attempt++;
    const retryAt = this.#clock.now() + delay;
    this.#clearTimer('retry');
    this.#setTimer('retry', delay, () => this.#open());
    this.#setState('offline', { code: code === null ? undefined : code, reason, retryAt, delay, attempt });
  }

  /** Stops reconnecting: state 'closed', every unanswered request rejected. */
  #terminate(code, reason) {
    this.#clearTimer('retry');
    this.#rejectAll(op => new SwitchboardError('closed', 'connection closed: ' + reason, {
      closeCode: code === null ? undefined : code, id: op.frame.id, maybeStored: op.transmissions > 0,
    }));
    this.#setState('closed', { code: code === null ? undefined : code, reason });
  }

  #startTick() {
    this.#clearTimer('tick');
    const period = Math.max(50, Math.min(1000, Math.floor(this.#heartbeat / 4)));
    this.#setTimer('tick', period, () => {
      this.#tick();
      if (this.#ws && !this.#hasTimer('tick')) this.#startTick();
    });
  }

  #tick() {
    const now = this.#clock.now();
    if (this.#ws && !this.#welcomed && now - this.#openedAt > this.#o.connectTimeoutMs) {
      this.#drop(`no welcome within ${this.#o.connectTimeoutMs} ms`);
      return;
    }
    if (this.#welcomed && now - this.#lastFrameAt > 2 * this.#heartbeat) {
      this.#drop(`nothing received for ${now - this.#lastFrameAt} ms (2 x heartbeat ${this.#heartbeat} ms): connection dead`);
      return;
    }
    if (this.#welcomed) {
      let resend = false;
      for (const op of this.#ops) {
        // no answer (the frame may have been dropped, e.g. rate limited): send it again, same id
        if (op.inflight && now - op.sentAt > this.#o.requestTimeoutMs) {
          op.inflight = false;
          resend = true;
        }
      }
      if (resend) this.#pump();
    }
  }

  // ---- browser integration ---------------------------------------------------------------------

  // Only in a browser: Node has neither `window` nor `document` (both guarded, as are their methods).
  #listenToBrowser() {
    const w = browserGlobal('window');
    const d = browserGlobal('document');
    // the network or the page is back: waiting out a backoff delay now only keeps the user waiting
    // (a hidden page's timers are throttled, on phones for minutes)
    const wake = () => { if (this.#state === 'offline') this.reconnect(); };
    if (w) {
      this.#onOffline = () => { if (this.#ws) this.#drop('the browser went offline'); };
      this.#onOnline = wake;
      this.#onPageHide = () => { this.#flushAcks(true); this.#persist(true); };
      w.addEventListener('offline', this.#onOffline);
      w.addEventListener('online', this.#onOnline);
      w.addEventListener('pagehide', this.#onPageHide);
    }
    if (d) {
      this.#onVisibility = () => {
        const offlineBrowser = typeof navigator !== 'undefined' && navigator && navigator.onLine === false;
        if (d.visibilityState === 'visible' && !offlineBrowser) wake();
      };
      d.addEventListener('visibilitychange', this.#onVisibility);
    }
  }

  #unlistenToBrowser() {
    const w = browserGlobal('window');
    const d = browserGlobal('document');
    if (w && this.#onOffline) {
      w.removeEventListener('offline', this.#onOffline);
      w.removeEventListener('online', this.#onOnline);
      w.removeEventListener('pagehide', this.#onPageHide);
    }
    if (d && this.#onVisibility) d.removeEventListener('visibilitychange', this.#onVisibility);
  }

  // ---- frames in -------------------------------------------------------------------------------

  #onFrame(text) {
    this.#lastFrameAt = this.#clock.now();
    if (typeof text !== 'string') return;
    let f;
    try {
      f = JSON.parse(text);
    } catch (e) {
      return;
    }
    if (!f || typeof f !== 'object') return;
    switch (f.type) {
      case 'welcome': return this.#onWelcome(f);
      case 'message': return this.#onMessage(f);
      case 'gap': return this.#onGap(f);
      case 'reset': return this.#onReset(f);
      case 'resumed': return this.#onResumed(f);
      case 'presence': return this.#emit('presence', { room: f.room, user: f.user, state: f.state });
      case 'ping': return this.#raw(f.ref !== undefined ? { type: 'pong', ref: f.ref } : { type: 'pong' });
      case 'reconnect': this.#hintMs = Math.max(0, Number(f.after) || 0); return undefined;
      case 'sent': case 'joined': case 'left': case 'pong': case 'error': return this.#onReply(f);
      default: return undefined;
    }
  }

  #onWelcome(w) {
    const now = this.#clock.now();
    this.#welcomed = true;
    this.#welcomedAt = now;
    this.#authFailures = 0;
    this.#refusedToken = null;
    this.#user = w.user;
    this.#node = w.node;
    this.#session = w.session;
    this.#heartbeat = w.heartbeat > 0 ? w.heartbeat : 25000;
    this.#startTick();
    this.#tokens = this.#o.maxFramesBurst;
    this.#tokensAt = now;
    const info = w.streams && typeof w.streams === 'object' ? w.streams : {};
    const streams = Object.keys(info);
    // rooms followed before (the last session, or the stored positions) that this session does not
    // follow: left on another device, removed through the HTTP API, no longer allowed by the token,
    // or forgotten by a node that lost its store. Their positions are kept until the next welcome,
    // or, for a room being joined again, until that join is answered: a connection lost before the
    // answer must not turn a lost history into one that seems whole.
    const lost = new Map();
    for (const [s, held] of this.#lostRooms) {
      if (!Object.hasOwn(info, s) && this.#restoring(s.slice(5))) lost.set(s, held);
    }
    for (const s of new Set([...this.#streams, ...Object.keys(this.#seqs)])) {
      if (s.startsWith('room:') && !Object.hasOwn(info, s) && !lost.has(s)) lost.set(s, { seq: this.#seqs[s], epoch: this.#epochs[s] });
    }
    this.#lostRooms = lost;
    this.#streams = new Set(streams);
    for (const s of new Set([...Object.keys(this.#seqs), ...Object.keys(this.#epochs)])) {
      if (!this.#streams.has(s)) { // no longer received (left elsewhere): forget
        delete this.#seqs[s];
        delete this.#epochs[s];
      }
    }
    for (const s of streams) {
      const epoch = isEpoch(info[s] && info[s].epoch) ? info[s].epoch : undefined;
      const head = Number(info[s] && info[s].head) || 0;
      if (epoch !== undefined) {
        const held = this.#epochs[s];
        if (this.#seqs[s] === undefined) {
          // the node starts the stream in its current history (or says `reset` first)
          this.#epochs[s] = epoch;
        } else if ((held === undefined || held === '') && this.#seqs[s] <= head) {
          // the node takes a position without a history to be in the current one; above the head
          // it cannot be, and the node's `reset` follows. So does it for a position in another epoch.
          this.#epochs[s] = epoch;
        }
      }
      this.#catchingUp.set(s, 0);
    }
    this.#catchup = { offlineFrom: this.#offlineFrom, offlineTo: now, count: 0, streams: {}, gaps: [], resets: [] };
    this.#markDirty();
    const rejoining = this.#restoreRooms();
    const first = !this.#everWelcomed;
    this.#everWelcomed = true;
    this.#setState('online', { node: w.node });
    this.#emit('welcome', { ...w, first, rejoining });
    this.#pump();
    if (!streams.length) this.#finishCatchup();
  }

  /**
   * Joins again, ahead of everything queued, each lost room that queued sends go to: they were
   * written for that room, and the node refuses them until the membership is back. Other lost rooms
   * stay lost: the client cannot tell a leave made elsewhere from a node that forgot.
   */
  #restoreRooms() {
    const rooms = [];
    for (const stream of this.#lostRooms.keys()) {
      const room = stream.slice(5);
      if (this.#restoring(room)) { // a join of an earlier welcome, not answered before the connection was lost
        rooms.push(room);
        continue;
      }
      if (!this.#ops.some(op => op.frame.type === 'send' && op.frame.to === stream)) continue;
      if (this.#ops.some(op => (op.frame.type === 'join' || op.frame.type === 'leave') && op.frame.room === room)) continue;
      rooms.push(room);
      const op = this.#newOp({ type: 'join', room }, () => {}, e => {
        // closed: the application closed the client, or was told so by the state event
        if (e.code !== 'closed') this.#emit('error', new SwitchboardError(e.code, `could not join ${room} again for the messages waiting for it: ${e.message}`));
      });
      op.restore = true;
      this.#ops.unshift(op);
    }
    return rooms;
  }

  /** Whether a join made to restore the room (see {@link #restoreRooms}) waits for its answer. */
  #restoring(room) {
    return this.#ops.some(op => op.restore && op.frame.room === room);
  }

  #onMessage(m) {
    if (typeof m.stream !== 'string') return;
    if (m.seq == null) {
      this.#emit('message', { ...m, transient: true });
      return;
    }
    const last = this.#seqs[m.stream];
    if (last != null && m.seq <= last) return; // a duplicate: already delivered to the application
    this.#seqs[m.stream] = m.seq;
    this.#markDirty();
    this.#streams.add(m.stream); // e.g. a room joined by another session, before its `joined`
    this.#wantAck(m.stream, m.seq);
    const replaying = this.#catchingUp.has(m.stream);
    if (replaying) this.#catchingUp.set(m.stream, this.#catchingUp.get(m.stream) + 1);
    let ev = m;
    // message frames name no epoch; an application that keeps messages by seq needs it to tell a
    // seq 1 after a reset from the old seq 1
    if (this.#epochs[m.stream] !== undefined) ev = { ...ev, epoch: this.#epochs[m.stream] };
    if (replaying) ev = { ...ev, replayed: true };
    this.#emit('message', ev);
  }

  #onReset(r) {
    if (typeof r.stream !== 'string' || !isEpoch(r.epoch)) return;
    const s = r.stream;
    const last = this.#seqs[s] !== undefined ? this.#seqs[s] : null;
    const was = this.#epochs[s];
    this.#seqs[s] = 0;
    this.#epochs[s] = r.epoch;
    // acks of the old history would name seqs of the new one: the node refuses or misreads them
    this.#acksWanted.delete(s);
    this.#acksSent.delete(s);
    this.#markDirty();
    // seq 0 of a stream without history: the node only tells the epoch its first message started,
    // nothing was lost. Anything else voids a position, ours or (last null) the device's cursor.
    if (was === '' && !last && r.epoch !== '') return;
    const ev = { stream: s, epoch: r.epoch, last };
    if (this.#catchup) this.#catchup.resets.push(ev);
    this.#emit('reset', ev);
  }

  #onGap(g) {
    if (!(this.#seqs[g.stream] >= g.to)) {
      this.#seqs[g.stream] = g.to;
      this.#markDirty();
    }
    const gap = { stream: g.stream, from: g.from, to: g.to };
    if (this.#catchup) this.#catchup.gaps.push(gap);
    this.#emit('gap', gap);
  }

  #onResumed(r) {
    if (Number.isSafeInteger(r.to) && r.to >= 0) {
      // even an empty replay fixes the position (to = 0 included): without it, the next hello would
      // not name this stream and the node would start it at its head, skipping what came meanwhile
      if (!(this.#seqs[r.stream] >= r.to)) {
        this.#seqs[r.stream] = r.to;
        this.#markDirty();
      }
      if (r.to > 0) this.#wantAck(r.stream, r.to);
    }
    const n = this.#catchingUp.get(r.stream) || 0;
    this.#catchingUp.delete(r.stream);
    if (this.#catchup) {
      this.#catchup.count += n;
      this.#catchup.streams[r.stream] = { from: r.from, to: r.to, count: n };
    }
    if (!this.#catchingUp.size) this.#finishCatchup();
  }

  #finishCatchup() {
    if (!this.#catchup) return;
    const c = this.#catchup;
    this.#catchup = null;
    this.#offlineFrom = null;
    this.#persist(true);
    this.#emit('resumed', c);
  }

  #onReply(f) {
    const op = f.ref !== undefined ? this.#refs.get(f.ref) : undefined;
    if (!op) {
      if (f.ref === undefined && (f.type === 'joined' || f.type === 'left')) {
        // another session of this user (a tab, a device) joined or left a room
        this.#applyMembership(f, true);
      } else if (f.type === 'error') {
        this.#emit('error', new SwitchboardError(f.code || 'internal', f.message, { ref: f.ref }));
      }
      return;
    }
    if (f.type === 'error') {
      if (f.code === 'unavailable' && op.retries < this.#o.sendRetries) {
        // not stored, or stored without confirmation: the same id makes the retry safe
        op.retries++;
        op.inflight = false;
        this.#unref(op);
        op.notBefore = this.#clock.now()
          + backoffDelay(op.retries - 1, { baseMs: this.#o.retryBaseMs, capMs: this.#o.retryCapMs }, this.#random);
        this.#pump();
        return;
      }
      this.#settle(op);
      op.reject(new SwitchboardError(f.code || 'internal', f.message, {
        ref: f.ref, id: op.frame.id, maybeStored: f.code === 'unavailable' || f.code === 'internal', reason: f.reason,
      }));
      if (op.frame.type === 'join' || op.frame.type === 'leave') this.#pump(); // sends held for it go now
      return;
    }
    this.#settle(op);
    if (f.type === 'joined' || f.type === 'left') this.#applyMembership(f, false, op.restore);
    if (f.type === 'pong') {
      op.resolve(undefined);
    } else if (f.type === 'sent') {
      op.resolve(f.seq === undefined ? { stream: f.stream, id: f.id } : { stream: f.stream, seq: f.seq, id: f.id });
    } else {
      const { type, ref, ...rest } = f;
      op.resolve(rest);
      this.#pump(); // sends held for this join or leave go now
    }
  }

  #applyMembership(f, elsewhere, restored = false) {
    const stream = 'room:' + f.room;
    if (f.type === 'joined') {
      if (!this.#streams.has(stream)) {
        // delivery starts after head; a session that already follows the room keeps its position
        this.#streams.add(stream);
        const epoch = isEpoch(f.epoch) ? f.epoch : undefined;
        const lost = this.#lostRooms.get(stream);
        this.#lostRooms.delete(stream);
        if (lost && lost.epoch !== undefined && epoch !== undefined && lost.epoch !== epoch && !(lost.epoch === '' && !lost.seq)) {
          // a room followed before whose history is gone since (a node that lost its store): what
          // was sent to it after the position held is lost, as a `reset` frame would have said
          const ev = { stream, epoch, last: lost.seq === undefined ? null : lost.seq };
          if (this.#catchup) this.#catchup.resets.push(ev);
          this.#emit('reset', ev);
        }
        if (!(this.#seqs[stream] >= f.head && this.#epochs[stream] === epoch)) {
          this.#seqs[stream] = f.head;
          if (epoch === undefined) delete this.#epochs[stream];
          else this.#epochs[stream] = epoch;
        }
        this.#markDirty();
      }
      const ev = { room: f.room, head: f.head, epoch: f.epoch, online: f.online || [], onlineCount: f.onlineCount || 0, elsewhere };
      if (restored) ev.restored = true;
      this.#emit('joined', ev);
    } else {
      this.#streams.delete(stream);
      delete this.#seqs[stream];
      delete this.#epochs[stream];
      this.#acksWanted.delete(stream);
      this.#catchingUp.delete(stream);
      this.#markDirty();
      this.#emit('left', { room: f.room, elsewhere });
    }
  }

  // ---- frames out ------------------------------------------------------------------------------

  #request(frame, { queue }) {
    return new Promise((resolve, reject) => {
      if (this.#stopped) {
        reject(new SwitchboardError('closed', 'the client was closed'));
        return;
      }
      if (this.#state === 'closed') {
        reject(new SwitchboardError('closed', 'the connection was closed for good; call reconnect() first'));
        return;
      }
      if (!queue && !this.#welcomed) {
        reject(new SwitchboardError('offline', 'not connected (transient sends and pings are never queued)'));
        return;
      }
      const bytes = utf8Length(JSON.stringify({ ...frame, ref: 'r' + 1e9 }));
      if (bytes > this.#o.maxFrameBytes) {
        reject(new SwitchboardError('too_large', `the frame would be ${bytes} bytes, over maxFrameBytes (${this.#o.maxFrameBytes})`));
        return;
      }
      if (this.#ops.length >= this.#o.maxQueue) {
        reject(new SwitchboardError('queue_full',
          `${this.#ops.length} requests are waiting for the connection (maxQueue ${this.#o.maxQueue}); this one was not queued`,
          { id: frame.id }));
        return;
      }
      this.#ops.push(this.#newOp(frame, resolve, reject, queue));
      this.#pump();
    });
  }

  #newOp(frame, resolve, reject, queue = true) {
    return {
      frame, queue, resolve, reject, inflight: false, sentAt: 0, firstSentAt: 0, transmissions: 0,
      retries: 0, notBefore: 0, refs: [],
    };
  }

  /**
   * Sends to a room that must wait for a join or leave of that room: one queued before them, or a
   * join while this session does not follow the room (the client restoring a membership, or an
   * application joining again in its `welcome` handler). Sent before it, the node would refuse them.
   */
  #heldSends() {
    const held = new Set();
    const joining = new Set(this.#ops.filter(op => op.frame.type === 'join').map(op => op.frame.room));
    const before = new Set();
    for (const op of this.#ops) {
      const f = op.frame;
      if (f.type === 'join' || f.type === 'leave') {
        before.add(f.room);
      } else if (f.type === 'send' && f.to.startsWith('room:')) {
        const room = f.to.slice(5);
        if (before.has(room) || (joining.has(room) && !this.#streams.has(f.to))) held.add(op);
      }
    }
    return held;
  }

  /** Sends what may be sent now, within the client's own rate budget; schedules the rest. */
  #pump() {
    if (!this.#welcomed || !this.#ws) return;
    const now = this.#clock.now();
    this.#refill(now);
    let wakeAt = Infinity;
    const held = this.#heldSends();
    for (const op of [...this.#ops]) {
      if (op.inflight || held.has(op)) continue;
      if (op.notBefore > now) {
        wakeAt = Math.min(wakeAt, op.notBefore);
        continue;
      }
      if (op.firstSentAt && op.frame.type === 'send' && now - op.firstSentAt >= this.#o.idempotencyWindowMs) {
        // the server remembers the id this long after it stored the message: a retry now could store it twice
        this.#settle(op);
        op.reject(new SwitchboardError('outcome_unknown',
          'no answer within the idempotency window: the message may or may not have been stored; not retried',
          { id: op.frame.id, maybeStored: true }));
        continue;
      }
      if (this.#tokens < 1) {
        wakeAt = Math.min(wakeAt, now + Math.ceil(1000 / this.#o.maxFramesPerSecond));
        break;
      }
      this.#tokens--;
      this.#transmit(op, now);
    }
    this.#clearTimer('pump');
    if (wakeAt !== Infinity) {
      this.#setTimer('pump', Math.max(1, wakeAt - now), () => this.#pump());
    }
  }

  #refill(now) {
    const o = this.#o;
    this.#tokens = Math.min(o.maxFramesBurst, this.#tokens + ((now - this.#tokensAt) * o.maxFramesPerSecond) / 1000);
    this.#tokensAt = now;
  }

  #transmit(op, now) {
    const ref = 'r' + this.#nextRef++;
    op.refs.push(ref);
    this.#refs.set(ref, op);
    op.inflight = true;
    op.sentAt = now;
    if (!op.firstSentAt) op.firstSentAt = now;
    op.transmissions++;
    this.#raw({ ...op.frame, ref });
  }

  #unref(op) {
    for (const r of op.refs) this.#refs.delete(r);
    op.refs = [];
  }

  #settle(op) {
    this.#unref(op);
    const i = this.#ops.indexOf(op);
    if (i >= 0) this.#ops.splice(i, 1);
  }

  #rejectWhere(pred, errorFor) {
    const gone = this.#ops.filter(pred);
    for (const op of gone) {
      this.#settle(op);
      op.reject(errorFor(op));
    }
  }

  #rejectAll(errorFor) {
    this.#rejectWhere(() => true, errorFor);
  }

  #raw(frame) {
    const ws = this.#ws;
    if (!ws || ws.readyState !== OPEN) return false;
    try {
      ws.send(JSON.stringify(frame));
      return true;
    } catch (e) {
      return false;
    }
  }

  #wantAck(stream, seq) {
    if ((this.#acksWanted.get(stream) || 0) >= seq) return;
    this.#acksWanted.set(stream, seq);
    if (!this.#hasTimer('ack') && this.#welcomed) this.#setTimer('ack', this.#o.ackIntervalMs, () => this.#flushAcks(false));
  }

  /** One cumulative ack per stream that moved; at most once per ackIntervalMs (timer-driven). */
  #flushAcks(unbudgeted) {
    if (!this.#welcomed || !this.#ws) return;
    let deferred = false;
    if (!unbudgeted) this.#refill(this.#clock.now());
    for (const [stream, seq] of this.#acksWanted) {
      if ((this.#acksSent.get(stream) || 0) >= seq) continue;
      if (!unbudgeted) {
        if (this.#tokens < 1) { deferred = true; continue; }
        this.#tokens--;
      }
      this.#raw({ type: 'ack', stream, seq });
      this.#acksSent.set(stream, seq);
    }
    if (deferred && !this.#hasTimer('ack')) this.#setTimer('ack', this.#o.ackIntervalMs, () => this.#flushAcks(false));
  }

  // ---- positions -------------------------------------------------------------------------------

  #storageKey(user) {
    if (typeof this.#o.storageKey === 'string' && this.#o.storageKey) return this.#o.storageKey;
    return 'switchboard:' + (user || '_') + ':' + (this.#o.device || '_');
  }

  async #loadPositions(user) {
    if (this.#posKey === '(given)') {
      this.#posKey = this.#storageKey(user);
      this.#posUser = user;
      return;
    }
    const key = this.#storageKey(user);
    if (this.#posKey === key && this.#posUser === user) return;
    this.#posKey = key;
    this.#posUser = user;
    this.#seqs = Object.create(null);
    this.#epochs = Object.create(null);
    let raw = null;
    try {
      raw = await this.#storage.get(key);
    } catch (e) {
      this.#emit('error', new SwitchboardError('storage', 'could not read positions: ' + errorText(e), { cause: e }));
    }
    if (typeof raw !== 'string' || !raw) return;
    try {
      const v = JSON.parse(raw);
      if (!v || typeof v.seqs !== 'object') return;
      if (v.user && user && v.user !== user) return; // someone else's positions
      // v1 (before epochs) has bare seqs only: they resume as bare seqs until a welcome places them
      ({ seqs: this.#seqs, epochs: this.#epochs } = cleanPositions(v.seqs, v.v >= 2 ? v.epochs : null));
      if (typeof v.at === 'number' && this.#offlineFrom === null) this.#offlineFrom = v.at;
    } catch (e) { /* unreadable: start afresh, the device cursor still helps */ }
  }

  #markDirty() {
    this.#dirty = true;
    if (!this.#hasTimer('persist') && !this.#stopped) this.#setTimer('persist', this.#o.persistIntervalMs, () => this.#persist(false));
  }

  #persist(force) {
    if (!this.#posKey || this.#posKey === '(given)') return;
    if (!force && !this.#dirty) return;
    this.#dirty = false;
    this.#clearTimer('persist');
    // `at`: the last moment this client knew it was connected, the start of the offline span after a reload
    const at = this.#welcomed ? this.#clock.now() : this.#offlineFrom;
    // v2 adds `epochs` beside v1's `seqs` rather than reshaping them: a downgraded client still reads
    // its positions (as bare seqs, which the node accepts)
    const epochs = {};
    for (const s of Object.keys(this.#seqs)) if (this.#epochs[s] !== undefined) epochs[s] = this.#epochs[s];
    const user = this.#user || this.#posUser || undefined;
    const value = JSON.stringify({ v: STORED_VERSION, user, seqs: this.#seqs, epochs, at });
    const failed = e => {
      if (!this.#storageFailing) this.#emit('error', new SwitchboardError('storage', 'could not save positions: ' + errorText(e), { cause: e }));
      this.#storageFailing = true;
    };
    try {
      const r = this.#storage.set(this.#posKey, value);
      if (r && typeof r.then === 'function') r.then(() => { this.#storageFailing = false; }, failed);
      else this.#storageFailing = false;
    } catch (e) {
      failed(e);
    }
  }

  // ---- events ----------------------------------------------------------------------------------

  #setState(state, extra = {}) {
    this.#state = state;
    const ev = { state };
    if (this.#node) ev.node = this.#node;
    for (const [k, v] of Object.entries(extra)) if (v !== undefined) ev[k] = v;
    this.#emit('state', ev);
  }

  #emit(type, payload) {
    const set = this.#handlers.get(type);
    if (!set) return;
    for (const fn of [...set]) {
      try {
        fn(payload);
      } catch (e) {
        // an application handler that throws must not break delivery of the others
        if (typeof console !== 'undefined') console.error(`switchboard: a '${type}' handler threw`, e);
      }
    }
  }

  #setTimer(name, ms, fn) {
    this.#clearTimer(name);
    const id = this.#clock.setTimeout(() => {
      if (this.#timers.get(name) === id) this.#timers.delete(name);
      fn();
    }, Math.max(0, ms));
    this.#timers.set(name, id);
  }

  #hasTimer(name) {
    return this.#timers.has(name);
  }

  #clearTimer(name) {
    const id = this.#timers.get(name);
    if (id === undefined) return;
    this.#timers.delete(name);
    this.#clock.clearTimeout(id);
  }
}

// ---- helpers -----------------------------------------------------------------------------------

async function resolveWebSocket() {
  if (typeof globalThis.WebSocket === 'function') return globalThis.WebSocket;
  try {
    // Node without a built-in WebSocket: the `ws` package, the SDK's only dependency there
    const mod = await import(/* webpackIgnore: true */ /* @vite-ignore */ 'ws');
    const WS = mod.WebSocket || mod.default;
    if (typeof WS === 'function') return WS;
  } catch (e) { /* reported below */ }
  const err = new SwitchboardError('no_websocket', 'no WebSocket implementation: install the `ws` package (npm install ws) or pass options.WebSocket');
  err.fatal = true;
  throw err;
}

/**
 * Positions from `{ stream: lastSeq | { seq, epoch } }` (the `positions` option, stored seqs), with
 * the epochs of stored v2 beside them. An entry the node would refuse in hello.resume is dropped, or
 * its epoch is: the node closes such a hello with 4400, for good.
 */
function cleanPositions(p, storedEpochs = null) {
  const seqs = Object.create(null);
  const epochs = Object.create(null);
  for (const [k, v] of Object.entries(p || {})) {
    const pair = v !== null && typeof v === 'object';
    const seq = pair ? v.seq : v;
    if (!isStream(k) || !Number.isSafeInteger(seq) || seq < 0) continue;
    seqs[k] = seq;
    const epoch = pair ? v.epoch : storedEpochs && typeof storedEpochs === 'object' ? storedEpochs[k] : undefined;
    if (isEpoch(epoch)) epochs[k] = epoch;
  }
  return { seqs, epochs };
}

function isStream(s) {
  return s === 'all' || ((s.startsWith('user:') || s.startsWith('room:')) && isValidId(s.slice(5)));
}

function isEpoch(e) {
  return typeof e === 'string' && e.length <= MAX_EPOCH_LENGTH;
}

/** The `sub` of a JWT, read without checking anything: only to key stored positions by user. */
function tokenSubject(token) {
  const claims = jwtClaims(token);
  return claims && typeof claims.sub === 'string' ? claims.sub : null;
}

function expiresWithin(token, now, marginMs) {
  const claims = jwtClaims(token);
  return !!(claims && typeof claims.exp === 'number' && claims.exp * 1000 - now <= marginMs);
}

function jwtClaims(token) {
  if (typeof token !== 'string') return null;
  const parts = token.split('.');
  if (parts.length !== 3 || typeof atob !== 'function') return null;
  try {
    const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)));
  } catch (e) {
    return null;
  }
}

function describeClose(code) {
  switch (code) {
    case 1000: return 'closed normally';
    case 1002: return 'WebSocket protocol error';
    case 1003: return 'the server accepts only JSON text frames';
    case 1006: return 'connection lost';
    case 1007: return 'invalid UTF-8';
    case 1009: return 'message too big';
    case 1011: return 'server error';
    case 1012: return 'server restarting';
    case 1013: return 'server busy, try again later';
    case 4400: return 'protocol violation';
    case 4401: return 'token refused';
    case 4403: return 'forbidden';
    case 4408: return 'timed out';
    case 4429: return 'rate limited';
    default: return 'connection closed (' + code + ')';
  }
}

function errorText(e) {
  return (e && e.message) || String(e);
}

function utf8Length(s) {
  if (typeof TextEncoder === 'function') return new TextEncoder().encode(s).length;
  return unescape(encodeURIComponent(s)).length;
}

/** `window` or `document` when this runs in a browser (they have addEventListener), else null. */
function browserGlobal(name) {
  const g = globalThis[name];
  return g && typeof g.addEventListener === 'function' && typeof g.removeEventListener === 'function' ? g : null;
}

function safeLocalStorage() {
  try {
    return globalThis.localStorage || null;
  } catch (e) {
    return null;
  }
}
