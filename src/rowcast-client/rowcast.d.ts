// Types for rowcast.js, the Rowcast browser client (protocol v1, docs/protocol.md).

/** A column-keyed row, as on the wire. */
export type Row = Record<string, unknown>;

/** A place in a stream: seq counts the stream's changes within an epoch, with no holes. */
export interface Position {
  epoch: string;
  seq: number;
}

/** The rows a subscription follows: one value of one scope column of a channel. */
export interface Scope {
  col: string;
  value: string | number | boolean;
}

export type EventType = 'afterInsert' | 'afterUpdate' | 'afterDelete' | 'enter' | 'leave' | 'hidden';

/** One change of one row. `hidden` events carry nothing but their type. */
export interface ChangeEvent {
  type: EventType;
  table?: string;
  primaryKey?: Record<string, unknown>;
  row?: Row;
  /** afterUpdate, enter and leave: the columns that changed. */
  changed?: string[];
  /** afterUpdate, enter and leave: each changed column's previous value. */
  previous?: Row;
}

export interface SubscribedFrame {
  type: 'subscribed';
  id?: string | number;
  channel: string;
  scope: Scope;
  position?: Position;
}

export interface SnapshotFrame {
  type: 'snapshot';
  channel: string;
  scope: Scope;
  position: Position;
  rows: Row[];
}

/** A change frame: one `event`, or a batch of `count` `events` ending at `position`. */
export interface ChangeFrame {
  type: 'change';
  channel: string;
  scope: Scope;
  position?: Position;
  replayed?: boolean;
  event?: ChangeEvent;
  events?: ChangeEvent[];
  count?: number;
}

export interface ErrorFrame {
  type: 'error';
  id?: string | number;
  code: 'invalid_json' | 'invalid_message' | 'unknown_message_type' | 'unknown_channel' | 'invalid_scope'
    | 'forbidden' | 'too_many_subscriptions' | 'rate_limited' | 'replay_unavailable' | 'snapshot_unavailable'
    | 'revoked' | 'subscription_lost' | 'not_subscribed' | 'too_large' | 'full' | 'unknown_proposal' | 'invalid_proposal'
    | 'proposal_refused' | 'proposal_conflict' | 'proposal_failed' | 'overloaded' | string;
  message: string;
  /** An unsolicited `replay_unavailable` (no `id`): the server lost changes of this stream, which starts again at
   * `position`; a snapshot follows when the channel has one. Also on `subscription_lost` (with the `id` of the
   * subscribe): the server could not keep the subscription; the client subscribes again by itself, with backoff. */
  channel?: string;
  scope?: Scope;
  position?: Position;
  /** proposal_refused: the application's short reason, e.g. 'not_member'. */
  reason?: string;
  /** invalid_proposal: each problem, `path` naming the field ('' for the whole payload). */
  violations?: { path: string; message: string }[];
}

/** One user present on a stream: the principal's name and the fields the application adds. */
export interface Member {
  user: string;
  fields?: Record<string, string | number | boolean | null>;
}

/** Another subscriber's ephemeral message; `from.user` is set by the server (null for anonymous callers). */
export interface BroadcastMessage<D = unknown> {
  event: string;
  data: D;
  from: { user: string | null };
}

export interface BroadcastFrame {
  type: 'broadcast';
  channel: string;
  scope: Scope;
  event: string;
  data: unknown;
  from: { user: string | null };
}

/** Who is present on a stream, kept current; joined again after every reconnect. */
export declare class Presence {
  readonly members: Member[];
  /** Called with the members after every change; returns a function that stops listening. */
  onChange(listener: (members: Member[]) => void): () => void;
  /** Leaves the presence; the subscription goes on. */
  leave(): void;
}

/** The rejection of propose(): the server's error code, or 'connection_lost' when the outcome is unknown. */
export interface ProposalError extends Error {
  code: string;
  frame?: ErrorFrame;
}

export interface Handlers {
  subscribed?(frame: SubscribedFrame): void;
  snapshot?(rows: Row[], frame: SnapshotFrame): void;
  /** afterInsert, afterUpdate and afterDelete, from single and batched frames alike. */
  change?(event: ChangeEvent, frame: ChangeFrame): void;
  /** The row moved into this scope: add it. */
  enter?(event: ChangeEvent, frame: ChangeFrame): void;
  /** The row moved out of this scope: drop it. */
  leave?(event: ChangeEvent, frame: ChangeFrame): void;
  error?(frame: ErrorFrame): void;
  /** Another subscriber's broadcast on this stream. */
  broadcast?(message: BroadcastMessage, frame: BroadcastFrame): void;
}

export interface Subscription {
  readonly channel: string;
  readonly scope: Scope;
  /** False once unsubscribed, refused (forbidden, unknown_channel, invalid_scope) or revoked. Stays true after
   * `subscription_lost`: the client subscribes again by itself. */
  readonly active: boolean;
  /** The last position applied; sent as `from` when the client resubscribes after a reconnect. */
  readonly position: Position | null;
  unsubscribe(): void;
  /** Joins the stream's presence (once subscribed, and again after reconnects); the same handle each time. */
  presence(): Presence;
  /** Sends an ephemeral message to the others on this stream; throttled, never queued. */
  broadcast(event: string, data?: unknown): void;
  onBroadcast(listener: (message: BroadcastMessage, frame: BroadcastFrame) => void): () => void;
}

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface StateChange {
  state: ConnectionState;
  /** The close code of the last drop (e.g. 1006, 4401 token expired, 4499 fell behind); null while open. */
  code: number | null;
  reason: string | null;
}

export interface ReconnectOptions {
  /** Default 500. */
  initialDelayMs?: number;
  /** Default 15000. */
  maxDelayMs?: number;
  /** Default 2. */
  factor?: number;
  /** 0 to 1: the share of each delay that is random. Default 0.5. */
  jitter?: number;
  /** A connection open this long starts the backoff over. Default 10000. */
  stableMs?: number;
}

/** Timers the client uses; replace them in tests to fire them by hand. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Emitted on 'error' when an attempt could not even start, e.g. the token provider failed. */
export interface ConnectFailed {
  code: 'connect_failed';
  message: string;
}

export interface ConnectOptions {
  /** The endpoint, e.g. wss://example.com/ws. */
  url: string;
  /** Called before every (re)connect, so an expired token (close 4401) is replaced. */
  token?: () => string | Promise<string>;
  /** 'query' sends the token as ?access_token=; 'none' relies on a cookie. Default 'query'. */
  tokenTransport?: 'query' | 'none';
  /** Timeout of requests such as ping, counted from the call, queued or not. Default 10000. */
  requestTimeoutMs?: number;
  /** Messages kept while disconnected. Default 100. */
  maxQueued?: number;
  reconnect?: ReconnectOptions;
  /** A WebSocket implementation, for tests or Node. Default globalThis.WebSocket. */
  WebSocket?: unknown;
  /** Default: the global setTimeout and clearTimeout. */
  timers?: Timers;
  /**
   * Ask for the rowcast.v2 sub-protocol, under which the server sends frames that queued up for this client as one
   * message: cheaper for both ends under load, the same frames in the same order. Default true.
   */
  coalesce?: boolean;
  /** Broadcast throttle per stream and event, leading and trailing edge. Default 50. */
  broadcastThrottleMs?: number;
  /**
   * Where to hear the browser's 'online' event, which skips the rest of the backoff. Default globalThis; null for
   * none.
   */
  window?: { addEventListener(type: 'online', listener: () => void): void;
    removeEventListener(type: 'online', listener: () => void): void } | null;
}

export declare class RowcastClient {
  /** Starts connecting at once; connect(options) does the same. */
  constructor(options: ConnectOptions);
  readonly state: ConnectionState;
  readonly closeCode: number | null;
  readonly closeReason: string | null;
  on(event: 'state', listener: (change: StateChange) => void): () => void;
  on(event: 'error', listener: (frame: ErrorFrame | ConnectFailed) => void): () => void;
  subscribe(channel: string, scope: Scope, handlers?: Handlers): Subscription;
  /** Resolves with the round trip in milliseconds. */
  ping(): Promise<number>;
  /**
   * Runs the application's @Proposal handler `name`. Resolves with its value after the changes it caused arrived;
   * rejects with a ProposalError. Queued while offline, within requestTimeoutMs.
   */
  propose<T = unknown>(name: string, payload?: unknown): Promise<T>;
  /** Who is present on a stream this client subscribed to (throws otherwise). */
  presence(channel: string, scope: Scope): Presence;
  /** An ephemeral message to the others on a stream this client subscribed to (throws otherwise). */
  broadcast(channel: string, scope: Scope, event: string, data?: unknown): void;
  onBroadcast(channel: string, scope: Scope,
    listener: (message: BroadcastMessage, frame: BroadcastFrame) => void): () => void;
  close(): void;
}

export declare function connect(options: ConnectOptions): RowcastClient;

/** The delay before reconnect attempt `attempt` (0-based): exponential, capped, jittered. */
export declare function backoffDelay(attempt: number, options?: ReconnectOptions, random?: () => number): number;

export declare function seqRange(frame: ChangeFrame): { epoch: string; first: number; last: number } | null;

export declare function eventsOf(frame: ChangeFrame): ChangeEvent[];

export declare function streamKey(channel: string, scope: Scope): string;

/** A keyed, ordered collection of rows kept up to date from a subscription: what a UI binds to. */
export declare class LiveCollection<R extends Row = Row> {
  constructor(options?: { key?: string; compare?: (a: R, b: R) => number });
  /** Pass to subscribe(): snapshot, change, enter and leave keep the collection current. */
  readonly handlers: Handlers;
  readonly size: number;
  rows(): R[];
  reset(rows: R[]): void;
  apply(event: ChangeEvent): void;
  /**
   * Shows `row` at once, with `pending: true` under a temporary key, until `promise` settles (either way): a
   * proposal's result comes after the change carrying the real row. Returns the promise.
   */
  optimistic<T>(row: Partial<R>, promise: Promise<T>): Promise<T>;
  /** Called with the rows after every change; returns a function that stops listening. */
  onChange(listener: (rows: R[]) => void): () => void;
}
