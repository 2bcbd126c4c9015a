// Compiled by types.test.mjs with tsc --strict: the declarations describe the API as documented.
import {
  connect, SwitchboardClient, SwitchboardError, memoryStorage, localStorageAdapter, backoffDelay, closeAction,
  isValidId, newId, VERSION, DEFAULTS, RECONNECT_CLOSE_CODES, FINAL_CLOSE_CODES,
  type ClientOptions, type Message, type ResumedEvent, type SendResult, type PositionStorage, type StreamPosition,
} from '@switchboard/client';

const options: ClientOptions = {
  getToken: async () => 'jwt',
  device: 'phone-1',
  storage: localStorageAdapter(null),
  backoffBaseMs: DEFAULTS.backoffBaseMs,
  random: Math.random,
  clock: { now: () => 0 },
};
const c: SwitchboardClient = connect('wss://example.com/ws', options);
c.on('message', (m: Message) => {
  const seq: number | undefined = m.seq;
  if (m.replayed) console.log(seq, m.body);
});
const off = c.on('resumed', (r: ResumedEvent) => console.log(r.offlineFrom, r.count, r.gaps.map(g => g.to - g.from + 1)));
off();
c.on('state', s => console.log(s.state, s.retryAt, s.code));
c.on('gap', g => console.log(g.stream, g.from, g.to));
c.on('reset', r => console.log(r.stream, r.epoch, r.last === null ? 'cursor' : r.last + 1));
const kept: Record<string, StreamPosition> = c.positions;
connect('wss://example.com/ws', { token: 'jwt', positions: { ...kept, 'room:old': 12 } });
// @ts-expect-error: a seq is a number
connect('wss://example.com/ws', { token: 'jwt', positions: { 'room:x': { seq: '1' } } });
c.on('joined', j => console.log(j.room, j.elsewhere, j.online.length, j.restored === true));
c.on('welcome', w => w.rejoining.forEach((room: string) => console.log('joining again', room, w.first)));
c.on('error', (e: SwitchboardError) => console.log(e.code, e.message));
async function use(): Promise<void> {
  const r: SendResult = await c.send('room:lobby', { text: 'hi', n: [1, null] }, { id: newId() });
  await c.send('room:lobby', { typing: true }, { transient: true });
  const j = await c.join('lobby');
  console.log(r.seq, j.head, j.epoch, await c.ping(), c.positions['room:lobby']?.seq, c.pending, c.state, VERSION);
  try {
    await c.send('user:bob', 'x');
  } catch (e) {
    if (e instanceof SwitchboardError && e.maybeStored) await c.send('user:bob', 'x', { id: e.id });
  }
  await c.leave('lobby');
  c.reconnect();
  c.close();
}
void use;
const s: PositionStorage = memoryStorage();
void s.set('k', 'v');
console.log(backoffDelay(3, { baseMs: 1000, capMs: 30000 }, () => 0.5), closeAction(4401) === 'token',
  isValidId('x'), RECONNECT_CLOSE_CODES.includes(1006), FINAL_CLOSE_CODES.length);
// @ts-expect-error: an unknown event
c.on('nope', () => {});
// @ts-expect-error: body is JSON only
void c.send('all', () => 1);
