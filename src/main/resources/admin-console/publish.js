// Publishing to a user, a room or everyone (POST /streams/{stream}/messages).
import { h, $ } from './dom.js';
import { call, seg } from './api.js';

export function setUpPublish() {
  const kind = $('#publish-kind');
  const to = $('#publish-to');
  kind.addEventListener('change', () => {
    to.disabled = kind.value === 'all';
    to.placeholder = kind.value === 'user' ? 'alice' : kind.value === 'room' ? 'lobby' : '';
  });
  $('#publish-form').addEventListener('submit', async e => {
    e.preventDefault();
    const out = $('#publish-result');
    const stream = kind.value === 'all' ? 'all' : `${kind.value}:${to.value.trim()}`;
    let body;
    try {
      body = JSON.parse($('#publish-body').value);
    } catch (err) {
      out.replaceChildren(h('p', { class: 'error' }, 'The body is not JSON: ' + err.message));
      return;
    }
    const request = { body, from: $('#publish-from').value.trim() || undefined, id: $('#publish-id').value.trim() || undefined };
    try {
      const r = await call('POST', `/streams/${seg(stream)}/messages`, request);
      out.replaceChildren(h('p', { class: 'ok' }, r.duplicate ? `Already stored as ${r.stream} #${r.seq} (same id).`
        : r.seq ? `Stored as ${r.stream} #${r.seq}.` : `Sent to ${r.stream}.`));
    } catch (err) {
      out.replaceChildren(h('p', { class: 'error' }, `Not published: ${err.message}`));
    }
  });
}
