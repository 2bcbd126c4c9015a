// The demo page: DOM, conversations, unread counts, local history. All protocol work is done by
// the JavaScript client SDK (clients/js/src/switchboard.js, served by the node at /sdk/switchboard.js)
// through its API: connect / on / send / join / leave / reconnect / close. One module per concern:
//   state.js          the page's state, and the notice that it changed
//   session.js        logging in and out, the SDK's client
//   incoming.js       the SDK's events turned into conversations
//   conversations.js  conversations and their items, who is online
//   rooms.js          joining and leaving rooms
//   composer.js       writing and sending, typing indicators
//   sidebar.js        the conversation lists and members; choosing a conversation
//   render.js         drawing the rest of the page from the state
//   storage.js        what is kept in localStorage (history, device id)
//   dom.js, words.js  DOM helpers; what the page says, in words
import { page, changed } from './state.js';
import { wireSession, resumeActiveTab } from './session.js';
import { wireSidebar } from './sidebar.js';
import { wireRooms } from './rooms.js';
import { wireComposer } from './composer.js';
import { wireMessages } from './render.js';

wireSession();
wireComposer();
wireRooms();
wireSidebar();
wireMessages();
document.addEventListener('visibilitychange', () => {
  if (!document.hidden && page.selected && page.convs.get(page.selected)?.unread) {
    page.convs.get(page.selected).unread = 0;
    changed();
  }
});
resumeActiveTab();
