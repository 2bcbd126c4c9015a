// The demo page's session: logging in with a dev token, the SDK's client for that user, and
// logging out. A reload of a logged-in tab picks up where it was (resume, no duplicates, no loss).
import { connect, isValidId, localStorageAdapter } from './sdk/switchboard.js';
import { page, changed } from './state.js';
import { $, avatar } from './dom.js';
import { streamOf } from './conversations.js';
import { storageGet, storageSet, loadHistory, saveHistory, deviceId } from './storage.js';
import { select } from './sidebar.js';
import { deliver } from './composer.js';
import { countDown } from './render.js';
import { listen } from './incoming.js';

async function fetchToken(user) {
  const res = await fetch('/dev/token?user=' + encodeURIComponent(user), { cache: 'no-store' });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) {
    const e = new Error(json.message || json.error || 'token request failed (' + res.status + ')');
    e.status = res.status;
    throw e;
  }
  return json.token;
}

function start(user) {
  Object.assign(page, {
    me: user,
    convs: new Map(),
    rooms: new Map(),
    typing: new Map(),
    seen: new Map(),
    selected: null,
    lastRoom: null,
    conn: { state: 'connecting' },
  });
  const { me } = page;
  loadHistory();

  $('login').hidden = true;
  $('app').hidden = false;
  $('me-name').textContent = me;
  $('me-avatar').replaceWith(Object.assign(avatar(me), { id: 'me-avatar' }));
  const device = deviceId(me);
  // the device id is for the curious (it names this browser's place in the conversations), not a label
  $('me-name').parentElement.title = `${me} on this browser (device ${device})`;

  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const client = connect(`${scheme}//${location.host}/ws`, {
    getToken: () => fetchToken(me),
    device,
    client: 'switchboard-demo',
    storage: localStorageAdapter(),   // positions survive a reload: the page resumes where it was
    storageKey: 'sb.resume.' + me,
  });
  page.client = client;
  window.switchboard = client; // for poking around in the devtools console
  listen(client);

  // messages that were still waiting when the page was closed: resend with the same id (idempotent)
  for (const c of page.convs.values()) {
    for (const item of c.items) {
      if (item.t === 'msg' && item.status === 'pending') {
        item.to = item.to || streamOf(c);
        deliver(c, item);
      }
    }
  }
  if (page.selected) select(page.selected);
  changed();
}

function stop() {
  try { sessionStorage.removeItem('sb.active'); } catch (x) { /* ignore */ }
  saveHistory();
  page.client?.close();
  page.client = null;
  page.me = null;
  countDown(false);
  $('app').hidden = true;
  $('login').hidden = false;
  document.title = 'Switchboard';
  $('login-name').focus();
}

export function wireSession() {
  const last = storageGet('sb.lastUser', '');
  $('login-name').value = last || '';

  $('login-form').addEventListener('submit', async e => {
    e.preventDefault();
    const name = $('login-name').value.trim();
    const err = $('login-error');
    err.textContent = '';
    if (!isValidId(name)) {
      err.textContent = 'Use 1–128 letters, digits or _ . : @ | + = - (no spaces).';
      return;
    }
    $('login-button').disabled = true;
    try {
      await fetchToken(name); // fail here, with a message, rather than in a reconnect loop
      storageSet('sb.lastUser', name);
      try { sessionStorage.setItem('sb.active', name); } catch (x) { /* ignore */ }
      start(name);
    } catch (x) {
      err.textContent = x.status ? x.message : 'Cannot reach the server: ' + x.message;
    } finally {
      $('login-button').disabled = false;
    }
  });

  $('logout').addEventListener('click', stop);
  $('conn-retry').addEventListener('click', () => page.client?.reconnect());
  window.addEventListener('pagehide', () => page.me && saveHistory());
}

/** A reload of a logged-in tab: the same user again, without the login form. */
export function resumeActiveTab() {
  let active = null;
  try { active = sessionStorage.getItem('sb.active'); } catch (x) { /* ignore */ }
  if (active && isValidId(active)) start(active);
}
