// The demo page: DOM, conversations, unread counts, local history. All protocol work is done by
// the JavaScript client SDK (clients/js/src/switchboard.js, served by the node at /sdk/switchboard.js)
// through its API: connect / on / send / join / leave / reconnect / close.
import { connect, isValidId, newId, localStorageAdapter } from './sdk/switchboard.js';
import { hm, hms, dayKey, dayLabel, span, plural, lastSeen, notSent, missed, historyLost, emptyConversation } from './words.js';

const $ = id => document.getElementById(id);
const MAX_ITEMS = 300;            // per conversation, kept in localStorage
const TYPING_SEND_EVERY = 2000;   // ms between our own typing indicators
const TYPING_SHOW_FOR = 3500;     // ms a received indicator stays visible
const LOBBY = 'lobby';
const MAX_TEXT = 4000;            // the composer's maxlength
const COUNT_FROM = MAX_TEXT - 500; // the counter shows from here on

let me = null;          // our user id
let client = null;
let convs = new Map();  // key ('room:x' | 'dm:x' | 'all') -> conversation
let rooms = new Map();  // room id -> { online: Set, count }
let selected = null;    // key of the conversation in view
let lastRoom = null;    // room whose members the sidebar shows
let conn = { state: 'connecting' };
let catchupLines = new Map(); // conv key -> system item being filled during a catch-up
let typing = new Map();       // conv key -> Map(user -> until)
let lastTypingSent = 0;
let stickToBottom = true;
let renderQueued = false;
let saveTimer = null;
let countdownTimer = null;
let reconnecting = false;     // the welcome was not this page's first: the user saw it offline
let seen = new Map();         // user -> when they were last seen online (presence, their messages)

// ---- small helpers ----------------------------------------------------------------------------

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
}

function hue(name) {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.codePointAt(0)) % 360;
  return h;
}

function avatar(name, cls = 'avatar') {
  const a = el('span', cls, (name[0] || '?').toUpperCase());
  a.style.setProperty('--h', hue(name));
  a.setAttribute('aria-hidden', 'true');
  return a;
}

function bodyText(body) {
  if (body && typeof body === 'object' && typeof body.text === 'string') return body.text;
  if (typeof body === 'string') return body;
  return JSON.stringify(body);
}

/** A note in the corner for 5 s; with `onClick`, a button that does it (and goes away). */
function toast(text, kind = 'info', onClick = null) {
  const t = el(onClick ? 'button' : 'div', 'toast ' + kind, text);
  if (onClick) {
    t.type = 'button';
    t.addEventListener('click', () => { t.remove(); onClick(); });
  }
  $('toasts').append(t);
  setTimeout(() => t.classList.add('out'), 4500);
  setTimeout(() => t.remove(), 5000);
}

function storageGet(key, fallback) {
  try {
    const v = localStorage.getItem(key);
    return v == null ? fallback : JSON.parse(v);
  } catch (e) {
    return fallback;
  }
}

function storageSet(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch (e) { /* full or disabled: history is a convenience */ }
}

// ---- conversations ----------------------------------------------------------------------------

function convFor(key) {
  let c = convs.get(key);
  if (!c) {
    const [kind, name] = key === 'all' ? ['all', 'everyone'] : [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
    c = { key, kind, name, items: [], ids: new Set(), unread: 0, last: 0 };
    convs.set(key, c);
  }
  return c;
}

/** The stream a conversation sends to. */
function streamOf(c) {
  return c.kind === 'room' ? 'room:' + c.name : c.kind === 'dm' ? 'user:' + c.name : 'all';
}

/** The conversation a message belongs to. */
function convKeyOf(m) {
  if (m.stream === 'user:' + me) return 'dm:' + m.from;
  if (m.stream.startsWith('room:')) return m.stream;
  return 'all';
}

function addItem(c, item) {
  item.v = 1;
  c.items.push(item);
  if (item.id) c.ids.add(item.id);
  if (c.items.length > MAX_ITEMS) {
    const gone = c.items.splice(0, c.items.length - MAX_ITEMS);
    gone.forEach(i => i.id && c.ids.delete(i.id));
  }
  if (item.t === 'msg') c.last = Math.max(c.last, item.ts);
  changed();
}

/** A confirmed message takes its place after everything received before its confirmation. */
function moveToEnd(c, item) {
  const i = c.items.indexOf(item);
  if (i >= 0) c.items.push(...c.items.splice(i, 1));
}

function findItem(c, id) {
  return c.items.find(i => i.id === id);
}

function systemLine(c, text, cls = '') {
  const item = { t: 'sys', id: 'sys-' + newId(), text, cls, ts: Date.now() };
  addItem(c, item);
  return item;
}

function select(key) {
  const c = convFor(key);
  selected = key;
  if (c.kind === 'room') lastRoom = c.name;
  c.unread = 0;
  stickToBottom = true;
  document.body.classList.remove('drawer-open');
  $('backdrop').hidden = true;
  $('input').placeholder = c.kind === 'room' ? 'Message #' + c.name
    : c.kind === 'dm' ? 'Message @' + c.name : 'Broadcast to everyone';
  flush();
  if (window.matchMedia('(min-width: 761px)').matches) $('input').focus();
}

// ---- incoming ---------------------------------------------------------------------------------

function onMessage(m) {
  if (m.transient) {
    onTransient(m);
    return;
  }
  const key = convKeyOf(m);
  if (key.startsWith('room:') && !rooms.has(m.stream.slice(5))) {
    rooms.set(m.stream.slice(5), { online: new Set(), count: 0 }); // joined in another tab
  }
  const c = convFor(key);
  const existing = findItem(c, m.id);
  if (existing) {
    // our own optimistic message coming back, or one already in the local history
    if (existing.status === 'pending') moveToEnd(c, existing);
    Object.assign(existing, { seq: m.seq, ts: m.ts, status: 'ok' });
    existing.v++;
    changed();
    return;
  }
  if (m.replayed) {
    // one divider per conversation above what was caught up; its text is set on 'resumed'
    if (!catchupLines.has(key)) catchupLines.set(key, systemLine(c, 'Catching up…', 'catchup'));
    catchupLines.get(key).count = (catchupLines.get(key).count || 0) + 1;
  }
  typing.get(key)?.delete(m.from);
  const mine = m.from === me;
  const text = bodyText(m.body);
  addItem(c, { t: 'msg', id: m.id, from: m.from, text, ts: m.ts, seq: m.seq, status: 'ok' });
  if (!mine) sawAt(m.from, m.ts);
  if (!mine && (key !== selected || document.hidden)) c.unread++;
  // on a phone the conversation list is hidden: a direct message would only show as a number
  if (!mine && !m.replayed && c.kind === 'dm' && key !== selected) {
    toast(`${m.from}: ${text.length > 80 ? text.slice(0, 79) + '…' : text}`, 'dm', () => select(key));
  }
}

function sawAt(user, ts) {
  if (ts && ts > (seen.get(user) || 0)) seen.set(user, Math.min(ts, Date.now()));
}

function onTransient(m) {
  if (m.from === me || !m.body || !m.body.typing) return;
  const key = convKeyOf(m);
  if (!typing.has(key)) typing.set(key, new Map());
  typing.get(key).set(m.from, Date.now() + TYPING_SHOW_FOR);
  setTimeout(changed, TYPING_SHOW_FOR + 50);
  changed();
}

function onWelcome(w) {
  catchupLines = new Map();
  reconnecting = !w.first;
  const wasOnline = new Set([...rooms.values()].flatMap(r => [...r.online]));
  // rooms the SDK is joining again for messages waiting to be sent (a restarted server forgot them)
  const member = new Set(w.rejoining || []);
  for (const [stream, info] of Object.entries(w.streams)) {
    if (!stream.startsWith('room:')) continue;
    const id = stream.slice(5);
    member.add(id);
    const online = new Set(info.online || []).add(me);
    rooms.set(id, { online, count: Math.max(info.onlineCount || 0, online.size) });
    convFor(stream);
  }
  // Rooms missing from the welcome were left in another tab (or forgotten by a restarted server).
  // The lobby is home: join it unless this user chose to leave it. Checked on every welcome,
  // not only the first, because a restarted in-memory server forgets memberships.
  const autoJoin = !member.has(LOBBY) && !storageGet('sb.leftLobby.' + me, false);
  for (const id of [...rooms.keys()]) {
    if (!member.has(id) && !(autoJoin && id === LOBBY)) dropRoom(id);
  }
  // who went offline while we were away was last seen online then, as far as this page knows
  for (const u of wasOnline) if (u !== me && !isOnline(u) && conn.offlineAt) sawAt(u, conn.offlineAt);
  if (autoJoin) joinRoom(LOBBY, { select: !selected || selected === 'room:' + LOBBY });
  if (!selected || !convs.has(selected)) {
    const first = member.has(LOBBY) ? 'room:' + LOBBY : [...convs.keys()][0];
    if (first) select(first);
  }
  changed();
}

function onPresence(p) {
  const r = rooms.get(p.room);
  if (!r) return;
  const had = r.online.has(p.user);
  if (p.state === 'online' && !had) {
    r.online.add(p.user);
    r.count = Math.max(r.count + 1, r.online.size);
  } else if (p.state === 'offline' && (had || r.count > r.online.size)) {
    r.online.delete(p.user);
    if (!isOnline(p.user)) sawAt(p.user, Date.now());
    r.count = Math.max(r.count - 1, r.online.size);
    typing.get('room:' + p.room)?.delete(p.user);
  }
  changed();
}

/** Conversations fed by a stream: the user stream feeds every direct conversation. */
function convsOf(stream) {
  if (stream.startsWith('room:')) return [convFor(stream)];
  if (stream === 'all') return [convFor('all')];
  return [...convs.values()].filter(c => c.kind === 'dm');
}

function onGap(g) {
  const n = g.to - g.from + 1;
  if (g.stream === 'user:' + me) {
    // the inbox holds every direct conversation: we cannot tell whose they were
    const text = missed(n, 'direct ');
    convsOf(g.stream).forEach(c => systemLine(c, text, 'gap'));
    toast(text, 'warn');
  } else {
    convsOf(g.stream).forEach(c => systemLine(c, missed(n), 'gap'));
  }
}

function onReset(r) {
  // a conversation told twice (the inbox and a room, a reconnect in between) shows it once
  convsOf(r.stream).forEach(c => { if (c.items.at(-1)?.text !== historyLost) systemLine(c, historyLost, 'gap'); });
}

function onResumed(r) {
  // after a reload the page was closed, not offline: what came meanwhile is new, and that is all
  const offline = !reconnecting ? null : r.offlineFrom ? `Offline ${hms(r.offlineFrom)}–${hms(r.offlineTo)}` : 'Connected';
  for (const line of catchupLines.values()) {
    line.text = offline ? `${offline} · ${plural(line.count || 0, 'message')} caught up`
      : `${plural(line.count || 0, 'new message')}` + (r.offlineFrom ? ` since ${hm(r.offlineFrom)}` : '');
    line.v++;
  }
  const c = selected && convs.get(selected);
  if (offline && r.offlineFrom && c && !catchupLines.has(selected) && caughtUpWhole(r, c)) {
    quietLine(c, `${offline} · nothing missed here`);
  }
  if (offline && r.offlineFrom) {
    const n = r.count;
    toast(`Back online after ${span(r.offlineTo - r.offlineFrom)}` + (n ? ` · ${plural(n, 'message')} caught up` : ''), 'ok');
  }
  catchupLines = new Map();
  conn.synced = true; // caught up: what the page shows is what the server holds
  changed();
}

/** Whether the catch-up covered the conversation's stream without a loss: then "nothing missed" is true. */
function caughtUpWhole(r, c) {
  const stream = c.kind === 'dm' ? 'user:' + me : streamOf(c);
  return !!r.streams[stream] && !r.gaps.some(g => g.stream === stream) && !r.resets.some(x => x.stream === stream);
}

/** A "nothing missed" divider, replacing the previous one when nothing came in between. */
function quietLine(c, text) {
  const last = c.items.at(-1);
  if (last && last.t === 'sys' && last.quiet) {
    last.text = text;
    last.ts = Date.now();
    last.v++;
    changed();
  } else {
    systemLine(c, text, 'catchup').quiet = true;
  }
}

function onState(s) {
  if (s.state !== 'online') s.offlineAt = conn.state === 'online' ? Date.now() : conn.offlineAt;
  conn = s;
  if (s.state === 'closed' && !s.byClient) toast('Disconnected: ' + s.reason, 'warn');
  clearInterval(countdownTimer);
  if (s.state === 'offline') countdownTimer = setInterval(renderConn, 1000);
  if (s.state === 'offline' || s.state === 'closed') {
    typing.clear();
  }
  changed();
}

// ---- outgoing ---------------------------------------------------------------------------------

function sendText(text) {
  const c = convFor(selected);
  const item = { t: 'msg', id: newId(), from: me, text, ts: Date.now(), status: 'pending', to: streamOf(c) };
  addItem(c, item);
  stickToBottom = true;
  deliver(c, item);
  flush();
}

function deliver(c, item) {
  client.send(item.to, { text: item.text }, { id: item.id }).then(r => {
    if (item.status === 'pending') {
      moveToEnd(c, item);
      item.status = 'ok';
    }
    item.seq = item.seq || r.seq;
    item.v++;
    changed();
  }, e => {
    item.status = 'failed';
    item.error = notSent(e, c.kind === 'dm' ? 'to ' + c.name : c.kind === 'room' ? 'in #' + c.name : 'to everyone');
    item.v++;
    changed();
  });
}

function joinRoom(room, { select: show = true } = {}) {
  return client.join(room).then(j => {
    if (room === LOBBY) storageSet('sb.leftLobby.' + me, false);
    rooms.set(room, { online: new Set([...(j.online || []), me]), count: Math.max(j.onlineCount || 0, 1) });
    convFor('room:' + room);
    if (show) select('room:' + room);
    changed();
  }, e => toast(`Could not join #${room}: ${e.message}`, 'error'));
}

function dropRoom(id) {
  rooms.delete(id);
  convs.delete('room:' + id);
  typing.delete('room:' + id);
  if (selected === 'room:' + id) selected = null;
  if (lastRoom === id) lastRoom = null;
}

function leaveRoom(id) {
  client.leave(id).then(() => {
    if (id === LOBBY) storageSet('sb.leftLobby.' + me, true);
    dropRoom(id);
    if (!selected) {
      const next = [...convs.keys()][0];
      if (next) select(next);
    }
    toast(`You left #${id}`);
    changed();
  }, e => toast(`Could not leave #${id}: ${e.message}`, 'error'));
}

function maybeSendTyping() {
  const now = Date.now();
  if (!selected || conn.state !== 'online' || now - lastTypingSent < TYPING_SEND_EVERY) return;
  const c = convFor(selected);
  if (c.kind === 'all' || (c.kind === 'dm' && c.name === me)) return;
  lastTypingSent = now;
  client.send(streamOf(c), { typing: true }, { transient: true }).catch(() => {});
}

// ---- rendering --------------------------------------------------------------------------------

function changed() {
  scheduleSave();
  if (renderQueued) return;
  renderQueued = true;
  setTimeout(() => { if (renderQueued) render(); }, 16);
}

/** Renders now: after a user action the page should never show the previous state. */
function flush() {
  scheduleSave();
  render();
}

function render() {
  renderQueued = false;
  if (!me) return;
  renderConn();
  renderSidebar();
  renderHeader();
  renderMessages();
  renderTyping();
  const unread = [...convs.values()].reduce((n, c) => n + c.unread, 0);
  document.title = (unread ? `(${unread}) ` : '') + 'Switchboard · ' + me;
  $('menu-badge').hidden = !unread;
  $('menu-badge').textContent = unread;
}

function renderConn() {
  const box = $('conn');
  const retry = $('conn-retry');
  box.dataset.state = conn.state;
  box.toggleAttribute('data-synced', conn.state === 'online' && !!conn.synced);
  box.title = conn.reason ? 'Last disconnect: ' + conn.reason : '';
  retry.hidden = !(conn.state === 'offline' || conn.state === 'closed');
  retry.textContent = conn.state === 'closed' ? 'Reconnect' : 'Retry now';
  let main = 'Connecting…';
  let detail = '';
  if (conn.state === 'online') {
    main = 'Online';
    detail = ' · node ' + conn.node;
  } else if (conn.state === 'offline') {
    const s = Math.max(0, Math.ceil(((conn.retryAt || 0) - Date.now()) / 1000));
    main = 'Offline';
    detail = s > 0 ? `, reconnecting in ${s}s` : ', reconnecting…';
  } else if (conn.state === 'closed') {
    main = 'Disconnected';
  }
  $('conn-main').textContent = main;
  $('conn-detail').textContent = detail;
}

function isOnline(user) {
  for (const r of rooms.values()) if (r.online.has(user)) return true;
  return false;
}

function convButton(c, label, prefix, extra) {
  const li = el('li');
  const b = el('button', 'conv' + (c.key === selected ? ' active' : '') + (c.unread ? ' unread' : ''));
  b.type = 'button';
  b.dataset.key = c.key;
  b.append(prefix);
  b.append(el('span', 'conv-name', label));
  if (extra) b.append(extra);
  if (c.unread) {
    const badge = el('b', 'badge', String(c.unread > 99 ? '99+' : c.unread));
    badge.setAttribute('aria-label', plural(c.unread, 'unread message'));
    b.append(badge);
  }
  b.addEventListener('click', () => select(c.key));
  li.append(b);
  return li;
}

function renderSidebar() {
  const roomList = $('room-list');
  roomList.replaceChildren();
  const roomConvs = [...convs.values()].filter(c => c.kind === 'room').sort((a, b) => a.name.localeCompare(b.name));
  for (const c of roomConvs) {
    const r = rooms.get(c.name);
    const n = r ? r.count : 0;
    const count = el('span', 'conv-count', n ? String(n) : '');
    count.title = plural(n, 'member') + ' online';
    roomList.append(convButton(c, c.name, el('span', 'prefix', '#'), count));
  }
  if (convs.has('all')) roomList.append(convButton(convs.get('all'), 'everyone', el('span', 'prefix', '*')));
  if (!roomConvs.length) roomList.append(el('li', 'muted small empty', 'No rooms yet'));

  const dmList = $('dm-list');
  dmList.replaceChildren();
  const dms = [...convs.values()].filter(c => c.kind === 'dm').sort((a, b) => (b.last - a.last) || a.name.localeCompare(b.name));
  for (const c of dms) {
    const dot = el('span', 'presence' + (isOnline(c.name) && conn.state === 'online' ? ' on' : ''));
    dot.title = isOnline(c.name) ? 'online' : lastSeen(seen.get(c.name));
    dmList.append(convButton(c, c.name === me ? c.name + ' (you)' : c.name, dot));
  }
  if (!dms.length) dmList.append(el('li', 'muted small empty', 'Click someone online to say hi'));

  // members of the room in view (or the last room viewed)
  const roomId = selected && selected.startsWith('room:') ? selected.slice(5) : (lastRoom && rooms.has(lastRoom) ? lastRoom : null);
  const r = roomId ? rooms.get(roomId) : null;
  $('members-title').textContent = roomId ? 'Online in #' + roomId : 'Online';
  $('members-count').textContent = r ? String(r.count) : '';
  const list = $('member-list');
  list.replaceChildren();
  list.classList.toggle('stale', conn.state !== 'online');
  if (r) {
    const users = [...r.online].sort((a, b) => (a === me ? -1 : b === me ? 1 : a.localeCompare(b)));
    for (const u of users) {
      const li = el('li');
      const b = el('button', 'member');
      b.type = 'button';
      b.dataset.user = u;
      b.append(avatar(u, 'avatar tiny'), el('span', 'member-name', u));
      if (u === me) {
        b.append(el('span', 'muted small', 'you'));
        b.disabled = true;
      } else {
        b.title = 'Message ' + u;
        b.addEventListener('click', () => select('dm:' + u));
      }
      li.append(b);
      list.append(li);
    }
    if (r.count > r.online.size) list.append(el('li', 'muted small', `and ${r.count - r.online.size} more`));
  }
  $('members-empty').hidden = !(r && r.online.size <= 1);
}

function renderHeader() {
  const c = selected ? convs.get(selected) : null;
  const title = $('conv-title');
  const sub = $('conv-sub');
  $('leave').hidden = !c || c.kind !== 'room';
  if (!c) {
    title.textContent = 'Switchboard';
    sub.textContent = '';
    return;
  }
  if (c.kind === 'room') {
    title.textContent = '# ' + c.name;
    const r = rooms.get(c.name);
    sub.textContent = !r ? '' : conn.state === 'online' ? plural(r.count, 'member') + ' online'
      : plural(r.count, 'member') + ' online when last connected';
  } else if (c.kind === 'dm') {
    title.textContent = '@ ' + c.name;
    sub.textContent = c.name === me ? 'Notes to yourself'
      : isOnline(c.name) && conn.state === 'online' ? 'online' : lastSeen(seen.get(c.name));
  } else {
    title.textContent = '* everyone';
    sub.textContent = 'Announcements to everyone';
  }
}

const rendered = new Map(); // item -> { el, v, cont }

function renderMessages() {
  const box = $('messages');
  const c = selected ? convs.get(selected) : null;
  if (box.dataset.key !== (selected || '')) {
    box.dataset.key = selected || '';
    rendered.clear();
    stickToBottom = true;
  }
  const wasAtBottom = stickToBottom;
  const nodes = [];
  if (!c || !c.items.length) {
    const empty = el('div', 'empty-state');
    empty.append(el('h2', null, c ? 'No messages yet' : 'Welcome'));
    empty.append(el('p', 'muted', c ? emptyConversation(c.kind, c.name)
      : 'Join a room or message someone from the list of conversations.'));
    nodes.push(empty);
  } else {
    let prev = null;
    // unconfirmed messages stay at the bottom until the server has placed them
    const ordered = [...c.items.filter(i => i.status !== 'pending'), ...c.items.filter(i => i.status === 'pending')];
    for (const item of ordered) {
      if (!prev || dayKey(prev.ts) !== dayKey(item.ts)) {
        nodes.push(el('div', 'day', dayLabel(item.ts)));
        prev = null;
      }
      const cont = !!(prev && prev.t === 'msg' && item.t === 'msg' && prev.from === item.from && item.ts - prev.ts < 5 * 60000);
      const s = item.status === 'pending' ? conn.state : '';
      let r = rendered.get(item);
      if (!r || r.v !== item.v || r.cont !== cont || r.s !== s) {
        r = { el: item.t === 'sys' ? renderSystem(item) : renderMessage(item, cont), v: item.v, cont, s };
        rendered.set(item, r);
      }
      nodes.push(r.el);
      prev = item;
    }
    for (const item of rendered.keys()) if (!c.items.includes(item)) rendered.delete(item);
  }
  box.replaceChildren(...nodes);
  if (wasAtBottom) box.scrollTop = box.scrollHeight;
}

function renderSystem(item) {
  const d = el('div', 'sys ' + (item.cls || ''));
  d.dataset.id = item.id;
  d.append(el('span', null, item.text));
  return d;
}

function renderMessage(item, cont) {
  const mine = item.from === me;
  const d = el('div', 'msg' + (cont ? ' cont' : '') + (mine ? ' mine' : '') + (item.status !== 'ok' ? ' ' + item.status : ''));
  d.dataset.id = item.id;
  d.dataset.from = item.from;
  if (item.seq) d.dataset.seq = item.seq;
  const time = el('time', null, hm(item.ts));
  time.dateTime = new Date(item.ts).toISOString();
  time.title = new Date(item.ts).toLocaleString() + (item.seq ? ` · seq ${item.seq}` : '');
  if (cont) {
    d.append(el('span', 'gutter'));
    d.lastChild.append(time);
  } else {
    d.append(avatar(item.from));
  }
  const body = el('div', 'body');
  if (!cont) {
    const meta = el('div', 'meta');
    meta.append(el('span', 'from', item.from), time);
    body.append(meta);
  }
  body.append(el('div', 'text', item.text));
  if (item.status === 'pending') {
    body.append(el('div', 'status', conn.state === 'online' ? 'sending…' : 'waiting for connection…'));
  } else if (item.status === 'failed') {
    const s = el('div', 'status', 'Not sent: ' + (item.error || 'error.') + ' ');
    const retry = el('button', 'link', 'Retry');
    retry.type = 'button';
    retry.addEventListener('click', () => {
      item.status = 'pending';
      item.v++;
      deliver(convFor(selected), item);
      changed();
    });
    s.append(retry);
    body.append(s);
  }
  d.append(body);
  return d;
}

function renderTyping() {
  const box = $('typing');
  const now = Date.now();
  const m = selected ? typing.get(selected) : null;
  const who = m ? [...m].filter(([, until]) => until > now).map(([u]) => u).sort() : [];
  box.textContent = !who.length ? ''
    : who.length === 1 ? `${who[0]} is typing…`
    : who.length === 2 ? `${who[0]} and ${who[1]} are typing…`
    : 'Several people are typing…';
}

// ---- local history ----------------------------------------------------------------------------

function cacheKey() {
  return 'sb.history.' + me;
}

function scheduleSave() {
  if (!me || saveTimer) return;
  saveTimer = setTimeout(saveHistory, 400);
}

function saveHistory() {
  clearTimeout(saveTimer);
  saveTimer = null;
  if (!me) return;
  const data = {
    v: 1,
    selected,
    lastRoom,
    convs: [...convs.values()].map(c => ({
      key: c.key,
      unread: c.unread,
      items: c.items.filter(i => i.cls !== 'catchup' || i.text !== 'Catching up…')
        .map(({ v, ...rest }) => rest),
    })),
  };
  storageSet(cacheKey(), data);
}

function loadHistory() {
  const data = storageGet(cacheKey(), null);
  if (!data || data.v !== 1) return;
  for (const saved of data.convs || []) {
    const c = convFor(saved.key);
    c.unread = saved.unread || 0;
    for (const item of saved.items || []) addItem(c, item);
  }
  selected = data.selected && convs.has(data.selected) ? data.selected : null;
  lastRoom = data.lastRoom || null;
  for (const c of convs.values()) {
    if (c.kind === 'room') rooms.set(c.name, { online: new Set(), count: 0 });
  }
}

// ---- session ----------------------------------------------------------------------------------

function deviceId(user) {
  const key = 'sb.device.' + user;
  let id = storageGet(key, null);
  if (!id) {
    id = 'web-' + newId().replace(/-/g, '').slice(0, 16);
    storageSet(key, id);
  }
  return id;
}

async function fetchToken(user) {
  const res = await fetch('/dev/token?user=' + encodeURIComponent(user), { cache: 'no-store' });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) {
    const e = new Error(json.message || json.error || 'token request failed (' + res.status + ')');
    e.status = res.status;
    throw e;
  }
  return json.token;
}

function start(user) {
  me = user;
  convs = new Map();
  rooms = new Map();
  typing = new Map();
  seen = new Map();
  selected = null;
  lastRoom = null;
  conn = { state: 'connecting' };
  loadHistory();

  $('login').hidden = true;
  $('app').hidden = false;
  $('me-name').textContent = me;
  $('me-avatar').replaceWith(Object.assign(avatar(me), { id: 'me-avatar' }));
  const device = deviceId(me);
  // the device id is for the curious (it names this browser's place in the conversations), not a label
  $('me-name').parentElement.title = `${me} on this browser (device ${device})`;

  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  client = connect(`${scheme}//${location.host}/ws`, {
    getToken: () => fetchToken(me),
    device,
    client: 'switchboard-demo',
    storage: localStorageAdapter(),   // positions survive a reload: the page resumes where it was
    storageKey: 'sb.resume.' + me,
  });
  window.switchboard = client; // for poking around in the devtools console
  client.on('state', onState);
  client.on('welcome', onWelcome);
  client.on('message', onMessage);
  client.on('presence', onPresence);
  client.on('gap', onGap);
  client.on('resumed', onResumed);
  client.on('reset', onReset);
  client.on('joined', j => {
    if (!j.elsewhere || rooms.has(j.room)) return;
    rooms.set(j.room, { online: new Set([...(j.online || []), me]), count: Math.max(j.onlineCount || 0, 1) });
    convFor('room:' + j.room);
    toast(`Joined #${j.room} from another tab or device`);
    changed();
  });
  client.on('left', l => {
    if (!l.elsewhere || !rooms.has(l.room)) return;
    dropRoom(l.room);
    toast(`Left #${l.room} from another tab or device`);
    changed();
  });
  client.on('error', e => {
    // token and storage trouble is retried by the SDK; the page only reports what the server said
    if (e.code === 'token' || e.code === 'storage') console.warn('switchboard:', e.message);
    else toast(`Server: ${e.message || e.code}`, 'error');
  });

  // messages that were still waiting when the page was closed: resend with the same id (idempotent)
  for (const c of convs.values()) {
    for (const item of c.items) {
      if (item.t === 'msg' && item.status === 'pending') {
        item.to = item.to || streamOf(c);
        deliver(c, item);
      }
    }
  }
  if (selected) select(selected);
  changed();
}

function stop() {
  try { sessionStorage.removeItem('sb.active'); } catch (x) { /* ignore */ }
  saveHistory();
  client?.close();
  client = null;
  me = null;
  clearInterval(countdownTimer);
  $('app').hidden = true;
  $('login').hidden = false;
  document.title = 'Switchboard';
  $('login-name').focus();
}

// ---- wiring -----------------------------------------------------------------------------------

function setup() {
  const last = storageGet('sb.lastUser', '');
  $('login-name').value = last || '';

  $('login-form').addEventListener('submit', async e => {
    e.preventDefault();
    const name = $('login-name').value.trim();
    const err = $('login-error');
    err.textContent = '';
    if (!isValidId(name)) {
      err.textContent = 'Use 1–128 letters, digits or _ . : @ | + = - (no spaces).';
      return;
    }
    $('login-button').disabled = true;
    try {
      await fetchToken(name); // fail here, with a message, rather than in a reconnect loop
      storageSet('sb.lastUser', name);
      try { sessionStorage.setItem('sb.active', name); } catch (x) { /* ignore */ }
      start(name);
    } catch (x) {
      err.textContent = x.status ? x.message : 'Cannot reach the server: ' + x.message;
    } finally {
      $('login-button').disabled = false;
    }
  });

  $('logout').addEventListener('click', stop);

  $('composer').addEventListener('submit', e => {
    e.preventDefault();
    const input = $('input');
    const text = input.value.trim();
    if (!text || !selected) return;
    sendText(text);
    input.value = '';
    autosize();
    lastTypingSent = 0;
  });

  const input = $('input');
  input.addEventListener('keydown', e => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      $('composer').requestSubmit();
    }
  });
  input.addEventListener('input', () => {
    autosize();
    if (input.value.trim()) maybeSendTyping();
  });

  $('join-form').addEventListener('submit', e => {
    e.preventDefault();
    const name = $('join-input').value.trim().replace(/^#/, '');
    if (!isValidId(name)) {
      toast('Room names use letters, digits and _ . : @ | + = -', 'error');
      return;
    }
    $('join-input').value = '';
    if (rooms.has(name)) select('room:' + name);
    else joinRoom(name);
  });

  $('dm-form').addEventListener('submit', e => {
    e.preventDefault();
    const name = $('dm-input').value.trim().replace(/^@/, '');
    if (!isValidId(name)) {
      toast('User names use letters, digits and _ . : @ | + = -', 'error');
      return;
    }
    $('dm-input').value = '';
    select('dm:' + name);
  });

  $('leave').addEventListener('click', () => {
    const c = selected && convs.get(selected);
    if (!c || c.kind !== 'room') return;
    const dialog = $('leave-dialog');
    dialog.dataset.room = c.name;
    $('leave-question').textContent = `Leave #${c.name}?`;
    dialog.returnValue = '';
    dialog.showModal();
  });
  $('leave-dialog').addEventListener('close', () => {
    const dialog = $('leave-dialog');
    if (dialog.returnValue === 'leave' && rooms.has(dialog.dataset.room)) leaveRoom(dialog.dataset.room);
  });

  $('conn-retry').addEventListener('click', () => client?.reconnect());

  $('menu').addEventListener('click', () => {
    const open = !document.body.classList.contains('drawer-open');
    document.body.classList.toggle('drawer-open', open);
    $('backdrop').hidden = !open;
  });
  $('backdrop').addEventListener('click', () => {
    document.body.classList.remove('drawer-open');
    $('backdrop').hidden = true;
  });

  $('messages').addEventListener('scroll', () => {
    const box = $('messages');
    stickToBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  });

  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && selected && convs.get(selected)?.unread) {
      convs.get(selected).unread = 0;
      changed();
    }
  });
  window.addEventListener('pagehide', () => me && saveHistory());
}

function autosize() {
  const input = $('input');
  input.style.height = 'auto';
  input.style.height = Math.min(input.scrollHeight, 160) + 'px';
  // near the cap, how much is left; at it, that the rest of what is typed is not taken
  const n = input.value.length;
  const counter = $('counter');
  counter.hidden = n < COUNT_FROM;
  counter.classList.toggle('full', n >= MAX_TEXT);
  counter.textContent = `${n.toLocaleString('en')} / ${MAX_TEXT.toLocaleString('en')}` + (n >= MAX_TEXT ? ' · limit reached' : '');
}

setup();
// a reload of a logged-in tab picks up where it was (resume, no duplicates, no loss)
let active = null;
try { active = sessionStorage.getItem('sb.active'); } catch (x) { /* ignore */ }
if (active && isValidId(active)) start(active);
