// What the demo page says to people: times, counts, and what happened to their messages, in words
// for someone chatting, not for someone who knows the protocol (no seqs, streams or epochs).

const two = n => String(n).padStart(2, '0');
export const hm = ts => { const d = new Date(ts); return two(d.getHours()) + ':' + two(d.getMinutes()); };
export const hms = ts => hm(ts) + ':' + two(new Date(ts).getSeconds());
export const dayKey = ts => new Date(ts).toDateString();
export const plural = (n, word) => n + ' ' + word + (n === 1 ? '' : 's');

export function dayLabel(ts) {
  const d = new Date(ts);
  const today = new Date();
  const yesterday = new Date(Date.now() - 86400000);
  if (d.toDateString() === today.toDateString()) return 'Today';
  if (d.toDateString() === yesterday.toDateString()) return 'Yesterday';
  return d.toLocaleDateString(undefined, { weekday: 'long', month: 'long', day: 'numeric' });
}

export function span(ms) {
  const s = Math.round(ms / 1000);
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
  return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
}

/** "last seen just now", "last seen at 14:03", "last seen yesterday at 09:12", or "offline" when unknown. */
export function lastSeen(ts, now = Date.now()) {
  if (!ts) return 'offline';
  if (now - ts < 60000) return 'last seen just now';
  const label = dayLabel(ts);
  return 'last seen ' + (label === 'Today' ? '' : label === 'Yesterday' ? 'yesterday ' : 'on ' + label + ' ') + 'at ' + hm(ts);
}

/** Why a message was not sent, for the line under it (the server's own words only as a last resort). */
export function notSent(e, where) {
  switch (e.code) {
    case 'forbidden': return `you are not allowed to post ${where}.`;
    case 'too_large': return 'the message is too long.';
    case 'closed': return 'the connection was closed.';
    case 'unavailable': case 'internal': case 'outcome_unknown':
      return 'the server did not confirm it (it may have arrived: Retry does not send it twice).';
    default: return (e.message || e.code || 'error') + '.';
  }
}

/** Messages the server no longer keeps, missed while away. */
export function missed(count, ofWhat = '') {
  return `${plural(count, ofWhat + 'message')} sent while you were away ${count === 1 ? 'is' : 'are'} no longer kept by the server and ${count === 1 ? 'was' : 'were'} missed.`;
}

/** The conversation's history is gone from the server (it lost its data, or the room was idle for a long time). */
export const historyLost = 'The server lost the history of this conversation: messages sent while you were away may be missing.';

export function emptyConversation(kind, name) {
  if (kind === 'dm') return `Say hi to ${name}. Only ${name} sees direct messages, even ones sent while they are offline.`;
  if (kind === 'all') return 'Messages here go to everyone using this server.';
  return `Everyone in #${name} sees what you write here, also those who are offline now: `
    + 'they get it when they come back. Open this page in another window under another name and say hi.';
}
