// Looking up a room: members, who is online, head seq and epoch, retention, the last messages.
import { h, $, table, facts, time, duration } from './dom.js';
import { call, seg } from './api.js';
import { member } from './user.js';

export async function showRoom(room) {
  const view = $('#room-view');
  view.replaceChildren(h('p', { class: 'muted' }, 'Looking up…'));
  let r;
  try {
    r = await call('GET', `/rooms/${seg(room)}?messages=20`);
  } catch (e) {
    view.replaceChildren(h('p', { class: 'error' }, e.message));
    return;
  }
  const again = () => showRoom(room);
  const input = h('input', { placeholder: 'user id', 'aria-label': 'User to add', spellcheck: 'false' });
  const online = new Set(r.online || []);
  view.replaceChildren(h('div', { class: 'card' },
    h('header', { class: 'row' }, h('h2', {}, '# ' + r.room),
      h('span', { class: 'pill', 'data-online': String((r.onlineCount || 0) > 0) }, r.onlineCount === null ? 'online: unknown' : `${r.onlineCount} online`)),
    facts([['Head seq', r.head], ['Epoch', r.epoch || '—'], ['First available', r.firstAvailable],
      ['Members', r.memberCount], ['Retention', `last ${r.retention.maxMessages} messages, at most ${duration(r.retention.maxAgeSeconds * 1000)} old`]]),
    h('h3', {}, 'Members'),
    table(['User', 'Online', ''], r.members.map(u => [u, online.has(u) ? 'online' : '',
      h('button', { type: 'button', class: 'small', onclick: () => member('DELETE', r.room, u, again) }, 'Remove')]), 'No members.'),
    h('form', { class: 'row', onsubmit: e => { e.preventDefault(); if (input.value) member('PUT', r.room, input.value.trim(), again); } },
      input, h('button', { type: 'submit' }, 'Add member')),
    h('h3', {}, 'Last messages'),
    messages(r.messages)));
}

/** Messages of a log page as a table, oldest first. */
export function messages(list) {
  return table(['Seq', 'From', 'Body', 'Id', 'Time'], list.map(m => [m.seq, m.from, h('code', {}, JSON.stringify(m.body)),
    h('code', { class: 'small' }, m.id), time(m.ts)]), 'No messages.');
}
