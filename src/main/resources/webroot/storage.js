// What the demo page keeps in localStorage: each user's conversations (a convenience: the server
// holds the history), the browser's device id per user, and small flags.
import { newId } from './sdk/switchboard.js';
import { page, watch } from './state.js';
import { convFor, addItem } from './conversations.js';

let saveTimer = null;

export function storageGet(key, fallback) {
  try {
    const v = localStorage.getItem(key);
    return v == null ? fallback : JSON.parse(v);
  } catch (e) {
    return fallback;
  }
}

export function storageSet(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch (e) { /* full or disabled: history is a convenience */ }
}

function cacheKey() {
  return 'sb.history.' + page.me;
}

function scheduleSave() {
  if (!page.me || saveTimer) return;
  saveTimer = setTimeout(saveHistory, 400);
}

watch(scheduleSave);

export function saveHistory() {
  clearTimeout(saveTimer);
  saveTimer = null;
  if (!page.me) return;
  const data = {
    v: 1,
    selected: page.selected,
    lastRoom: page.lastRoom,
    convs: [...page.convs.values()].map(c => ({
      key: c.key,
      unread: c.unread,
      items: c.items.filter(i => i.cls !== 'catchup' || i.text !== 'Catching up…')
        .map(({ v, ...rest }) => rest),
    })),
  };
  storageSet(cacheKey(), data);
}

export function loadHistory() {
  const data = storageGet(cacheKey(), null);
  if (!data || data.v !== 1) return;
  for (const saved of data.convs || []) {
    const c = convFor(saved.key);
    c.unread = saved.unread || 0;
    for (const item of saved.items || []) addItem(c, item);
  }
  page.selected = data.selected && page.convs.has(data.selected) ? data.selected : null;
  page.lastRoom = data.lastRoom || null;
  for (const c of page.convs.values()) {
    if (c.kind === 'room') page.rooms.set(c.name, { online: new Set(), count: 0 });
  }
}

export function deviceId(user) {
  const key = 'sb.device.' + user;
  let id = storageGet(key, null);
  if (!id) {
    id = 'web-' + newId().replace(/-/g, '').slice(0, 16);
    storageSet(key, id);
  }
  return id;
}
