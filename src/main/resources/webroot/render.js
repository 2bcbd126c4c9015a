// The demo page drawn from its state: the connection pill, the header, the messages of the
// conversation in view and who is typing there (the sidebar draws itself). A change is drawn within
// a frame, all changes of that frame at once.
import { hm, dayKey, dayLabel, plural, lastSeen, emptyConversation } from './words.js';
import { page, watch, changed } from './state.js';
import { $, el, avatar } from './dom.js';
import { convFor, isOnline } from './conversations.js';
import { renderSidebar } from './sidebar.js';
import { deliver } from './composer.js';

let renderQueued = false;
let countdownTimer = null;
const rendered = new Map(); // item -> { el, v, cont, s }

watch(now => {
  if (now) {
    render();
  } else if (!renderQueued) {
    renderQueued = true;
    setTimeout(() => { if (renderQueued) render(); }, 16);
  }
});

function render() {
  renderQueued = false;
  if (!page.me) return;
  renderConn();
  renderSidebar();
  renderHeader();
  renderMessages();
  renderTyping();
  const unread = [...page.convs.values()].reduce((n, c) => n + c.unread, 0);
  document.title = (unread ? `(${unread}) ` : '') + 'Switchboard · ' + page.me;
  $('menu-badge').hidden = !unread;
  $('menu-badge').textContent = unread;
}

/** While offline the pill counts down to the next attempt, every second. */
export function countDown(offline) {
  clearInterval(countdownTimer);
  if (offline) countdownTimer = setInterval(renderConn, 1000);
}

function renderConn() {
  const { conn } = page;
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

function renderHeader() {
  const { selected, conn, me } = page;
  const c = selected ? page.convs.get(selected) : null;
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
    const r = page.rooms.get(c.name);
    sub.textContent = !r ? '' : conn.state === 'online' ? plural(r.count, 'member') + ' online'
      : plural(r.count, 'member') + ' online when last connected';
  } else if (c.kind === 'dm') {
    title.textContent = '@ ' + c.name;
    sub.textContent = c.name === me ? 'Notes to yourself'
      : isOnline(c.name) && conn.state === 'online' ? 'online' : lastSeen(page.seen.get(c.name));
  } else {
    title.textContent = '* everyone';
    sub.textContent = 'Announcements to everyone';
  }
}

function renderMessages() {
  const { selected } = page;
  const box = $('messages');
  const c = selected ? page.convs.get(selected) : null;
  if (box.dataset.key !== (selected || '')) {
    box.dataset.key = selected || '';
    rendered.clear();
    page.stickToBottom = true;
  }
  const wasAtBottom = page.stickToBottom;
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
      const s = item.status === 'pending' ? page.conn.state : '';
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
  const mine = item.from === page.me;
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
    body.append(el('div', 'status', page.conn.state === 'online' ? 'sending…' : 'waiting for connection…'));
  } else if (item.status === 'failed') {
    const s = el('div', 'status', 'Not sent: ' + (item.error || 'error.') + ' ');
    const retry = el('button', 'link', 'Retry');
    retry.type = 'button';
    retry.addEventListener('click', () => {
      item.status = 'pending';
      item.v++;
      deliver(convFor(page.selected), item);
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
  const m = page.selected ? page.typing.get(page.selected) : null;
  const who = m ? [...m].filter(([, until]) => until > now).map(([u]) => u).sort() : [];
  box.textContent = !who.length ? ''
    : who.length === 1 ? `${who[0]} is typing…`
    : who.length === 2 ? `${who[0]} and ${who[1]} are typing…`
    : 'Several people are typing…';
}

export function wireMessages() {
  $('messages').addEventListener('scroll', () => {
    const box = $('messages');
    page.stickToBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  });
}
