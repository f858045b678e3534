// A typed application of the client's public API: `npm run typecheck` fails if rowcast.d.ts breaks it.
// Imported by package name, so the package.json `exports` and `types` are checked too.
import {
  backoffDelay,
  connect,
  eventsOf,
  LiveCollection,
  RowcastClient,
  seqRange,
  streamKey,
  type BroadcastMessage,
  type ChangeEvent,
  type ChangeFrame,
  type ConnectFailed,
  type ConnectOptions,
  type ErrorFrame,
  type Handlers,
  type Member,
  type Presence,
  type ProposalError,
  type Position,
  type Row,
  type Scope,
  type SnapshotFrame,
  type StateChange,
  type Subscription,
  type SubscribedFrame,
} from '@rowcast/client';

interface Message extends Row {
  id: number;
  author: string;
  body: string;
  created_at: string;
}

const options: ConnectOptions = {
  url: 'wss://example.com/ws',
  token: async () => 'a-token',
  tokenTransport: 'query',
  requestTimeoutMs: 5000,
  maxQueued: 50,
  reconnect: { initialDelayMs: 250, maxDelayMs: 10000, factor: 2, jitter: 0.5, stableMs: 5000 },
  timers: { setTimeout: (callback, ms) => setTimeout(callback, ms), clearTimeout: (handle) => clearTimeout(handle as number) },
};

const client: RowcastClient = connect(options);
const other = new RowcastClient({ url: 'ws://localhost:8080/ws', token: () => 'sync-token', tokenTransport: 'none' });

const stopState: () => void = client.on('state', (change: StateChange) => {
  const code: number | null = change.code;
  const reason: string | null = change.reason;
  if (change.state === 'reconnecting') console.log(code, reason);
});
// an error frame that belongs to no request, or connect_failed when an attempt could not start
client.on('error', (frame: ErrorFrame | ConnectFailed) => console.warn(frame.code, frame.message));
stopState();

const state: 'connecting' | 'open' | 'reconnecting' | 'closed' = client.state;
const closeCode: number | null = client.closeCode;
const closeReason: string | null = client.closeReason;
console.log(state, closeCode, closeReason);

// A live collection of one conversation's messages, oldest first (docs/client.md).
const messages = new LiveCollection<Message>({ compare: (a, b) => a.created_at.localeCompare(b.created_at) });
const stopRows: () => void = messages.onChange((rows: Message[]) => {
  for (const row of rows) console.log(row.author + ': ' + row.body);
});
const scope: Scope = { col: 'conversation_id', value: 42 };
const subscription: Subscription = client.subscribe('message', scope, {
  ...messages.handlers,
  error: (frame: ErrorFrame) => console.warn(frame.code, frame.message),
});
const size: number = messages.size;
const first: Message | undefined = messages.rows()[0];
messages.reset([{ id: 1, author: 'alice', body: 'hi', created_at: '2025-01-01T00:00:00Z' }]);
messages.apply({ type: 'afterDelete', table: 'message', primaryKey: { id: 1 } });
console.log(size, first);
stopRows();

const byId = new LiveCollection({ key: 'id' });
const untyped: Row[] = byId.rows();
console.log(untyped);

// Handlers written by hand, every one of them.
const handlers: Handlers = {
  subscribed: (frame: SubscribedFrame) => console.log(frame.channel, frame.scope.value, frame.position?.seq),
  snapshot: (rows: Row[], frame: SnapshotFrame) => console.log(rows.length, frame.position.epoch),
  change: (event: ChangeEvent, frame: ChangeFrame) => console.log(event.type, event.row, frame.replayed),
  enter: (event, frame) => console.log(event.changed, event.previous, frame.count),
  leave: (event) => console.log(event.primaryKey),
  error: (frame) => {
    // the client resubscribes a lost subscription by itself; the application may show it is catching up
    if (frame.code === 'subscription_lost') console.log('resubscribing', frame.id, frame.channel, frame.scope?.value);
    else console.log(frame.code);
  },
};
const titles = other.subscribe('conversation', { col: 'owner', value: 'alice' }, handlers);
const plain = other.subscribe('message', { col: 'pinned', value: true });

const channel: string = subscription.channel;
const active: boolean = subscription.active;
const position: Position | null = subscription.position;
console.log(channel, active, position, titles.scope.col);
plain.unsubscribe();

const roundTrip: Promise<number> = client.ping();
void roundTrip.then((ms) => console.log(ms.toFixed(1)));

// The pure helpers.
const frame: ChangeFrame = {
  type: 'change', channel: 'message', scope, position: { epoch: 'e1', seq: 10 }, count: 3,
  events: [{ type: 'afterInsert' }, { type: 'afterUpdate', changed: ['body'] }, { type: 'hidden' }],
};
const range: { epoch: string; first: number; last: number } | null = seqRange(frame);
const events: ChangeEvent[] = eventsOf(frame);
const delay: number = backoffDelay(3, { initialDelayMs: 100 }, Math.random);
const key: string = streamKey('message', scope);
console.log(range, events, delay, backoffDelay(0), key);

// Talking back: proposals, presence, broadcasts, optimistic rows.
interface Created { id: number }
const created: Promise<Created> = client.propose<Created>('message.create', { conversationId: 42, body: 'hi' });
void created.catch((e: ProposalError) => console.log(e.code, e.frame?.violations?.[0]?.path, e.frame?.reason));
const who: Presence = client.presence('message', scope);
const members: Member[] = who.members;
const stopWho: () => void = who.onChange((list) => console.log(list.map((m) => m.user + (m.fields?.initial ?? ''))));
stopWho();
who.leave();
client.broadcast('message', scope, 'typing', { typing: true });
subscription.broadcast('cursor', { x: 1, y: 2 });
const stopHearing = client.onBroadcast('message', scope, (message: BroadcastMessage) =>
  console.log(message.from.user, message.event, message.data));
stopHearing();
console.log(subscription.presence().members.length, members.length);
void messages.optimistic({ body: 'sending' }, created);
connect({ url: 'ws://x', broadcastThrottleMs: 100, window: null });
connect({ url: 'ws://x', coalesce: false });

client.close();
other.close();

// What the declarations must refuse.
// @ts-expect-error the url is required
connect({});
// @ts-expect-error only 'state' and 'error' can be listened to
client.on('message', () => {});
// @ts-expect-error a scope value is a string, number or boolean
client.subscribe('message', { col: 'conversation_id', value: { id: 42 } });
// @ts-expect-error unknown event type
messages.apply({ type: 'afterMerge' });
// @ts-expect-error the token transport is 'query' or 'none'
connect({ url: 'ws://x', tokenTransport: 'header' });
// @ts-expect-error a broadcast needs an event name
client.broadcast('message', scope);
// @ts-expect-error presence members are read-only
who.members = [];
// @ts-expect-error state is read-only
client.state = 'open';
