// The admin console: log in with an admin key, then the live cluster view, look-ups and actions.
import { $ } from './dom.js';
import { key, liveNodes } from './api.js';
import { updateNodes } from './cluster.js';
import { showUser } from './user.js';
import { showRoom } from './room.js';
import { showStream } from './stream.js';
import { setUpPublish } from './publish.js';

let stopLive = null;

function showLogin(error = '') {
  if (stopLive) stopLive();
  stopLive = null;
  $('#app').hidden = true;
  $('#login').hidden = false;
  $('#login-error').textContent = error;
  $('#login-key').focus();
}

/** Logged in once the live feed accepts the key; a refused key goes back to the login form. */
function start() {
  $('#live').dataset.state = 'connecting';
  $('#live').textContent = 'connecting';
  stopLive = liveNodes(update => {
    $('#login').hidden = true;
    $('#app').hidden = false;
    updateNodes(update);
  }, (state, message) => {
    if (state === 'unauthorized') {
      key.clear();
      showLogin(message);
      return;
    }
    $('#live').dataset.state = state;
    $('#live').textContent = state;
  });
}

function selectTab(name) {
  for (const t of document.querySelectorAll('.tab')) t.setAttribute('aria-selected', String(t.dataset.tab === name));
  for (const p of document.querySelectorAll('.panel')) p.hidden = p.id !== 'tab-' + name;
  $('#notice').hidden = true;
}

$('#login-form').addEventListener('submit', e => {
  e.preventDefault();
  key.set($('#login-key').value.trim());
  $('#login-key').value = '';
  $('#login-error').textContent = '';
  start();
});
$('#logout').addEventListener('click', () => {
  key.clear();
  location.reload(); // nothing of what was shown stays on the page
});
for (const t of document.querySelectorAll('.tab')) t.addEventListener('click', () => selectTab(t.dataset.tab));
$('#user-form').addEventListener('submit', e => { e.preventDefault(); showUser($('#user-id').value.trim()); });
$('#room-form').addEventListener('submit', e => { e.preventDefault(); showRoom($('#room-id').value.trim()); });
$('#stream-form').addEventListener('submit', e => {
  e.preventDefault();
  showStream($('#stream-name').value.trim(), Math.max(1, Number($('#stream-from').value) || 1));
});
setUpPublish();

if (key.get()) start();
else showLogin();
