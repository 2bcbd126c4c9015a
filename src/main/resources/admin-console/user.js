// Looking up a user: open sessions (node, device, IP, connect time), rooms, device cursors; and the
// actions on them: disconnect one session or all, add to or remove from a room.
import { h, $, table, time, notify } from './dom.js';
import { call, seg } from './api.js';

const CODES = [['4403', '4403: stays disconnected'], ['1012', '1012: reconnects']];

export async function showUser(user) {
  const view = $('#user-view');
  view.replaceChildren(h('p', { class: 'muted' }, 'Looking up…'));
  let u;
  try {
    u = await call('GET', `/users/${seg(user)}`);
  } catch (e) {
    view.replaceChildren(h('p', { class: 'error' }, e.message));
    return;
  }
  const again = () => showUser(user);
  const codeSelect = () => h('select', { 'aria-label': 'close code' }, CODES.map(([v, t]) => h('option', { value: v }, t)));
  const allCode = codeSelect();
  view.replaceChildren(
    h('div', { class: 'card' },
      h('header', { class: 'row' },
        h('h2', {}, u.user),
        h('span', { class: 'pill', 'data-online': String(u.online) }, u.online ? `online · ${u.sessions.length} session${u.sessions.length === 1 ? '' : 's'}` : 'offline'),
        h('span', { class: 'grow' }),
        allCode,
        h('button', { type: 'button', class: 'danger', id: 'disconnect-user', disabled: !u.online,
          onclick: () => disconnect(u.user, null, allCode.value, again) }, 'Disconnect all')),
      u.unanswered.length ? h('p', { class: 'error' }, `Not answered in time: ${u.unanswered.join(', ')} (their sessions are not listed)`) : null,
      h('h3', {}, 'Sessions'),
      table(['Session', 'Node', 'Device', 'IP', 'Connected', 'Rooms', ''], u.sessions.map(s => {
        const code = codeSelect();
        return [h('code', {}, s.session), s.node, s.device ?? '—', s.ip ?? '—', time(s.connectedAt), s.rooms.join(', ') || '—',
          h('span', { class: 'row' }, code, h('button', { type: 'button', class: 'danger small', 'data-session': s.session,
            onclick: () => disconnect(u.user, s.session, code.value, again) }, 'Disconnect'))];
      }), 'No open session.'),
      h('h3', {}, 'Rooms'),
      table(['Room', 'Membership', ''], u.rooms.map(r => [r.room, r.granted ? 'granted by the API' : 'joined with a token',
        h('button', { type: 'button', class: 'small', onclick: () => member('DELETE', r.room, u.user, again) }, 'Remove')]), 'In no room.'),
      addToRoom(u.user, again),
      h('h3', {}, 'Devices and cursors'),
      table(['Device', 'Cursors (stream: last seq acked)'], u.devices.map(d => [d.device,
        d.cursors.map(c => `${c.stream}: ${c.seq}`).join(' · ') || '—']), 'No device known.')));
}

function addToRoom(user, again) {
  const input = h('input', { placeholder: 'room id', 'aria-label': 'Room to add the user to', spellcheck: 'false' });
  return h('form', { class: 'row', onsubmit: e => { e.preventDefault(); if (input.value) member('PUT', input.value.trim(), user, again); } },
    input, h('button', { type: 'submit' }, 'Add to room'));
}

export async function member(method, room, user, after) {
  try {
    await call(method, `/rooms/${seg(room)}/members/${seg(user)}`);
    notify(method === 'PUT' ? `${user} added to ${room}.` : `${user} removed from ${room}.`);
    after();
  } catch (e) {
    notify(`Membership change failed: ${e.message}`, 'error');
  }
}

async function disconnect(user, session, code, after) {
  try {
    const path = session ? `/users/${seg(user)}/sessions/${seg(session)}/disconnect` : `/users/${seg(user)}/disconnect`;
    await call('POST', path, { code: Number(code), reason: 'disconnected by an operator' });
    notify(`${session ? 'Session ' + session : 'Every session of ' + user} closes with ${code}.`);
    // the close takes effect on the session's node a moment after the answer
    setTimeout(after, 500);
  } catch (e) {
    notify(`Disconnect failed: ${e.message}`, 'error');
  }
}
