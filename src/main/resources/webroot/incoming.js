// What the SDK tells the demo page, turned into conversations: messages, catch-ups after a
// reconnect, gaps and resets, presence, typing, the connection's state, rooms joined or left in
// another tab.
import { hm, hms, span, plural, missed, historyLost } from './words.js';
import { page, changed } from './state.js';
import { toast } from './dom.js';
import {
  convFor, streamOf, convKeyOf, convsOf, findItem, addItem, moveToEnd, systemLine, quietLine, dropRoom, isOnline, sawAt,
} from './conversations.js';
import { storageGet } from './storage.js';
import { select } from './sidebar.js';
import { LOBBY, leftLobbyKey, joinRoom } from './rooms.js';
import { countDown } from './render.js';

const TYPING_SHOW_FOR = 3500;     // ms a received indicator stays visible

let catchupLines = new Map(); // conv key -> system item being filled during a catch-up
let reconnecting = false;     // the welcome was not this page's first: the user saw it offline

/** Every event of the SDK's client that the page shows. */
export function listen(client) {
  client.on('state', onState);
  client.on('welcome', onWelcome);
  client.on('message', onMessage);
  client.on('presence', onPresence);
  client.on('gap', onGap);
  client.on('resumed', onResumed);
  client.on('reset', onReset);
  client.on('joined', onJoined);
  client.on('left', onLeft);
  client.on('error', e => {
    // token and storage trouble is retried by the SDK; the page only reports what the server said
    if (e.code === 'token' || e.code === 'storage') console.warn('switchboard:', e.message);
    else toast(`Server: ${e.message || e.code}`, 'error');
  });
}

function bodyText(body) {
  if (body && typeof body === 'object' && typeof body.text === 'string') return body.text;
  if (typeof body === 'string') return body;
  return JSON.stringify(body);
}

function onMessage(m) {
  if (m.transient) {
    onTransient(m);
    return;
  }
  const key = convKeyOf(m);
  if (key.startsWith('room:') && !page.rooms.has(m.stream.slice(5))) {
    page.rooms.set(m.stream.slice(5), { online: new Set(), count: 0 }); // joined in another tab
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
  page.typing.get(key)?.delete(m.from);
  const mine = m.from === page.me;
  const text = bodyText(m.body);
  addItem(c, { t: 'msg', id: m.id, from: m.from, text, ts: m.ts, seq: m.seq, status: 'ok' });
  if (!mine) sawAt(m.from, m.ts);
  if (!mine && (key !== page.selected || document.hidden)) c.unread++;
  // on a phone the conversation list is hidden: a direct message would only show as a number
  if (!mine && !m.replayed && c.kind === 'dm' && key !== page.selected) {
    toast(`${m.from}: ${text.length > 80 ? text.slice(0, 79) + '…' : text}`, 'dm', () => select(key));
  }
}

function onTransient(m) {
  if (m.from === page.me || !m.body || !m.body.typing) return;
  const key = convKeyOf(m);
  if (!page.typing.has(key)) page.typing.set(key, new Map());
  page.typing.get(key).set(m.from, Date.now() + TYPING_SHOW_FOR);
  setTimeout(changed, TYPING_SHOW_FOR + 50);
  changed();
}

function onWelcome(w) {
  const { rooms, me } = page;
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
  const autoJoin = !member.has(LOBBY) && !storageGet(leftLobbyKey(), false);
  for (const id of [...rooms.keys()]) {
    if (!member.has(id) && !(autoJoin && id === LOBBY)) dropRoom(id);
  }
  // who went offline while we were away was last seen online then, as far as this page knows
  for (const u of wasOnline) if (u !== me && !isOnline(u) && page.conn.offlineAt) sawAt(u, page.conn.offlineAt);
  if (autoJoin) joinRoom(LOBBY, { select: !page.selected || page.selected === 'room:' + LOBBY });
  if (!page.selected || !page.convs.has(page.selected)) {
    const first = member.has(LOBBY) ? 'room:' + LOBBY : [...page.convs.keys()][0];
    if (first) select(first);
  }
  changed();
}

function onPresence(p) {
  const r = page.rooms.get(p.room);
  if (!r) return;
  const had = r.online.has(p.user);
  if (p.state === 'online' && !had) {
    r.online.add(p.user);
    r.count = Math.max(r.count + 1, r.online.size);
  } else if (p.state === 'offline' && (had || r.count > r.online.size)) {
    r.online.delete(p.user);
    if (!isOnline(p.user)) sawAt(p.user, Date.now());
    r.count = Math.max(r.count - 1, r.online.size);
    page.typing.get('room:' + p.room)?.delete(p.user);
  }
  changed();
}

function onGap(g) {
  const n = g.to - g.from + 1;
  if (g.stream === 'user:' + page.me) {
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
  const c = page.selected && page.convs.get(page.selected);
  if (offline && r.offlineFrom && c && !catchupLines.has(page.selected) && caughtUpWhole(r, c)) {
    quietLine(c, `${offline} · nothing missed here`);
  }
  if (offline && r.offlineFrom) {
    const n = r.count;
    toast(`Back online after ${span(r.offlineTo - r.offlineFrom)}` + (n ? ` · ${plural(n, 'message')} caught up` : ''), 'ok');
  }
  catchupLines = new Map();
  page.conn.synced = true; // caught up: what the page shows is what the server holds
  changed();
}

/** Whether the catch-up covered the conversation's stream without a loss: then "nothing missed" is true. */
function caughtUpWhole(r, c) {
  const stream = c.kind === 'dm' ? 'user:' + page.me : streamOf(c);
  return !!r.streams[stream] && !r.gaps.some(g => g.stream === stream) && !r.resets.some(x => x.stream === stream);
}

function onState(s) {
  if (s.state !== 'online') s.offlineAt = page.conn.state === 'online' ? Date.now() : page.conn.offlineAt;
  page.conn = s;
  if (s.state === 'closed' && !s.byClient) toast('Disconnected: ' + s.reason, 'warn');
  countDown(s.state === 'offline');
  if (s.state === 'offline' || s.state === 'closed') {
    page.typing.clear();
  }
  changed();
}

function onJoined(j) {
  if (!j.elsewhere || page.rooms.has(j.room)) return;
  page.rooms.set(j.room, { online: new Set([...(j.online || []), page.me]), count: Math.max(j.onlineCount || 0, 1) });
  convFor('room:' + j.room);
  toast(`Joined #${j.room} from another tab or device`);
  changed();
}

function onLeft(l) {
  if (!l.elsewhere || !page.rooms.has(l.room)) return;
  dropRoom(l.room);
  toast(`Left #${l.room} from another tab or device`);
  changed();
}
