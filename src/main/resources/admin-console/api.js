// The console's only way to the node: the documented HTTP API (/api/v1), with the admin key as
// "Authorization: Bearer" on every request. The key lives in sessionStorage: this tab only, gone when
// it closes; no cookie is ever set, so no other site's request can carry it (nothing for CSRF to ride on).

const KEY = 'switchboard.admin.key';

export const key = {
  get: () => sessionStorage.getItem(KEY),
  set: k => sessionStorage.setItem(KEY, k),
  clear: () => sessionStorage.removeItem(KEY),
};

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

const headers = () => ({ authorization: 'Bearer ' + key.get() });

/** Calls /api/v1 + path; answers the parsed JSON, throws ApiError with the API's message otherwise. */
export async function call(method, path, body) {
  const init = { method, headers: headers() };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch('/api/v1' + path, init);
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { /* not JSON: reported below */ }
  if (!res.ok) throw new ApiError(res.status, (json && json.message) || `HTTP ${res.status}`);
  return json;
}

/** A path segment, escaped. */
export const seg = s => encodeURIComponent(s);

/**
 * The live view: GET /api/v1/admin/stream, server-sent events read with fetch() (EventSource cannot
 * send the Authorization header). Calls onNodes with each update and onState with 'live',
 * 'reconnecting' or 'unauthorized' (then it stops). Reconnects after a broken stream. Returns stop().
 */
export function liveNodes(onNodes, onState) {
  const abort = new AbortController();
  let stopped = false;
  const run = async () => {
    while (!stopped) {
      try {
        const res = await fetch('/api/v1/admin/stream', { headers: headers(), signal: abort.signal });
        if (res.status === 401 || res.status === 403) {
          const body = await res.json().catch(() => ({}));
          onState('unauthorized', body.message || `HTTP ${res.status}`);
          return;
        }
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        onState('live');
        await readEvents(res.body, data => onNodes(JSON.parse(data)));
      } catch (e) {
        if (stopped) return;
      }
      onState('reconnecting');
      await new Promise(r => setTimeout(r, 2000));
    }
  };
  run();
  return () => {
    stopped = true;
    abort.abort();
  };
}

/** Calls onData with the data of each event of a text/event-stream body, until it ends. */
async function readEvents(body, onData) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = event.split('\n').filter(l => l.startsWith('data:')).map(l => l.slice(5).trimStart()).join('\n');
      if (data) onData(data);
    }
  }
}
