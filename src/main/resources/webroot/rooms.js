// The demo page's rooms: joining (the lobby on its own, unless the user left it) and leaving.
import { isValidId } from './sdk/switchboard.js';
import { page, changed } from './state.js';
import { $, toast } from './dom.js';
import { convFor, dropRoom } from './conversations.js';
import { storageSet } from './storage.js';
import { select } from './sidebar.js';

export const LOBBY = 'lobby';

/** Whether this user left the lobby on purpose: then it is not joined again for them. */
export const leftLobbyKey = () => 'sb.leftLobby.' + page.me;

export function joinRoom(room, { select: show = true } = {}) {
  return page.client.join(room).then(j => {
    if (room === LOBBY) storageSet(leftLobbyKey(), false);
    page.rooms.set(room, { online: new Set([...(j.online || []), page.me]), count: Math.max(j.onlineCount || 0, 1) });
    convFor('room:' + room);
    if (show) select('room:' + room);
    changed();
  }, e => toast(`Could not join #${room}: ${e.message}`, 'error'));
}

function leaveRoom(id) {
  page.client.leave(id).then(() => {
    if (id === LOBBY) storageSet(leftLobbyKey(), true);
    dropRoom(id);
    if (!page.selected) {
      const next = [...page.convs.keys()][0];
      if (next) select(next);
    }
    toast(`You left #${id}`);
    changed();
  }, e => toast(`Could not leave #${id}: ${e.message}`, 'error'));
}

export function wireRooms() {
  $('join-form').addEventListener('submit', e => {
    e.preventDefault();
    const name = $('join-input').value.trim().replace(/^#/, '');
    if (!isValidId(name)) {
      toast('Room names use letters, digits and _ . : @ | + = -', 'error');
      return;
    }
    $('join-input').value = '';
    if (page.rooms.has(name)) select('room:' + name);
    else joinRoom(name);
  });

  $('leave').addEventListener('click', () => {
    const c = page.selected && page.convs.get(page.selected);
    if (!c || c.kind !== 'room') return;
    const dialog = $('leave-dialog');
    dialog.dataset.room = c.name;
    $('leave-question').textContent = `Leave #${c.name}?`;
    dialog.returnValue = '';
    dialog.showModal();
  });
  $('leave-dialog').addEventListener('close', () => {
    const dialog = $('leave-dialog');
    if (dialog.returnValue === 'leave' && page.rooms.has(dialog.dataset.room)) leaveRoom(dialog.dataset.room);
  });
}
