// The demo page's sidebar: rooms, direct conversations and who is online in the room in view; on a
// phone, a drawer. Choosing a conversation puts it in view.
import { isValidId } from './sdk/switchboard.js';
import { plural, lastSeen } from './words.js';
import { page, flush } from './state.js';
import { $, el, avatar, toast } from './dom.js';
import { convFor, isOnline } from './conversations.js';

export function select(key) {
  const c = convFor(key);
  page.selected = key;
  if (c.kind === 'room') page.lastRoom = c.name;
  c.unread = 0;
  page.stickToBottom = true;
  document.body.classList.remove('drawer-open');
  $('backdrop').hidden = true;
  $('input').placeholder = c.kind === 'room' ? 'Message #' + c.name
    : c.kind === 'dm' ? 'Message @' + c.name : 'Broadcast to everyone';
  flush();
  if (window.matchMedia('(min-width: 761px)').matches) $('input').focus();
}

function convButton(c, label, prefix, extra) {
  const li = el('li');
  const b = el('button', 'conv' + (c.key === page.selected ? ' active' : '') + (c.unread ? ' unread' : ''));
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

export function renderSidebar() {
  const { convs, rooms, selected, lastRoom, conn, me } = page;
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
    dot.title = isOnline(c.name) ? 'online' : lastSeen(page.seen.get(c.name));
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

export function wireSidebar() {
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

  $('menu').addEventListener('click', () => {
    const open = !document.body.classList.contains('drawer-open');
    document.body.classList.toggle('drawer-open', open);
    $('backdrop').hidden = !open;
  });
  $('backdrop').addEventListener('click', () => {
    document.body.classList.remove('drawer-open');
    $('backdrop').hidden = true;
  });
}
