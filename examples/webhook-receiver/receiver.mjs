// A Switchboard webhook receiver with nothing but Node.js 20's standard library: it checks each
// request's signature (docs/webhooks.md, "Verifying the signature"), skips events it has already
// handled (ids), and logs what a real backend would do: the push notification it would send for
// message.undelivered, and a line for every other event.
//
//   SWITCHBOARD_BACKEND_SECRETS=<secret>[,<old secret>] PORT=8787 node receiver.mjs
//
// Point the nodes at it: webhooks.url=http://<host>:8787/webhooks (SB_WEBHOOKS_URL), with the same
// secret in backend.secrets (SB_BACKEND_SECRETS).

import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

const secrets = (process.env.SWITCHBOARD_BACKEND_SECRETS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const port = Number(process.env.PORT ?? 8787);
const host = process.env.HOST ?? '127.0.0.1';
const toleranceSeconds = Number(process.env.TOLERANCE_SECONDS ?? 300);
const maxBodyBytes = 16 * 1024 * 1024;

if (secrets.length === 0) {
  console.error('set SWITCHBOARD_BACKEND_SECRETS to the secret(s) of the nodes\' backend.secrets');
  process.exit(78);
}

/**
 * True when the header `t=<unix s>,v1=<hex>[,v1=<hex>...]` signs this exact body with one of our
 * secrets, and t is within the tolerance of our clock (a replayed old request fails).
 */
function verify(header, rawBody, secretList, nowSeconds, tolerance = toleranceSeconds) {
  if (typeof header !== 'string') return false;
  let t = null;
  const signatures = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') t = Number(value);
    else if (key === 'v1') signatures.push(value);
  }
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > tolerance) return false;
  for (const secret of secretList) {
    const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest('hex'));
    for (const s of signatures) {
      const given = Buffer.from(s);
      if (given.length === expected.length && timingSafeEqual(given, expected)) return true;
    }
  }
  return false;
}

// Ids of the events handled lately: a batch sent again after a lost answer is skipped, not pushed twice.
// A real backend keeps them in its database, for longer than webhooks.retryForMs.
const seen = new Set();
function firstTime(id) {
  if (seen.has(id)) return false;
  seen.add(id);
  if (seen.size > 100_000) seen.delete(seen.values().next().value);
  return true;
}

function handle(event) {
  const d = event.data ?? {};
  switch (event.type) {
    case 'message.undelivered':
      // a real backend looks up the user's device tokens and calls FCM / APNs here
      console.log(`PUSH to ${d.user}: "${d.preview ?? 'New message'}" from ${d.from} (stream ${event.stream}, seq ${event.seq})`);
      break;
    case 'message.stored':
      console.log(`ARCHIVE ${event.stream} #${event.seq} from ${d.from}`);
      break;
    default:
      console.log(`EVENT ${event.type} ${JSON.stringify(d)}`);
  }
}

const server = createServer((req, res) => {
  if (req.method !== 'POST') {
    res.writeHead(405).end();
    return;
  }
  const chunks = [];
  let size = 0;
  req.on('data', (c) => {
    size += c.length;
    if (size > maxBodyBytes) req.destroy();
    else chunks.push(c);
  });
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    if (!verify(req.headers['switchboard-signature'], body, secrets, Math.floor(Date.now() / 1000))) {
      console.log('REJECTED a request with a bad or missing signature');
      res.writeHead(401).end();
      return;
    }
    let events;
    try {
      events = JSON.parse(body.toString('utf8')).events;
    } catch {
      res.writeHead(400).end();
      return;
    }
    for (const event of events) {
      if (firstTime(event.id)) handle(event);
    }
    // 2xx only once handled: anything else (or no answer) and the node sends the batch again
    res.writeHead(204).end();
  });
});

server.listen(port, host, () => {
  console.log(`webhook receiver listening on http://${host}:${server.address().port}/webhooks`);
});
