// The demo page's conversations: rooms, direct conversations and 'everyone', each a list of items
// (messages and system lines), and who is online where.
import { newId } from './sdk/switchboard.js';
import { page, changed } from './state.js';

const MAX_ITEMS = 300;            // per conversation, kept in localStorage

export function convFor(key) {
  let c = page.convs.get(key);
  if (!c) {
    const [kind, name] = key === 'all' ? ['all', 'everyone'] : [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
    c = { key, kind, name, items: [], ids: new Set(), unread: 0, last: 0 };
    page.convs.set(key, c);
  }
  return c;
}

/** The stream a conversation sends to. */
export function streamOf(c) {
  return c.kind === 'room' ? 'room:' + c.name : c.kind === 'dm' ? 'user:' + c.name : 'all';
}

/** The conversation a message belongs to. */
export function convKeyOf(m) {
  if (m.stream === 'user:' + page.me) return 'dm:' + m.from;
  if (m.stream.startsWith('room:')) return m.stream;
  return 'all';
}

/** Conversations fed by a stream: the user stream feeds every direct conversation. */
export function convsOf(stream) {
  if (stream.startsWith('room:')) return [convFor(stream)];
  if (stream === 'all') return [convFor('all')];
  return [...page.convs.values()].filter(c => c.kind === 'dm');
}

export function addItem(c, item) {
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
export function moveToEnd(c, item) {
  const i = c.items.indexOf(item);
  if (i >= 0) c.items.push(...c.items.splice(i, 1));
}

export function findItem(c, id) {
  return c.items.find(i => i.id === id);
}

export function systemLine(c, text, cls = '') {
  const item = { t: 'sys', id: 'sys-' + newId(), text, cls, ts: Date.now() };
  addItem(c, item);
  return item;
}

/** A "nothing missed" divider, replacing the previous one when nothing came in between. */
export function quietLine(c, text) {
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

export function dropRoom(id) {
  page.rooms.delete(id);
  page.convs.delete('room:' + id);
  page.typing.delete('room:' + id);
  if (page.selected === 'room:' + id) page.selected = null;
  if (page.lastRoom === id) page.lastRoom = null;
}

export function isOnline(user) {
  for (const r of page.rooms.values()) if (r.online.has(user)) return true;
  return false;
}

export function sawAt(user, ts) {
  if (ts && ts > (page.seen.get(user) || 0)) page.seen.set(user, Math.min(ts, Date.now()));
}
