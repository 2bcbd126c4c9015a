// The demo page's composer: what the user writes goes out through the SDK (shown at once, confirmed
// or failed later), with typing indicators while they write.
import { newId } from './sdk/switchboard.js';
import { notSent } from './words.js';
import { page, changed, flush } from './state.js';
import { $ } from './dom.js';
import { convFor, streamOf, addItem, moveToEnd } from './conversations.js';

const TYPING_SEND_EVERY = 2000;   // ms between our own typing indicators
const MAX_TEXT = 4000;            // the composer's maxlength
const COUNT_FROM = MAX_TEXT - 500; // the counter shows from here on

let lastTypingSent = 0;

function sendText(text) {
  const c = convFor(page.selected);
  const item = { t: 'msg', id: newId(), from: page.me, text, ts: Date.now(), status: 'pending', to: streamOf(c) };
  addItem(c, item);
  page.stickToBottom = true;
  deliver(c, item);
  flush();
}

/** Sends a message item (again: same id, so the server stores it once) and marks it confirmed or failed. */
export function deliver(c, item) {
  page.client.send(item.to, { text: item.text }, { id: item.id }).then(r => {
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

function maybeSendTyping() {
  const now = Date.now();
  if (!page.selected || page.conn.state !== 'online' || now - lastTypingSent < TYPING_SEND_EVERY) return;
  const c = convFor(page.selected);
  if (c.kind === 'all' || (c.kind === 'dm' && c.name === page.me)) return;
  lastTypingSent = now;
  page.client.send(streamOf(c), { typing: true }, { transient: true }).catch(() => {});
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

export function wireComposer() {
  $('composer').addEventListener('submit', e => {
    e.preventDefault();
    const input = $('input');
    const text = input.value.trim();
    if (!text || !page.selected) return;
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
}
