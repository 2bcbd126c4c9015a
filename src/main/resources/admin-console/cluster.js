// The cluster view: a card per node, updated in place from the live feed, with sparklines of the
// last minutes. A node that stops appearing in the feed stays on screen as "not in the cluster".
import { h, $, bytes, duration, time, notify, confirmDialog } from './dom.js';
import { call, seg } from './api.js';
import { Spark } from './spark.js';

/** Points kept per series: the feed sends one a second, so the last 5 minutes. */
const HISTORY = 300;
const cards = new Map(); // node id -> card

export function updateNodes(update) {
  const seen = new Set();
  for (const node of update.nodes) {
    seen.add(node.id);
    if (!cards.has(node.id)) cards.set(node.id, card(node));
    cards.get(node.id).update(node, update.at);
  }
  for (const [id, c] of cards) if (!seen.has(id)) c.gone();
  const box = $('#nodes');
  const order = [...cards.values()].sort((a, b) => a.name.localeCompare(b.name));
  order.forEach(c => box.append(c.el)); // append moves an existing card: keeps them in name order
  summary(update.nodes);
}

function summary(nodes) {
  const sum = f => nodes.reduce((n, x) => n + (x[f] || 0), 0);
  $('#summary').textContent = `${nodes.length} node${nodes.length === 1 ? '' : 's'} · ${sum('connections')} connections · `
    + `${sum('messagesInPerSecond').toFixed(1)} msg/s in · ${sum('messagesOutPerSecond').toFixed(1)} msg/s out`;
}

function metric(label, spark) {
  const value = h('span', { class: 'metric-value' });
  return { value, el: h('div', { class: 'metric' }, h('span', { class: 'metric-label' }, label), value, spark ? spark.el : null) };
}

function card(first) {
  const series = { connections: [], in: [], out: [], heap: [] };
  const sparks = {
    connections: new Spark('connections, last 5 minutes'),
    in: new Spark('messages in per second, last 5 minutes'),
    out: new Spark('messages out per second, last 5 minutes'),
    heap: new Spark('heap used, last 5 minutes'),
  };
  const m = {
    connections: metric('Connections', sparks.connections),
    in: metric('Messages in/s', sparks.in),
    out: metric('Messages out/s', sparks.out),
    heap: metric('Heap', sparks.heap),
  };
  const state = h('span', { class: 'state' });
  const details = h('dl', { class: 'facts compact' });
  const drain = h('button', { type: 'button', class: 'danger small', onclick: () => drainNode(first) }, 'Drain…');
  const el = h('article', { class: 'card node', 'data-node': first.name },
    h('header', {}, h('h2', {}, first.name), state),
    h('div', { class: 'metrics' }, m.connections.el, m.in.el, m.out.el, m.heap.el),
    details,
    h('footer', {}, h('code', { class: 'muted small', title: 'node id' }, first.id), drain));
  let lastSeen = 0;
  const push = (s, v) => { s.push(v); if (s.length > HISTORY) s.shift(); };
  return {
    el,
    name: first.name,
    update(n, at) {
      lastSeen = at;
      el.dataset.state = n.state || (n.draining ? 'draining' : 'ready');
      state.textContent = el.dataset.state;
      push(series.connections, n.connections);
      push(series.in, n.messagesInPerSecond || 0);
      push(series.out, n.messagesOutPerSecond || 0);
      push(series.heap, n.heapUsed || 0);
      for (const k of Object.keys(sparks)) sparks[k].update(series[k], HISTORY);
      m.connections.value.textContent = n.connections;
      m.in.value.textContent = (n.messagesInPerSecond ?? 0).toFixed(1);
      m.out.value.textContent = (n.messagesOutPerSecond ?? 0).toFixed(1);
      m.heap.value.textContent = `${bytes(n.heapUsed)} / ${bytes(n.heapMax)}`;
      details.replaceChildren(...[
        ['Address', n.address], ['Version', n.version], ['Uptime', duration(at - n.startedAt)],
        ['Redis', n.redis], ['Hazelcast', n.members === null || n.members === undefined ? 'standalone' : `${n.members} members seen`],
        ['Open files', n.openFiles === undefined ? '—' : `${n.openFiles} / ${n.maxFiles}`],
      ].flatMap(([k, v]) => [h('dt', {}, k), h('dd', { 'data-fact': k.toLowerCase() }, v ?? '—')]));
      drain.disabled = n.draining;
    },
    gone() {
      el.dataset.state = 'not in the cluster';
      state.textContent = 'not in the cluster · last seen ' + time(lastSeen);
      drain.disabled = true;
    },
  };
}

async function drainNode(node) {
  const ok = await confirmDialog(`Drain ${node.name}? Its clients are moved to other nodes over the drain window, `
    + 'then the node leaves the cluster and exits.', `Drain ${node.name}`);
  if (!ok) return;
  try {
    const r = await call('POST', `/nodes/${seg(node.id)}/drain`);
    notify(`${node.name} drains: its clients move within ${r.drainMs} ms, then it stops.`);
  } catch (e) {
    notify(`Drain of ${node.name} failed: ${e.message}`, 'error');
  }
}
