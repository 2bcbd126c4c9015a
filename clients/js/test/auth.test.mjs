// 4401 against a real node: the client asks getToken() for a fresh token and reconnects; with only
// a static token, or when getToken() gives back the token that was refused, it stops.
import test from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '../src/switchboard.js';
import { env, needsServer, uniq, tokenFor, sign, apiSend, waitFor, record, wsUrl, trackedClock } from './support/server.mjs';

const fast = { backoffBaseMs: 200, backoffCapMs: 2000 };

test('a refused token (4401 at hello): getToken() is called again and the fresh token connects',
  { skip: needsServer(), timeout: 60000 }, async t => {
    const user = uniq('hal');
    const given = [];
    const getToken = async () => {
      const token = given.length === 0 ? sign({ sub: user }, 'not-the-secret-of-the-node-0123456789') : tokenFor(user);
      given.push(token);
      return token;
    };
    const c = connect(wsUrl(env.url), { getToken, ...fast });
    const r = record(c, user);
    t.after(() => c.close());
    try {
      await waitFor(r.online, { what: 'online with the second token' });
      assert.equal(given.length, 2, 'getToken() called twice');
      const down = r.states.find(s => s.state === 'offline');
      assert.equal(down.code, 4401);
      assert.match(down.reason, /token|signature|invalid/i);
    } catch (e) {
      t.diagnostic(r.log.join('\n'));
      throw e;
    }
  });

test('a token that expires on a live connection: 4401, getToken(), resumed without loss',
  { skip: needsServer(), timeout: 60000 }, async t => {
    const user = uniq('ivy');
    let calls = 0;
    const getToken = () => {
      calls++;
      // the first token expires 3 s from now, the next ones in an hour
      return tokenFor(user, calls === 1 ? { exp: Math.floor(Date.now() / 1000) + 3 } : {});
    };
    const c = connect(wsUrl(env.url), { getToken, device: 'watch', ...fast });
    const r = record(c, user);
    t.after(() => c.close());
    try {
      await waitFor(r.online, { what: 'online' });
      await apiSend(env.url, 'user:' + user, { text: 'before expiry' });
      await waitFor(() => r.states.some(s => s.state === 'offline'), { what: 'closed at exp', timeout: 15000 });
      const down = r.states.find(s => s.state === 'offline');
      assert.equal(down.code, 4401);
      assert.match(down.reason, /expired/);
      await apiSend(env.url, 'user:' + user, { text: 'while reconnecting' });
      await waitFor(() => r.resumed.length === 2 && c.state === 'online', { what: 'back online' });
      assert.equal(calls, 2, 'one fresh token');
      await waitFor(() => r.messages.length === 2, { what: 'both messages' });
      assert.deepEqual(r.texts(), ['before expiry', 'while reconnecting']);
    } catch (e) {
      t.diagnostic(r.log.join('\n'));
      throw e;
    }
  });

test('4401 with a static token, or with getToken() returning the refused token again: no more reconnects',
  { skip: needsServer(), timeout: 60000 }, async t => {
    const clock = trackedClock();
    const bad = sign({ sub: uniq('joe') }, 'not-the-secret-of-the-node-0123456789');
    const c = connect(wsUrl(env.url), { token: bad, clock, ...fast });
    const r = record(c, 'static');
    let calls = 0;
    const clock2 = trackedClock();
    const d = connect(wsUrl(env.url), { getToken: () => { calls++; return bad; }, clock: clock2, ...fast });
    const r2 = record(d, 'same-token');
    t.after(() => { c.close(); d.close(); });
    try {
      await waitFor(() => c.state === 'closed' && d.state === 'closed', { what: 'both closed' });
      assert.equal(r.states.at(-1).code, 4401);
      assert.equal(r.states.filter(s => s.state === 'connecting').length, 1, 'one attempt only');
      assert.equal(clock.pending.size, 0, 'no timer left: nothing will reconnect');
      assert.equal(calls, 2, 'asked once more, got the same token, stopped');
      assert.equal(r2.states.filter(s => s.state === 'connecting').length, 2);
      assert.match(r2.states.at(-1).reason, /returned it again/);
      assert.equal(clock2.pending.size, 0);
      await assert.rejects(c.send('user:x', 1), e => e.code === 'closed');
    } catch (e) {
      t.diagnostic([...r.log, ...r2.log].join('\n'));
      throw e;
    }
  });
