// A stream's history, page by page (GET /streams/{stream}/messages).
import { h, $, facts } from './dom.js';
import { call, seg } from './api.js';
import { messages } from './room.js';

const PAGE = 50;

export async function showStream(stream, from) {
  const view = $('#stream-view');
  let p;
  try {
    p = await call('GET', `/streams/${seg(stream)}/messages?from=${from}&limit=${PAGE}`);
  } catch (e) {
    view.replaceChildren(h('p', { class: 'error' }, e.message));
    return;
  }
  const go = at => { $('#stream-from').value = at; showStream(stream, at); };
  view.replaceChildren(h('div', { class: 'card' },
    facts([['Stream', p.stream], ['Epoch', p.epoch || '—'], ['Head', p.head], ['First available', p.firstAvailable]]),
    from < p.firstAvailable && p.head > 0 ? h('p', { class: 'muted' }, `Seqs ${from}–${p.firstAvailable - 1} are gone (retention).`) : null,
    h('div', { class: 'row pager' },
      h('button', { type: 'button', disabled: from <= 1, onclick: () => go(Math.max(1, from - PAGE)) }, '← Older'),
      h('span', { class: 'muted' }, p.messages.length ? `seq ${p.messages[0].seq}–${p.messages[p.messages.length - 1].seq}` : 'no messages here'),
      h('button', { type: 'button', disabled: p.next === null, onclick: () => go(p.next) }, 'Newer →')),
    messages(p.messages)));
}
