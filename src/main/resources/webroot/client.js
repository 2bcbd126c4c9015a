// Switchboard protocol v1 client for browsers.
//
// Everything about the wire protocol lives here: hello/welcome, resume positions, replay
// de-duplication, acks, heartbeats, reconnects with backoff, and requests answered by ref.
// The page (app.js) only uses the API below, so an SDK can later replace this file.
//
//   const c = connect(url, { getToken, device, storageKey });
//   const off = c.on('message' | 'presence' | 'state' | 'gap' | 'welcome' | 'resumed'
//                    | 'joined' | 'left' | 'reset' | 'error', fn);
//   await c.send(to, body, { transient, id });   // -> { stream, seq, id }
//   await c.join(room);                          // -> { room, head, online, onlineCount }
//   await c.leave(room);                         // -> { room }
//   c.reconnectNow(); c.close();
//
// Events
//   state    { state: 'connecting'|'online'|'offline'|'closed', node, retryAt, code, reason }
//   welcome  the welcome frame, plus first: true on this client's first welcome
//   message  a message frame; transient: true for live-only ones (no seq), replayed: true when
//            it was caught up after (re)connecting. Duplicates are never emitted.
//   gap      { stream, from, to }: these seqs are no longer stored and will never arrive
//   resumed  once per (re)connect, after every stream's replay:
//            { offlineFrom, offlineTo, count, streams: { stream: count }, gaps }
//   presence { room, user, state }
//   joined / left  { room, ..., elsewhere } for this user's joins and leaves (elsewhere: made by
//                  another tab or device of the same user)
//   reset    { stream, last, head }: the server's log is behind our position (store was wiped)
//   error    an error frame that answers no request of ours

const RETRY_CLOSE = new Set([1006, 1011, 1012, 1013, 4408, 4429]);
const NEVER_CLOSE = new Set([1000, 1003, 1009, 4400, 4403]);
const RETRY_ERRORS = new Set(['unavailable', 'rate_limited', 'internal']);
const ID_RE = /^[A-Za-z0-9_.:@|+=-]{1,128}$/;

export function isValidId(id) {
  return typeof id === 'string' && ID_RE.test(id);
}

export function newId() {
  if (globalThis.crypto && crypto.randomUUID) return crypto.randomUUID();
  return Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 12);
}

export function connect(url, options) {
  return new SwitchboardClient(url, options);
}

class ProtocolError extends Error {
  constructor(code, message) {
    super(message || code);
    this.code = code;
  }
}

export class SwitchboardClient {
  /**
   * @param {string} url  ws:// or wss:// URL of /ws
   * @param {object} o
   * @param {() => Promise<string>} o.getToken  called before every connection attempt
   * @param {string} [o.device]     stable device id: the server keeps an ack cursor per device
   * @param {string} [o.storageKey] where resume positions are kept (per user!)
   * @param {Storage} [o.storage]   defaults to localStorage
   */
  constructor(url, o = {}) {
    this.url = url;
    this.getToken = o.getToken;
    this.device = o.device || null;
    this.storage = o.storage !== undefined ? o.storage : safeLocalStorage();
    this.storageKey = o.storageKey || (this.device ? 'switchboard.resume.' + this.device : null);
    this.clientName = o.client || 'switchboard-web/1';
    this.maxFrameBytes = o.maxFrameBytes || 65536;
    this.backoffBase = o.backoffBase || 1000;
    this.backoffCap = o.backoffCap || 30000;
    this.requestTimeout = o.requestTimeout || 10000;

    this.handlers = new Map();
    this.ws = null;
    this.state = 'idle';
    this.closed = false;
    this.user = null;
    this.node = null;
    this.session = null;
    this.heartbeat = 25000;
    this.streams = new Set();        // streams the current session receives
    this.catchingUp = new Map();     // stream -> messages replayed so far, until its 'resumed'
    this.catchup = null;             // summary of the current (re)connect
    this.acksWanted = new Map();     // stream -> highest seq received on this connection
    this.acksSent = new Map();
    this.ops = [];                   // requests in order: { frame, ref, inflight, sentAt, tries, resolve, reject }
    this.nextRef = 1;
    this.attempt = 0;
    this.authFailures = 0;
    this.reconnectAfter = 0;         // from a {"type":"reconnect"} frame
    this.retryTimer = null;
    this.everWelcomed = false;
    this.lastFrameAt = 0;

    const saved = this.load();
    this.seqs = saved.seqs;          // stream -> last seq seen (persisted)
    this.offlineFrom = saved.at || null;

    this.tick = setInterval(() => this.onTick(), 1000);
    this.onOffline = () => this.drop('the browser went offline', 'offline');
    this.onOnline = () => { if (this.state === 'offline') this.reconnectNow(); };
    this.onPageHide = () => this.save(true);
    if (typeof window !== 'undefined') {
      window.addEventListener('offline', this.onOffline);
      window.addEventListener('online', this.onOnline);
      window.addEventListener('pagehide', this.onPageHide);
    }
    // let the caller register handlers before the first event
    queueMicrotask(() => this.open());
  }

  // ---- public API ------------------------------------------------------------------------------

  on(type, fn) {
    if (!this.handlers.has(type)) this.handlers.set(type, new Set());
    this.handlers.get(type).add(fn);
    return () => this.handlers.get(type).delete(fn);
  }

  /**
   * Sends to a stream ('room:x', 'user:x' or 'all'). Stored sends made while offline are queued
   * and sent after reconnecting; a client id makes every retry idempotent.
   */
  send(to, body, { transient = false, id } = {}) {
    if (this.closed) return Promise.reject(new ProtocolError('closed', 'client is closed'));
    const frame = { type: 'send', to, body, id: id || newId() };
    if (transient) {
      frame.transient = true;
      // typing indicators and the like are worthless later: never queue them
      if (this.state !== 'online') return Promise.reject(new ProtocolError('offline', 'not connected'));
    }
    return this.request(frame, { queue: !transient });
  }

  join(room) {
    return this.request({ type: 'join', room });
  }

  leave(room) {
    return this.request({ type: 'leave', room });
  }

  /** Round trip time in ms. */
  ping() {
    const t = performance.now();
    return this.request({ type: 'ping' }, { queue: false }).then(() => Math.round(performance.now() - t));
  }

  reconnectNow() {
    if (this.closed) return;
    this.attempt = 0;
    this.authFailures = 0;
    if (this.ws) this.drop('reconnect requested', 'connecting');
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.open();
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.tick);
    clearTimeout(this.retryTimer);
    if (typeof window !== 'undefined') {
      window.removeEventListener('offline', this.onOffline);
      window.removeEventListener('online', this.onOnline);
      window.removeEventListener('pagehide', this.onPageHide);
    }
    this.flushAcks();
    this.save(true);
    if (this.ws) {
      const ws = this.ws;
      this.detach();
      try { ws.close(1000, 'bye'); } catch (e) { /* already closing */ }
    }
    for (const op of this.ops) op.reject(new ProtocolError('closed', 'client closed'));
    this.ops = [];
    this.setState('closed', { reason: 'closed' });
  }

  /** Rooms the current session is a member of (bare ids). */
  get rooms() {
    return [...this.streams].filter(s => s.startsWith('room:')).map(s => s.slice(5));
  }

  // ---- connection lifecycle --------------------------------------------------------------------

  async open() {
    if (this.closed || this.ws || this.state === 'connecting') return;
    this.setState('connecting');
    let token;
    try {
      token = await this.getToken();
    } catch (e) {
      if (this.closed) return;
      this.state = 'idle';
      this.scheduleReconnect(0, 'could not get a token: ' + (e && e.message || e));
      return;
    }
    if (this.closed) return;
    let ws;
    try {
      ws = new WebSocket(this.url);
    } catch (e) {
      this.state = 'idle';
      this.scheduleReconnect(0, String(e.message || e));
      return;
    }
    this.ws = ws;
    this.welcomed = false;
    this.lastFrameAt = Date.now();
    this.openedAt = Date.now();
    ws.onopen = () => {
      const hello = { type: 'hello', token, client: this.clientName };
      if (this.device) hello.device = this.device;
      const resume = {};
      for (const [s, seq] of Object.entries(this.seqs)) resume[s] = seq;
      if (Object.keys(resume).length) hello.resume = resume;
      this.raw(hello);
    };
    ws.onmessage = ev => this.onFrame(ev.data);
    ws.onclose = ev => {
      this.detach();
      this.disconnected(ev.code, ev.reason);
    };
    ws.onerror = () => { /* onclose follows with the code */ };
  }

  detach() {
    const ws = this.ws;
    if (!ws) return;
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    this.ws = null;
  }

  /** Gives up on the current socket now (dead connection): no waiting for a close handshake. */
  drop(reason, next = 'offline') {
    const ws = this.ws;
    if (!ws) return;
    this.detach();
    try { ws.close(4000, reason.slice(0, 100)); } catch (e) { /* ignore */ }
    this.disconnected(next === 'offline' ? 4408 : 1006, reason, next === 'connecting');
  }

  disconnected(code, reason, quiet = false) {
    const wasOnline = this.welcomed;
    this.welcomed = false;
    if (wasOnline) this.offlineFrom = Date.now();
    this.save(true);
    this.acksWanted.clear();
    this.acksSent.clear();
    this.catchingUp.clear();
    for (const op of this.ops) {
      op.inflight = false;
      if (!op.queue) op.reject(new ProtocolError('offline', 'connection lost'));
    }
    this.ops = this.ops.filter(op => op.queue);
    this.state = 'idle';
    if (this.closed || quiet) return;
    if (NEVER_CLOSE.has(code)) {
      this.setState('closed', { code, reason: reason || describeClose(code) });
      return;
    }
    let delay = 0;
    if (code === 4401) {
      // token rejected or expired: getToken() fetches a fresh one; stop if that does not help
      if (++this.authFailures > 2) {
        this.setState('closed', { code, reason: reason || 'token rejected' });
        return;
      }
    }
    if (this.reconnectAfter) {
      delay = this.reconnectAfter;
      this.reconnectAfter = 0;
    }
    this.scheduleReconnect(delay, reason || describeClose(code), code);
  }

  scheduleReconnect(minDelay, reason, code) {
    const ceiling = Math.min(this.backoffCap, this.backoffBase * 2 ** this.attempt);
    const delay = Math.max(minDelay, 250) + Math.floor(Math.random() * ceiling); // full jitter
    this.attempt++;
    const retryAt = Date.now() + delay;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => { this.retryTimer = null; this.open(); }, delay);
    this.setState('offline', { retryAt, reason, code });
  }

  onTick() {
    const now = Date.now();
    if (this.ws && !this.welcomed && now - this.openedAt > 15000) {
      this.drop('no welcome within 15 s');
    } else if (this.welcomed && now - this.lastFrameAt > 2 * this.heartbeat) {
      this.drop('no heartbeat for ' + Math.round((now - this.lastFrameAt) / 1000) + ' s');
    }
    if (this.welcomed) {
      this.flushAcks();
      for (const op of this.ops) {
        // a frame the server dropped (e.g. a rate-limited one, whose error has no ref): resend
        if (op.inflight && now - op.sentAt > this.requestTimeout) this.transmit(op);
      }
    }
    if (this.dirty && now - this.savedAt > 1000) this.save();
  }

  // ---- frames in ---------------------------------------------------------------------------------

  onFrame(text) {
    this.lastFrameAt = Date.now();
    let f;
    try {
      f = JSON.parse(text);
    } catch (e) {
      return;
    }
    switch (f.type) {
      case 'welcome': return this.onWelcome(f);
      case 'message': return this.onMessage(f);
      case 'gap': return this.onGap(f);
      case 'resumed': return this.onResumed(f);
      case 'presence': return this.emit('presence', f);
      case 'ping': return this.raw({ type: 'pong', ...(f.ref !== undefined ? { ref: f.ref } : {}) });
      case 'reconnect': this.reconnectAfter = Math.max(0, Number(f.after) || 0); return;
      case 'sent': case 'joined': case 'left': case 'pong': case 'error':
        return this.onReply(f);
      default: return;
    }
  }

  onWelcome(w) {
    this.welcomed = true;
    this.user = w.user;
    this.node = w.node;
    this.session = w.session;
    this.heartbeat = w.heartbeat > 0 ? w.heartbeat : 25000;
    this.attempt = 0;
    this.authFailures = 0;
    const streams = Object.keys(w.streams || {});
    this.streams = new Set(streams);
    for (const s of Object.keys(this.seqs)) {
      if (!this.streams.has(s)) delete this.seqs[s];     // left elsewhere: forget the position
    }
    for (const s of streams) {
      const head = w.streams[s].head || 0;
      if (this.seqs[s] > head) {
        // the log restarted below what we saw (e.g. an in-memory store after a restart): the server
        // replays the new history from seq 1, so start counting again from 0
        this.emit('reset', { stream: s, last: this.seqs[s], head });
        this.seqs[s] = 0;
      }
      this.catchingUp.set(s, 0);
    }
    this.catchup = { offlineFrom: this.offlineFrom, offlineTo: Date.now(), count: 0, streams: {}, gaps: [] };
    this.markDirty();
    const first = !this.everWelcomed;
    this.everWelcomed = true;
    this.setState('online', { node: w.node });
    this.emit('welcome', { ...w, first });
    for (const op of this.ops) if (!op.inflight) this.transmit(op);
    if (!streams.length) this.finishCatchup();
  }

  onMessage(m) {
    if (m.seq == null) {
      this.emit('message', { ...m, transient: true });
      return;
    }
    const last = this.seqs[m.stream];
    if (last != null && m.seq <= last) return;          // duplicate: already seen
    this.seqs[m.stream] = m.seq;
    this.markDirty();
    if (!this.streams.has(m.stream)) this.streams.add(m.stream); // joined from another session
    this.acksWanted.set(m.stream, m.seq);
    const replaying = this.catchingUp.has(m.stream);
    if (replaying) {
      this.catchingUp.set(m.stream, this.catchingUp.get(m.stream) + 1);
    }
    this.emit('message', replaying ? { ...m, replayed: true } : m);
  }

  onGap(g) {
    if (!(this.seqs[g.stream] >= g.to)) this.seqs[g.stream] = g.to;
    this.markDirty();
    if (this.catchup) this.catchup.gaps.push({ stream: g.stream, from: g.from, to: g.to });
    this.emit('gap', g);
  }

  onResumed(r) {
    if (!(this.seqs[r.stream] >= r.to)) this.seqs[r.stream] = r.to;
    this.markDirty();
    const n = this.catchingUp.get(r.stream) || 0;
    this.catchingUp.delete(r.stream);
    if (this.catchup) {
      this.catchup.count += n;
      if (n) this.catchup.streams[r.stream] = n;
    }
    if (!this.catchingUp.size) this.finishCatchup();
  }

  finishCatchup() {
    if (!this.catchup) return;
    const c = this.catchup;
    this.catchup = null;
    this.offlineFrom = null;
    this.save(true);
    this.emit('resumed', c);
  }

  onReply(f) {
    const op = f.ref !== undefined ? this.ops.find(o => o.ref === f.ref) : null;
    if (!op) {
      if (f.type === 'error') this.emit('error', f);
      // joined/left without ref: another session of this user (tab, device) changed membership
      if ((f.type === 'joined' || f.type === 'left') && f.ref === undefined) this.applyMembership(f, true);
      return;
    }
    if (f.type === 'error') {
      if (RETRY_ERRORS.has(f.code) && op.tries < 5) {
        op.inflight = false;
        setTimeout(() => { if (this.welcomed && this.ops.includes(op) && !op.inflight) this.transmit(op); },
          500 * 2 ** op.tries);
        return;
      }
      this.settle(op);
      op.reject(new ProtocolError(f.code, f.message));
      return;
    }
    this.settle(op);
    if (f.type === 'joined' || f.type === 'left') this.applyMembership(f, false);
    const { type, ref, ...rest } = f;
    op.resolve(rest);
  }

  applyMembership(f, elsewhere) {
    const stream = 'room:' + f.room;
    if (f.type === 'joined') {
      if (!this.streams.has(stream)) {
        // delivery starts after head; an existing member keeps its position
        this.streams.add(stream);
        this.seqs[stream] = f.head;
        this.markDirty();
      }
    } else {
      this.streams.delete(stream);
      delete this.seqs[stream];
      this.acksWanted.delete(stream);
      this.catchingUp.delete(stream);
      this.markDirty();
    }
    this.emit(f.type, { ...f, elsewhere });
  }

  // ---- frames out --------------------------------------------------------------------------------

  request(frame, { queue = true } = {}) {
    return new Promise((resolve, reject) => {
      const op = { frame, ref: null, inflight: false, sentAt: 0, tries: 0, queue, resolve, reject };
      const text = JSON.stringify({ ...frame, ref: 'r0000000' });
      if (utf8Length(text) > this.maxFrameBytes) {
        reject(new ProtocolError('too_large', 'message is larger than ' + this.maxFrameBytes + ' bytes'));
        return;
      }
      if (!queue && !this.welcomed) {
        reject(new ProtocolError('offline', 'not connected'));
        return;
      }
      this.ops.push(op);
      if (this.welcomed) this.transmit(op);
    });
  }

  transmit(op) {
    op.ref = 'r' + (this.nextRef++);
    op.inflight = true;
    op.sentAt = Date.now();
    op.tries++;
    this.raw({ ...op.frame, ref: op.ref });
  }

  settle(op) {
    this.ops = this.ops.filter(o => o !== op);
  }

  raw(frame) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  flushAcks() {
    if (!this.welcomed) return;
    for (const [stream, seq] of this.acksWanted) {
      if ((this.acksSent.get(stream) || 0) < seq) {
        this.raw({ type: 'ack', stream, seq });
        this.acksSent.set(stream, seq);
      }
    }
  }

  // ---- persistence -------------------------------------------------------------------------------

  load() {
    if (!this.storage || !this.storageKey) return { seqs: {} };
    try {
      const v = JSON.parse(this.storage.getItem(this.storageKey) || 'null');
      if (v && typeof v.seqs === 'object') return { seqs: v.seqs, at: v.at };
    } catch (e) { /* corrupt: start afresh */ }
    return { seqs: {} };
  }

  markDirty() {
    this.dirty = true;
  }

  save(force = false) {
    if (!this.storage || !this.storageKey) return;
    if (!force && !this.dirty) return;
    this.dirty = false;
    this.savedAt = Date.now();
    // 'at' is the last moment we knew we were connected: the start of the offline span after a reload
    const at = this.welcomed ? Date.now() : this.offlineFrom;
    try {
      this.storage.setItem(this.storageKey, JSON.stringify({ seqs: this.seqs, at }));
    } catch (e) { /* quota: positions only lag, the device cursor still helps */ }
  }

  // ---- events ------------------------------------------------------------------------------------

  setState(state, extra = {}) {
    this.state = state;
    this.emit('state', { state, node: this.node, ...extra });
  }

  emit(type, payload) {
    const set = this.handlers.get(type);
    if (!set) return;
    for (const fn of [...set]) {
      try {
        fn(payload);
      } catch (e) {
        console.error('switchboard: ' + type + ' handler failed', e);
      }
    }
  }
}

function describeClose(code) {
  switch (code) {
    case 1000: return 'closed by the server';
    case 1003: return 'the server does not accept this data';
    case 1006: return 'connection lost';
    case 1009: return 'message too big';
    case 1011: return 'server error';
    case 1012: return 'server restarting';
    case 1013: return 'server busy, try again later';
    case 4400: return 'protocol violation';
    case 4401: return 'token rejected';
    case 4403: return 'forbidden';
    case 4408: return 'timed out';
    case 4429: return 'rate limited';
    default: return 'connection closed (' + code + ')';
  }
}

function utf8Length(s) {
  return new TextEncoder().encode(s).length;
}

function safeLocalStorage() {
  try {
    return globalThis.localStorage || null;
  } catch (e) {
    return null;
  }
}

export { ProtocolError, RETRY_CLOSE };
