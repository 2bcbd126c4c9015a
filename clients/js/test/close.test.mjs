// Close codes after which the client must not reconnect, from a real node: 4403 (the HTTP API's
// disconnect), and 1000 (a normal close; the node itself never sends it in v1, so a TCP proxy in
// front of it closes the session normally between two frames, as a load balancer would).
import test from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '../src/switchboard.js';
import { env, needsServer, uniq, tokenFor, api, waitFor, record, TcpProxy, trackedClock } from './support/server.mjs';

for (const [code, how] of [[4403, 'the HTTP API disconnects the user'], [1000, 'the session is closed normally']]) {
  test(`${code} (${how}): the client stops, rejects what was queued, never reconnects`,
    { skip: needsServer(), timeout: 60000 }, async t => {
      const proxy = await new TcpProxy(env.url).start();
      const user = uniq('kim');
      const clock = trackedClock();
      // random() = 0: were it to reconnect, it would do so at once
      const c = connect(proxy.wsUrl, { getToken: () => tokenFor(user), clock, random: () => 0, backoffBaseMs: 200 });
      const r = record(c, user);
      t.after(async () => { c.close(); await proxy.close(); });
      try {
        await waitFor(r.online, { what: 'online' });
        if (code === 4403) {
          await api(env.url, 'POST', `/users/${user}/disconnect`, { reason: 'account suspended' });
        } else {
          await proxy.closeNormally(1000);
        }
        await waitFor(() => c.state === 'closed', { what: 'closed' });
        const last = r.states.at(-1);
        assert.equal(last.code, code);
        if (code === 4403) assert.equal(last.reason, 'account suspended');
        assert.equal(r.states.filter(s => s.state === 'offline').length, 0, 'never offline-and-retrying');
        assert.equal(clock.pending.size, 0, 'no timer left: nothing will reconnect');
        assert.equal(proxy.accepted, 1, 'one connection only');
        await assert.rejects(c.send('user:x', 1), e => e.code === 'closed');
      } catch (e) {
        t.diagnostic(r.log.join('\n'));
        throw e;
      }
    });
}
