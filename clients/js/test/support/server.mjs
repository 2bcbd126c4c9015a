// What the tests know about the real node(s) they run against, given by the environment:
//
//   SB_URL       http://127.0.0.1:<port> of a node (HS256 with SB_SECRET, API key SB_API_KEY)
//   SB_GAP_URL   a second node that keeps 3 messages per stream and pings every 2 s
//   SB_SECRET    the nodes' auth.jwtSecret: the tests sign their own tokens, like a backend
//   SB_API_KEY   a key of the nodes' HTTP API (to send messages and disconnect users)
//   SB_JAR       target/switchboard.jar, for tests that start and stop a node process themselves
//   SB_JAVA      the java binary to run it with (default: java on PATH)
//
// JsClientIT (mvn verify) starts the nodes and sets these. By hand: start nodes the same way
// (see JsClientIT) and run `npm test` with the variables set. Without SB_URL the tests that need a
// server are skipped, never faked.
import { createHmac, randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { readFileSync } from 'node:fs';

export const env = {
  url: process.env.SB_URL || null,
  gapUrl: process.env.SB_GAP_URL || null,
  secret: process.env.SB_SECRET || null,
  apiKey: process.env.SB_API_KEY || null,
  jar: process.env.SB_JAR || null,
  java: process.env.SB_JAVA || 'java',
};

/** For `test(name, { skip: needsServer() }, ...)`: a reason to skip when no server was given. */
export function needsServer(...extra) {
  if (!env.url || !env.secret || !env.apiKey) return 'no server: set SB_URL, SB_SECRET and SB_API_KEY (mvn verify does)';
  for (const e of extra) if (!env[e]) return `needs ${e} in the environment (mvn verify sets it)`;
  return false;
}

export const wsUrl = base => base.replace(/^http/, 'ws') + '/ws';

/** A fresh name per call: the nodes keep state between tests. */
export function uniq(prefix) {
  return prefix + '-' + randomBytes(4).toString('hex');
}

/** An HS256 JWT, signed as a customer's backend would. */
export function sign(claims, secret = env.secret) {
  const b64 = v => Buffer.from(JSON.stringify(v)).toString('base64url');
  const head = b64({ alg: 'HS256', typ: 'JWT' }) + '.' + b64(claims);
  return head + '.' + createHmac('sha256', secret).update(head).digest('base64url');
}

/** A token for `user` that may join any room, valid for an hour unless `exp` says otherwise. */
export function tokenFor(user, extra = {}) {
  return sign({ sub: user, rooms: ['*'], exp: Math.floor(Date.now() / 1000) + 3600, ...extra });
}

/** Calls the node's HTTP API; throws on a non-2xx answer. */
export async function api(base, method, path, body) {
  const res = await fetch(base + '/api/v1' + path, {
    method,
    headers: { authorization: 'Bearer ' + env.apiKey, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Sends through the HTTP API (stored, acknowledged): `{ stream, seq, id }`. */
export function apiSend(base, stream, body, { from = 'server', id } = {}) {
  return api(base, 'POST', `/streams/${encodeURIComponent(stream)}/messages`, { body, from, ...(id ? { id } : {}) });
}

/** The stream's log as the node holds it. */
export async function history(base, stream, from = 1) {
  const r = await api(base, 'GET', `/streams/${encodeURIComponent(stream)}/messages?from=${from}&limit=1000`);
  return r.messages;
}

/** The stream's current epoch as the node holds it (`""`: no history). */
export async function streamEpoch(base, stream) {
  const r = await api(base, 'GET', `/streams/${encodeURIComponent(stream)}/messages?limit=1`);
  return r.epoch;
}

/**
 * Makes a node's in-memory store lose `stream` (its next message starts a new epoch), as a store
 * that ran out of memory does: sends to another stream until the budget pushes the stream out. Needs
 * a node with a small SB_STORE_MEMORY_MAX_BYTES; `stream` must be older than everything else.
 */
export async function evict(base, stream, { maxSends = 200 } = {}) {
  const filler = 'user:' + uniq('filler');
  const body = { text: 'x'.repeat(40000) };
  for (let sent = 0; sent < maxSends; sent += 5) {
    if ((await streamEpoch(base, stream)) === '') return;
    for (let i = 0; i < 5; i++) await apiSend(base, filler, body);
  }
  throw new Error(`${stream} still held after ${maxSends} sends of 40 KB: is the node's store.memoryMaxBytes small?`);
}

/** Waits for `cond()` to be truthy (polling every 20 ms); throws after `timeout` ms naming `what`. */
export async function waitFor(cond, { timeout = 15000, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await cond();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}` + (last instanceof Error ? `: ${last.message}` : ''));
    }
    await new Promise(r => setTimeout(r, 20));
  }
}

/** Records every event of a client, for assertions and for a readable log when a test fails. */
export function record(client, label = 'client') {
  const r = { events: [], messages: [], states: [], gaps: [], resumed: [], resets: [], errors: [], log: [] };
  const types = ['state', 'welcome', 'message', 'gap', 'resumed', 'presence', 'joined', 'left', 'reset', 'error'];
  for (const type of types) {
    client.on(type, ev => {
      r.events.push({ type, ev, t: Date.now() });
      if (type === 'message') r.messages.push(ev);
      if (type === 'state') r.states.push(ev);
      if (type === 'gap') r.gaps.push(ev);
      if (type === 'resumed') r.resumed.push(ev);
      if (type === 'reset') r.resets.push(ev);
      if (type === 'error') r.errors.push(ev);
      if (type !== 'message' && type !== 'presence') {
        r.log.push(`${label} ${type} ${JSON.stringify(type === 'welcome' ? { user: ev.user, node: ev.node } : ev)}`);
      }
    });
  }
  r.online = () => client.state === 'online';
  r.texts = stream => r.messages.filter(m => !stream || m.stream === stream).map(m => m.body && m.body.text);
  return r;
}

/** Timers that count what is pending, so a test can say "nothing is scheduled" without sleeping. */
export function trackedClock() {
  const pending = new Set();
  return {
    pending,
    now: () => Date.now(),
    setTimeout(fn, ms) {
      const id = setTimeout(() => { pending.delete(id); fn(); }, ms);
      pending.add(id);
      return id;
    },
    clearTimeout(id) {
      pending.delete(id);
      clearTimeout(id);
    },
  };
}

/**
 * A loopback TCP proxy in front of a node: what a flaky network does to a connection, done for
 * real to real sockets. cut() resets every open connection; refuse() makes new ones fail at once;
 * dropDownstream() loses everything the node sends (requests arrive, answers do not); silence()
 * loses both directions without closing anything; closeNormally() has the proxy close the
 * client's WebSocket with 1000 at a frame boundary, as a load balancer ending a session would.
 */
export class TcpProxy {
  constructor(target) {
    const u = new URL(target);
    this.targetHost = u.hostname;
    this.targetPort = Number(u.port);
    this.links = new Set();
    this.accepted = 0;
    this.refusing = false;
    this.server = net.createServer(sock => this.#accept(sock));
  }

  async start() {
    await new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', resolve);
    });
    this.port = this.server.address().port;
    this.httpUrl = `http://127.0.0.1:${this.port}`;
    this.wsUrl = wsUrl(this.httpUrl);
    return this;
  }

  #accept(client) {
    this.accepted++;
    client.on('error', () => {});
    if (this.refusing) {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(this.targetPort, this.targetHost);
    upstream.on('error', () => {});
    const link = { client, upstream, dropDown: false, silent: false, down: new FrameTracker(), onBoundary: null };
    this.links.add(link);
    client.on('data', d => { if (!link.silent) upstream.write(d); });
    upstream.on('data', d => {
      if (link.silent || link.dropDown) return;
      client.write(d);
      link.down.feed(d);
      if (link.onBoundary && link.down.atBoundary()) link.onBoundary();
    });
    const end = () => {
      this.links.delete(link);
      if (!link.silent) {
        client.destroy();
        upstream.destroy();
      }
    };
    client.on('close', end);
    upstream.on('close', end);
  }

  refuse(on = true) {
    this.refusing = on;
  }

  /** Resets every open connection (the client sees 1006). */
  cut() {
    for (const l of [...this.links]) {
      this.links.delete(l);
      l.silent = false;
      l.client.resetAndDestroy();
      l.upstream.destroy();
    }
  }

  dropDownstream() {
    for (const l of this.links) l.dropDown = true;
  }

  silence() {
    for (const l of this.links) l.silent = true;
  }

  /** Sends the client a WebSocket close frame with `code` between two frames of the node, then ends. */
  async closeNormally(code = 1000) {
    const jobs = [...this.links].map(l => new Promise(resolve => {
      const go = () => {
        l.onBoundary = null;
        l.silent = true; // nothing more from the node
        l.client.end(Buffer.from([0x88, 0x02, code >> 8, code & 0xff]));
        l.upstream.destroy();
        resolve();
      };
      if (l.down.atBoundary()) go();
      else l.onBoundary = go;
    }));
    await Promise.all(jobs);
  }

  async close() {
    this.cut();
    await new Promise(r => this.server.close(r));
  }
}

/** Follows the node→client byte stream (HTTP upgrade answer, then unmasked frames) to find frame boundaries. */
class FrameTracker {
  constructor() {
    this.http = Buffer.alloc(0);
    this.httpDone = false;
    this.header = Buffer.alloc(0);
    this.remaining = 0;
  }

  feed(buf) {
    let i = 0;
    if (!this.httpDone) {
      this.http = Buffer.concat([this.http, buf]);
      const end = this.http.indexOf('\r\n\r\n');
      if (end < 0) return;
      this.httpDone = true;
      buf = this.http.subarray(end + 4);
      this.http = null;
    }
    while (i < buf.length) {
      if (this.remaining > 0) {
        const n = Math.min(this.remaining, buf.length - i);
        this.remaining -= n;
        i += n;
        continue;
      }
      this.header = Buffer.concat([this.header, buf.subarray(i, i + 1)]);
      i++;
      const h = this.header;
      if (h.length < 2) continue;
      const len7 = h[1] & 0x7f;
      const size = 2 + (len7 === 126 ? 2 : len7 === 127 ? 8 : 0) + (h[1] & 0x80 ? 4 : 0);
      if (h.length < size) continue;
      this.remaining = len7 < 126 ? len7 : len7 === 126 ? h.readUInt16BE(2) : Number(h.readBigUInt64BE(2));
      this.header = Buffer.alloc(0);
    }
  }

  atBoundary() {
    return this.httpDone && this.remaining === 0 && this.header.length === 0;
  }
}

const handedOut = new Set();

/** The first port of the kernel's ephemeral range (Linux's default: 32768). */
function ephemeralLow() {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32768;
  } catch {
    return 32768;
  }
}

function bindable(port) {
  return new Promise(resolve => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * A node as a process of its own (java -jar SB_JAR), for tests that stop and start one: SIGTERM
 * makes it send `reconnect` and close with 1012; its in-memory store dies with it.
 */
export class NodeProcess {
  constructor(port, extraEnv = {}) {
    this.port = port;
    this.extraEnv = extraEnv;
    this.url = `http://127.0.0.1:${port}`;
    this.output = '';
  }

  /**
   * A port for a node that binds it seconds later, once its JVM is up. A port the kernel hands out
   * (listen on 0) is in its ephemeral range, where any outgoing connection of the machine may take
   * it meanwhile, and the node would die on bind. So, as the Java tests' `Ports` does: a random port
   * between 30100 and the start of that range, free now, never handed out twice by this process.
   */
  static async freePort() {
    const low = 30100;
    const high = ephemeralLow();
    for (let attempt = 0; attempt < 200 && high - low > 100; attempt++) {
      const port = low + Math.floor(Math.random() * (high - low));
      if (!handedOut.has(port) && await bindable(port)) {
        handedOut.add(port);
        return port;
      }
    }
    // an ephemeral range starting below the band, or the band full: the kernel's choice
    const srv = net.createServer();
    await new Promise(r => srv.listen(0, '127.0.0.1', r));
    const port = srv.address().port;
    await new Promise(r => srv.close(r));
    return port;
  }

  async start() {
    const childEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SB_')));
    Object.assign(childEnv, {
      SB_HTTP_HOST: '127.0.0.1', SB_HTTP_PORT: String(this.port), SB_JWT_SECRET: env.secret, SB_API_KEYS: env.apiKey,
      SB_NODE_NAME: 'js-restart-' + this.port, SB_HTTP_INSTANCES: '1',
    }, this.extraEnv);
    this.proc = spawn(env.java, ['-Xmx192m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-jar', env.jar],
      { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = d => { this.output = (this.output + d).slice(-20000); };
    this.proc.stdout.on('data', keep);
    this.proc.stderr.on('data', keep);
    this.exited = new Promise(r => this.proc.once('exit', code => r(code)));
    await waitFor(async () => {
      if (this.proc.exitCode !== null) throw new Error('node exited: ' + this.output);
      const res = await fetch(this.url + '/health/ready');
      return res.status === 200;
    }, { timeout: 90000, what: 'node process ready on ' + this.url });
    return this;
  }

  /** SIGTERM, as a deploy does; resolves with the exit status. */
  async stop() {
    this.proc.kill('SIGTERM');
    const code = await Promise.race([this.exited, new Promise(r => setTimeout(() => r('timeout'), 30000))]);
    if (code === 'timeout') this.proc.kill('SIGKILL');
    return code;
  }

  async kill() {
    if (this.proc && this.proc.exitCode === null) {
      this.proc.kill('SIGKILL');
      await this.exited;
    }
  }
}
