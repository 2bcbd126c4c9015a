// Type declarations of @switchboard/client (src/switchboard.js). Protocol: docs/protocol.md.

/** The package version, also sent in `hello.client` as `switchboard-js/<VERSION>`. */
export const VERSION: string;

/** Close codes after which the client reconnects with backoff: 1001, 1005, 1006, 1011, 1012, 1013, 4408, 4429. */
export const RECONNECT_CLOSE_CODES: readonly number[];
/** Close codes after which it never reconnects: 1000, 1002, 1003, 1007, 1009, 4400, 4403. */
export const FINAL_CLOSE_CODES: readonly number[];
/** 4401: reconnect only with a fresh token from `getToken()`. */
export const UNAUTHORIZED: 4401;
/** 1012: reconnect after the server's `reconnect.after` hint. */
export const SERVICE_RESTART: 1012;

/** The defaults of every numeric option. */
export const DEFAULTS: Readonly<{
  backoffBaseMs: 1000;
  backoffCapMs: 10000;
  stableAfterMs: 10000;
  connectTimeoutMs: 15000;
  ackIntervalMs: 1000;
  persistIntervalMs: 1000;
  maxQueue: 1000;
  sendRetries: 5;
  retryBaseMs: 500;
  retryCapMs: 8000;
  requestTimeoutMs: 10000;
  idempotencyWindowMs: 600000;
  maxFrameBytes: 65536;
  maxFramesPerSecond: 80;
  maxFramesBurst: 160;
  maxAuthFailures: 3;
  tokenRefreshMarginMs: 60000;
}>;

/** Anything JSON can carry: what a message body may be. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Where a stream's delivery stands: the last seq received, in `epoch`, the history of the stream it
 * counts in (`""` before the stream had any). `epoch` is absent while unknown: a position stored by a
 * version of the client before epochs, or given as a bare seq, until the node places it.
 */
export interface StreamPosition {
  seq: number;
  epoch?: string;
}

/** Where resume positions are kept between client objects (page reloads, process restarts). */
export interface PositionStorage {
  /** The value stored under `key`, or null/undefined when there is none. May be async. */
  get(key: string): string | null | undefined | Promise<string | null | undefined>;
  /** Stores `value` (a JSON string) under `key`. May be async; failures are reported as `error` events. */
  set(key: string, value: string): void | Promise<void>;
}

/** Time and timers; inject a fake one to test backoff deterministically. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

/** The subset of the WebSocket API the client uses (browsers' WebSocket and the `ws` package both fit). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export interface ClientOptions {
  /** A token (JWT) used for every connection. Give this or `getToken`. */
  token?: string;
  /**
   * Returns a token. Called before the first connection, after a 4401 (the token was refused or
   * expired), and when the JWT it returned last expires within `tokenRefreshMarginMs`.
   */
  getToken?: () => string | Promise<string>;
  /** A stable id of this installation (1-64 chars): the node keeps an ack cursor per device. Default: none. */
  device?: string;
  /** Free text naming the application in the node's logs (max 64 chars). Default `switchboard-js/<VERSION>`. */
  client?: string;
  /** Where positions are persisted. Default: `memoryStorage()` (lost with the client object). */
  storage?: PositionStorage;
  /** The key positions are stored under. Default `switchboard:<user from the JWT's sub>:<device or _>`. */
  storageKey?: string;
  /**
   * Positions to resume from, as `client.positions` gives them (`{ stream: { seq, epoch } }`), e.g.
   * kept by the application with its data; they replace what `storage` holds. A bare seq
   * (`{ stream: lastSeq }`, the form before epochs) still works, but cannot detect a stream that
   * started over and already passed it.
   */
  positions?: Record<string, number | StreamPosition>;
  /** First reconnect delay ceiling in ms: attempt n waits random(0, min(backoffCapMs, backoffBaseMs * 2^n)). Default 1000. */
  backoffBaseMs?: number;
  /** Largest reconnect delay ceiling in ms. Default 10000. In a browser, the `online` event and the page becoming visible start an attempt at once. */
  backoffCapMs?: number;
  /** A connection that stayed up this long (ms) resets the attempt count. Default 10000. */
  stableAfterMs?: number;
  /** From opening the socket to `welcome`, at most this long (ms), else the attempt is dropped. Default 15000. */
  connectTimeoutMs?: number;
  /** Close codes that reconnect with backoff. Default `RECONNECT_CLOSE_CODES`; 4401 and the final codes cannot be added. */
  reconnectCloseCodes?: number[];
  /** Acks are sent at most once per this many ms per stream. Default 1000. */
  ackIntervalMs?: number;
  /** Positions are written to `storage` at most once per this many ms (and at every disconnect, close and pagehide). Default 1000. */
  persistIntervalMs?: number;
  /** Requests (sends, joins, leaves) waiting for an answer, at most; more are rejected with `queue_full`. Default 1000. */
  maxQueue?: number;
  /** Retries of a request answered `unavailable`, with the same id. Default 5. */
  sendRetries?: number;
  /** Delay ceiling before the first `unavailable` retry (ms), doubling, full jitter. Default 500. */
  retryBaseMs?: number;
  /** Largest delay ceiling of `unavailable` retries (ms). Default 8000. */
  retryCapMs?: number;
  /** A request unanswered this long (ms) on a live connection is sent again (same id). Default 10000. */
  requestTimeoutMs?: number;
  /** The node's `idempotency.windowSeconds` in ms: a send first transmitted longer ago is not retried (rejected with `outcome_unknown`). Default 600000. */
  idempotencyWindowMs?: number;
  /** Largest frame the node accepts (`limits.maxMessageBytes`); larger sends are rejected with `too_large` instead of getting the connection closed with 1009. Default 65536. */
  maxFrameBytes?: number;
  /** The client's own rate budget, below the node's `limits.messagesPerSecond` (100). Default 80. */
  maxFramesPerSecond?: number;
  /** The client's own burst budget, below the node's `limits.messagesBurst` (200). Default 160. */
  maxFramesBurst?: number;
  /** Consecutive 4401 closes (without a welcome in between) after which the client stops. Default 3. */
  maxAuthFailures?: number;
  /** A JWT whose `exp` is this close (ms) is replaced through `getToken()` before connecting. Default 60000. */
  tokenRefreshMarginMs?: number;
  /** A WebSocket constructor. Default: `globalThis.WebSocket`, else the `ws` package. */
  WebSocket?: new (url: string) => WebSocketLike;
  /** Random numbers in [0, 1) for the jitter. Default `Math.random`. */
  random?: () => number;
  /** Time and timers. Default: `Date.now`, `setTimeout`, `clearTimeout`. */
  clock?: Partial<Clock>;
}

export type ConnectionState = 'idle' | 'connecting' | 'online' | 'offline' | 'closed';

export interface StateEvent {
  state: ConnectionState;
  /** The node of the current or last session. */
  node?: string;
  /** The close code that led here ('offline', 'closed'); 1006 also for a connection the client gave up on. */
  code?: number;
  /** Why, in words (the close reason, or what the client detected). */
  reason?: string;
  /** 'offline': when the next attempt starts (epoch ms), after `delay` ms. */
  retryAt?: number;
  delay?: number;
  /** 'offline': the attempt number the delay was drawn for (0 = first retry); 'connecting': the attempt now. */
  attempt?: number;
  /** 'closed' by `close()`. */
  byClient?: boolean;
}

export interface StreamInfo {
  head: number;
  /** The stream's current history (`""`: none yet). */
  epoch: string;
  online?: string[];
  onlineCount?: number;
}

export interface WelcomeEvent {
  type: 'welcome';
  user: string;
  session: string;
  node: string;
  heartbeat: number;
  streams: Record<string, StreamInfo>;
  /** True on this client object's first welcome. */
  first: boolean;
  /**
   * Rooms followed before (the last session, or the stored positions) that this session does not
   * follow, and that the client is joining again, ahead of the sends queued for them (a node that
   * lost its store forgot the membership). A `joined` event with `restored: true` follows each.
   */
  rejoining: string[];
}

export interface Message {
  type: 'message';
  stream: string;
  /** Absent for transient messages. */
  seq?: number;
  /** The history `seq` counts in: after a `reset`, seqs start over at 1 in a new epoch. Absent for transient messages, and while unknown. */
  epoch?: string;
  id: string;
  from: string;
  body: JsonValue;
  /** Stored at (epoch ms). */
  ts?: number;
  /** A live-only message: no seq, never replayed. */
  transient?: true;
  /** Delivered while catching up after (re)connecting. */
  replayed?: true;
}

/** Seqs `from`..`to` of `stream` are gone from the log and will never be delivered. */
export interface GapEvent {
  stream: string;
  from: number;
  to: number;
}

/** Once per (re)connection, when every stream has caught up. */
export interface ResumedEvent {
  /** Since when the client was disconnected (epoch ms), or null on a first connection. */
  offlineFrom: number | null;
  /** When the connection came back (the welcome). */
  offlineTo: number;
  /** Messages delivered while catching up, all streams. */
  count: number;
  /** Per stream: the replayed range (`from` > `to` when nothing was missed) and how many messages. */
  streams: Record<string, { from: number; to: number; count: number }>;
  gaps: GapEvent[];
  /** The `reset` events of the catch-up. */
  resets: ResetEvent[];
}

export interface PresenceEvent {
  room: string;
  user: string;
  state: 'online' | 'offline';
}

export interface JoinedEvent {
  room: string;
  head: number;
  /** The room stream's history `head` counts in (`""`: none yet). */
  epoch: string;
  online: string[];
  onlineCount: number;
  /** Made by another session of this user (a tab, a device), not by this client. */
  elsewhere: boolean;
  /** A join the client made itself, to restore a membership its queued sends need (see `WelcomeEvent.rejoining`). */
  restored?: true;
}

export interface LeftEvent {
  room: string;
  elsewhere: boolean;
}

/**
 * `stream` started over (its store lost its history, or it was idle past its retention): the messages
 * after the position held that were not received are gone, and delivery goes on with seq 1 of
 * `epoch` (after a `gap` if the log no longer holds its start). Not emitted when the position was
 * seq 0 of a stream with no history (nothing can have been lost).
 */
export interface ResetEvent {
  stream: string;
  /** The new history. */
  epoch: string;
  /** The last seq received in the old history; null when the client held none (the node had started the stream from the device's cursor). */
  last: number | null;
}

export interface ClientEvents {
  state: StateEvent;
  welcome: WelcomeEvent;
  message: Message;
  gap: GapEvent;
  resumed: ResumedEvent;
  presence: PresenceEvent;
  joined: JoinedEvent;
  left: LeftEvent;
  reset: ResetEvent;
  /** Error frames that answer no request, token and storage failures. */
  error: SwitchboardError;
}

export interface SendOptions {
  /** Live only: no seq, not stored, never queued (fails with `offline` when not connected). */
  transient?: boolean;
  /** Client message id (1-128 of A-Z a-z 0-9 _ . : @ | + = -). Default: a random UUID. */
  id?: string;
}

export interface SendResult {
  stream: string;
  /** Absent for transient sends. */
  seq?: number;
  id: string;
}

export interface JoinResult {
  room: string;
  head: number;
  epoch: string;
  online: string[];
  onlineCount: number;
}

/** Protocol error codes (docs/protocol.md) and the client's own. */
export type ErrorCode =
  | 'bad_request' | 'forbidden' | 'not_found' | 'too_large' | 'rate_limited' | 'unavailable' | 'rejected' | 'internal'
  | 'closed' | 'offline' | 'queue_full' | 'outcome_unknown' | 'token' | 'storage' | 'no_websocket'
  | (string & {});

export class SwitchboardError extends Error {
  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>);
  readonly name: 'SwitchboardError';
  readonly code: ErrorCode;
  /** The request's ref, for error frames. */
  readonly ref?: string | number;
  /** The send's message id: retry with it to stay idempotent. */
  readonly id?: string;
  /** True when the send may have been stored although it was not confirmed (retry with `id` to find out). */
  readonly maybeStored: boolean;
  /** For `rejected`: the reason code the application's backend gave (publish proxy), when it gave one. */
  readonly reason?: string;
  /** For `closed`: the close code that ended the connection. */
  readonly closeCode?: number;
  readonly cause?: unknown;
}

export class SwitchboardClient {
  constructor(url: string, options: ClientOptions);
  /** Adds a handler; returns a function that removes it. */
  on<K extends keyof ClientEvents>(type: K, fn: (event: ClientEvents[K]) => void): () => void;
  off<K extends keyof ClientEvents>(type: K, fn: (event: ClientEvents[K]) => void): void;
  /** Sends to `user:<id>`, `room:<id>` or `all`; resolves once stored (`sent`), exactly once. */
  send(to: string, body: JsonValue, options?: SendOptions): Promise<SendResult>;
  join(room: string): Promise<JoinResult>;
  leave(room: string): Promise<{ room: string }>;
  /** Round trip time in ms. */
  ping(): Promise<number>;
  /** Drops the current connection, if any, and connects now with a fresh backoff; revives a client the server closed. */
  reconnect(): void;
  /** Closes for good (1000): flushes acks and positions, rejects unanswered requests with `closed`. */
  close(): void;
  readonly state: ConnectionState;
  readonly user: string | null;
  readonly node: string | null;
  readonly session: string | null;
  readonly streams: string[];
  readonly rooms: string[];
  /** A copy of the position held per stream: what the next hello resumes from, and what `options.positions` takes. */
  readonly positions: Record<string, StreamPosition>;
  /** Requests not answered yet. */
  readonly pending: number;
}

/** Creates a client and starts connecting (after the current task, so handlers can be added first). */
export function connect(url: string, options: ClientOptions): SwitchboardClient;

/** Full-jitter delay: a random whole number of ms in [0, min(capMs, baseMs * 2^attempt)). */
export function backoffDelay(attempt: number, options?: { baseMs?: number; capMs?: number }, random?: () => number): number;

/** What the client does after a close code. */
export function closeAction(code: number, retryCodes?: readonly number[]): 'retry' | 'hint' | 'token' | 'never';

/** In-memory positions (the default storage). */
export function memoryStorage(): PositionStorage;

/** Positions in `localStorage` (or the Web Storage given), so that a reloaded page resumes. */
export function localStorageAdapter(storage?: { getItem(key: string): string | null; setItem(key: string, value: string): void } | null): PositionStorage;

/** True for a valid stream, user, room or message id. */
export function isValidId(id: unknown): id is string;

/** A random message id. */
export function newId(): string;
