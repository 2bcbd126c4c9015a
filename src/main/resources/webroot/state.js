// The demo page's state, shared by its modules (in one object: a module cannot assign another's
// variables), and the notice that it changed, which the renderer and the local history watch.

export const page = {
  me: null,                       // our user id
  client: null,                   // the SDK's client
  convs: new Map(),               // key ('room:x' | 'dm:x' | 'all') -> conversation
  rooms: new Map(),               // room id -> { online: Set, count }
  selected: null,                 // key of the conversation in view
  lastRoom: null,                 // room whose members the sidebar shows
  conn: { state: 'connecting' },  // the SDK's last state event
  typing: new Map(),              // conv key -> Map(user -> until)
  seen: new Map(),                // user -> when they were last seen online (presence, their messages)
  stickToBottom: true,            // the message list follows new messages
};

const watchers = [];

/** `fn(now)` runs after every change; `now` when the page must show it at once. */
export function watch(fn) {
  watchers.push(fn);
}

export function changed() {
  for (const w of watchers) w(false);
}

/** After a user action: the page should never show the previous state. */
export function flush() {
  for (const w of watchers) w(true);
}
