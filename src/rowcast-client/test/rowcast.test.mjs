// Unit tests of the browser client's pure logic, with Node's built-in runner: node --test
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, seqRange, eventsOf, connect, LiveCollection } from '../rowcast.js';

/** A WebSocket stand-in that records what is sent and lets the test play the server. */
class FakeSocket {
  static all = [];
  constructor(url, protocols) { this.url = url; this.protocols = protocols; this.sent = []; FakeSocket.all.push(this); }
  send(text) { this.sent.push(JSON.parse(text)); }
  close(code, reason) { this.onclose({ code, reason }); }
  open() { this.onopen(); }
  receive(frame) { this.onmessage({ data: JSON.stringify(frame) }); }
  drop(code = 1006) { this.onclose({ code, reason: '' }); }
  last() { return this.sent[this.sent.length - 1]; }
}

/** Timers the test fires by hand. */
function fakeTimers() {
  const due = [];
  return {
    due,
    setTimeout(fn, ms) { const t = { fn, ms, cancelled: false }; due.push(t); return t; },
    clearTimeout(t) { if (t) t.cancelled = true; },
    fire(filter = () => true) { for (const t of due.splice(0)) if (!t.cancelled && filter(t)) t.fn(); },
  };
}

async function openClient(extra = {}) {
  FakeSocket.all = [];
  const timers = fakeTimers();
  const client = connect({ url: 'ws://test/ws', WebSocket: FakeSocket, timers, ...extra });
  await new Promise((resolve) => setImmediate(resolve));
  const socket = FakeSocket.all[FakeSocket.all.length - 1];
  return { client, timers, socket };
}

/** Drops the socket, lets the reconnect timer fire, and opens the new socket. */
async function reconnectAfterDrop(socket, timers) {
  socket.drop(1006);
  timers.fire();
  await new Promise((resolve) => setImmediate(resolve));
  const next = FakeSocket.all[FakeSocket.all.length - 1];
  next.open();
  return next;
}

const scope = { col: 'conversation_id', value: 42 };
const position = (seq, epoch = 'e1') => ({ epoch, seq });
const insert = (id, body, seq) => ({
  type: 'change', channel: 'message', scope, position: position(seq),
  event: { type: 'afterInsert', table: 'message', primaryKey: { id }, row: { id, body, conversation_id: 42 } },
});

test('backoff grows exponentially, is capped, and is jittered downwards only', () => {
  const options = { initialDelayMs: 100, maxDelayMs: 1000, factor: 2, jitter: 0.5 };
  assert.equal(backoffDelay(0, options, () => 1), 100);
  assert.equal(backoffDelay(3, options, () => 1), 800);
  assert.equal(backoffDelay(10, options, () => 1), 1000);
  assert.equal(backoffDelay(10, options, () => 0), 500);
  for (let i = 0; i < 50; i++) {
    const d = backoffDelay(2, options);
    assert.ok(d >= 200 && d <= 400, String(d));
  }
});

test('seq ranges cover single and batched frames alike', () => {
  assert.deepEqual(seqRange(insert(1, 'a', 7)), { epoch: 'e1', first: 7, last: 7 });
  const batch = { type: 'change', position: position(10), count: 3, events: [{}, {}, {}] };
  assert.deepEqual(seqRange(batch), { epoch: 'e1', first: 8, last: 10 });
  assert.equal(eventsOf(batch).length, 3);
  assert.equal(seqRange({ type: 'change', event: {} }), null);
});

test('the live collection follows snapshot, changes, enter and leave', () => {
  const rows = new LiveCollection({ compare: (a, b) => a.id - b.id });
  const seen = [];
  rows.onChange((r) => seen.push(r.map((x) => x.id)));
  rows.handlers.snapshot([{ id: 2, body: 'b' }, { id: 1, body: 'a' }]);
  rows.handlers.change({ type: 'afterInsert', primaryKey: { id: 3 }, row: { id: 3, body: 'c' } });
  rows.handlers.change({ type: 'afterUpdate', primaryKey: { id: 1 }, row: { id: 1, body: 'A' } });
  rows.handlers.leave({ type: 'leave', primaryKey: { id: 2 }, row: { id: 2 } });
  rows.handlers.enter({ type: 'enter', primaryKey: { id: 9 }, row: { id: 9, body: 'moved in' } });
  rows.handlers.change({ type: 'afterDelete', primaryKey: { id: 3 }, row: { id: 3 } });
  assert.deepEqual(rows.rows().map((r) => r.body), ['A', 'moved in']);
  assert.deepEqual(seen[0], [1, 2]);
  assert.equal(seen.length, 6);
});

test('subscribing sends the request on open and routes by the canonical scope value', async () => {
  const { client, socket } = await openClient();
  const changes = [];
  const snapshots = [];
  client.subscribe('message', { col: 'conversation_id', value: '42' }, {
    snapshot: (rows) => snapshots.push(rows), change: (e) => changes.push(e.row.body),
  });
  socket.open();
  const request = socket.last();
  assert.equal(request.type, 'subscribe');
  assert.equal(request.from, undefined);
  socket.receive({ type: 'subscribed', id: request.id, channel: 'message', scope, position: position(5) });
  socket.receive({ type: 'snapshot', channel: 'message', scope, position: position(5), rows: [{ id: 1 }] });
  socket.receive(insert(2, 'hello', 6));
  socket.receive({ type: 'change', channel: 'message', scope, position: position(8), count: 2,
    events: [insert(3, 'x', 7).event, insert(4, 'y', 8).event] });
  assert.deepEqual(snapshots, [[{ id: 1 }]]);
  assert.deepEqual(changes, ['hello', 'x', 'y']);
});

test('the client asks for rowcast.v2 unless told not to', async () => {
  const { socket } = await openClient();
  assert.deepEqual(socket.protocols, ['rowcast.v2']);
  const { socket: v1 } = await openClient({ coalesce: false });
  assert.equal(v1.protocols, undefined);
});

test('a frames message is every frame inside it, in order, as if each had come alone', async () => {
  const { client, socket } = await openClient();
  const changes = [];
  const snapshots = [];
  client.subscribe('message', scope, {
    snapshot: (rows) => snapshots.push(rows), change: (e) => changes.push(e.row.body),
  });
  socket.open();
  const request = socket.last();
  socket.receive({ type: 'frames', frames: [
    { type: 'subscribed', id: request.id, channel: 'message', scope, position: position(5) },
    { type: 'snapshot', channel: 'message', scope, position: position(5), rows: [{ id: 1 }] },
    insert(2, 'one', 6),
    insert(3, 'two', 7),
  ] });
  socket.receive({ type: 'frames', frames: [insert(4, 'three', 8), null, 'junk', insert(5, 'four', 9)] });
  assert.deepEqual(snapshots, [[{ id: 1 }]]);
  assert.deepEqual(changes, ['one', 'two', 'three', 'four']);
  socket.receive({ type: 'frames', frames: [insert(7, 'after a gap', 11)] });
  assert.equal(socket.last().type, 'subscribe', 'a gap inside a frames message resyncs like any other');
});

test('a gap in sequence numbers resubscribes without a cursor to get a fresh snapshot', async () => {
  const { client, socket } = await openClient();
  const sub = client.subscribe('message', scope, {});
  socket.open();
  const first = socket.last();
  socket.receive({ type: 'subscribed', id: first.id, channel: 'message', scope, position: position(5) });
  socket.receive(insert(1, 'a', 6));
  socket.receive(insert(3, 'c', 9)); // 7 and 8 went missing
  const [unsubscribe, resubscribe] = socket.sent.slice(-2);
  assert.equal(unsubscribe.type, 'unsubscribe');
  assert.equal(resubscribe.type, 'subscribe');
  assert.equal(resubscribe.from, undefined);
  assert.equal(sub.position, null);
});

test('a duplicate frame (already applied) is ignored', async () => {
  const { client, socket } = await openClient();
  const bodies = [];
  client.subscribe('message', scope, { change: (e) => bodies.push(e.row.body) });
  socket.open();
  socket.receive({ type: 'subscribed', id: socket.last().id, channel: 'message', scope, position: position(0) });
  socket.receive(insert(1, 'a', 1));
  socket.receive({ ...insert(1, 'a', 1), replayed: true });
  assert.deepEqual(bodies, ['a']);
});

test('after a drop it reconnects with backoff and resubscribes from its last position', async () => {
  const { client, socket, timers } = await openClient();
  const states = [];
  client.on('state', (s) => states.push(s.state + (s.code ? ':' + s.code : '')));
  client.subscribe('message', scope, {});
  socket.open();
  socket.receive({ type: 'subscribed', id: socket.last().id, channel: 'message', scope, position: position(0) });
  socket.receive(insert(1, 'a', 1));
  socket.drop(1006);
  assert.equal(client.state, 'reconnecting');
  assert.ok(timers.due.length === 1 && timers.due[0].ms <= 500);
  timers.fire();
  await new Promise((resolve) => setImmediate(resolve));
  const second = FakeSocket.all[FakeSocket.all.length - 1];
  assert.notEqual(second, socket);
  second.open();
  assert.deepEqual(second.last().from, position(1));
  assert.deepEqual(states, ['open', 'reconnecting:1006', 'connecting:1006', 'open']);
});

test('the token provider is asked on every connect and sent as access_token', async () => {
  let calls = 0;
  const { socket, timers } = await openClient({ token: async () => 'tok' + ++calls });
  assert.equal(socket.url, 'ws://test/ws?access_token=tok1');
  socket.open();
  socket.drop(1006);
  timers.fire();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(FakeSocket.all[FakeSocket.all.length - 1].url, 'ws://test/ws?access_token=tok2');
});

test('a token provider that fails is retried with backoff instead of leaving the client stuck', async () => {
  let calls = 0;
  const errors = [];
  const { client, timers } = await openClient({
    token: async () => { if (++calls <= 2) throw new Error('server down'); return 'tok' + calls; },
  });
  client.on('error', (e) => errors.push(e.code + ': ' + e.message));
  assert.equal(FakeSocket.all.length, 0, 'no socket without a token');
  assert.equal(client.state, 'reconnecting');
  assert.equal(timers.due.length, 1);
  timers.fire(); // the second attempt fails too, and says so
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(errors, ['connect_failed: server down']);
  assert.equal(timers.due.length, 1);
  timers.fire();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(FakeSocket.all.length, 1);
  assert.equal(FakeSocket.all[0].url, 'ws://test/ws?access_token=tok3');
});

test('a subscription the server will not hold becomes inactive and is not resent after a reconnect', async () => {
  const { client, socket, timers } = await openClient();
  const errors = [];
  const sub = client.subscribe('message', scope, { error: (e) => errors.push(e.code) });
  socket.open();
  socket.receive({ type: 'error', id: socket.last().id, code: 'too_many_subscriptions', message: 'limit' });
  assert.deepEqual(errors, ['too_many_subscriptions']);
  assert.equal(sub.active, false);
  const second = await reconnectAfterDrop(socket, timers);
  assert.deepEqual(second.sent, []);
});

test('a rate-limited subscribe is sent again after a short delay', async () => {
  const { client, socket, timers } = await openClient({ reconnect: { initialDelayMs: 100, jitter: 0 } });
  const sub = client.subscribe('message', scope, {});
  socket.open();
  const first = socket.last();
  socket.receive({ type: 'error', id: first.id, code: 'rate_limited', message: 'slow down' });
  assert.equal(sub.active, true);
  assert.equal(timers.due.length, 1);
  assert.equal(timers.due[0].ms, 100);
  timers.fire();
  const again = socket.last();
  assert.equal(again.type, 'subscribe');
  assert.notEqual(again.id, first.id);
});

test('states go connecting, open; a subscribe made before open is sent exactly once', async () => {
  FakeSocket.all = [];
  const states = [];
  const client = connect({ url: 'ws://test/ws', WebSocket: FakeSocket, timers: fakeTimers() });
  client.on('state', (s) => states.push(s.state));
  client.subscribe('message', scope, {});
  await new Promise((resolve) => setImmediate(resolve));
  const socket = FakeSocket.all[0];
  socket.open();
  assert.equal(socket.sent.filter((m) => m.type === 'subscribe').length, 1);
  assert.deepEqual(states, ['open']); // connecting was set in the constructor, before anyone listened
  assert.equal(client.state, 'open');
});

test('a subscribe made by an open listener goes out once, after the resubscriptions', async () => {
  const { client, socket } = await openClient();
  client.subscribe('message', scope, {});
  client.on('state', (s) => { if (s.state === 'open') client.subscribe('message', { col: 'conversation_id', value: 7 }, {}); });
  socket.open();
  const subscribes = socket.sent.filter((m) => m.type === 'subscribe');
  assert.deepEqual(subscribes.map((m) => m.scope.value), [42, 7]);
});

test('an unsubscribe while disconnected is not queued, so it cannot cancel a newer subscription', async () => {
  const { client, socket } = await openClient();
  const first = client.subscribe('message', scope, {});
  first.unsubscribe();
  client.subscribe('message', scope, {});
  socket.open();
  assert.deepEqual(socket.sent.map((m) => m.type), ['subscribe']);
});

test('unsubscribe when open sends the frame and stops delivery; it is not resubscribed after a drop', async () => {
  const { client, socket, timers } = await openClient();
  const bodies = [];
  const sub = client.subscribe('message', scope, { change: (e) => bodies.push(e.row.body) });
  socket.open();
  socket.receive({ type: 'subscribed', id: socket.last().id, channel: 'message', scope, position: position(0) });
  sub.unsubscribe();
  assert.equal(socket.last().type, 'unsubscribe');
  socket.receive(insert(1, 'late', 1));
  assert.deepEqual(bodies, []);
  const second = await reconnectAfterDrop(socket, timers);
  assert.deepEqual(second.sent, []);
});

test('replay_unavailable continues from the server head, so the next live change is no gap', async () => {
  const { client, socket } = await openClient();
  const bodies = [];
  const errors = [];
  const sub = client.subscribe('message', scope, { change: (e) => bodies.push(e.row.body), error: (e) => errors.push(e.code) });
  sub.position = position(3, 'old-epoch'); // as after an earlier connection
  socket.open();
  const request = socket.last();
  assert.deepEqual(request.from, position(3, 'old-epoch'));
  socket.receive({ type: 'subscribed', id: request.id, channel: 'message', scope, position: position(10) });
  socket.receive({ type: 'error', id: request.id, code: 'replay_unavailable', message: 'gone' });
  socket.receive(insert(5, 'next', 11));
  assert.deepEqual(errors, ['replay_unavailable']);
  assert.deepEqual(bodies, ['next']);
  assert.equal(socket.sent.filter((m) => m.type === 'subscribe').length, 1, 'no resync');
});

test('an unsolicited replay_unavailable moves the stream to the new epoch, tells its handler, and resyncs nothing', async () => {
  const { client, socket } = await openClient();
  const bodies = [];
  const errors = [];
  const snapshots = [];
  client.subscribe('message', scope, {
    change: (e) => bodies.push(e.row.body), error: (e) => errors.push(e.code), snapshot: (rows) => snapshots.push(rows),
  });
  socket.open();
  const request = socket.last();
  socket.receive({ type: 'subscribed', id: request.id, channel: 'message', scope, position: position(3) });
  socket.receive(insert(1, 'before', 4));
  // the server lost changes of this stream: it starts again in a new epoch, a snapshot follows if there is one
  socket.receive({ type: 'error', code: 'replay_unavailable', message: 'lost', channel: 'message', scope,
    position: position(0, 'e2') });
  socket.receive({ type: 'snapshot', channel: 'message', scope, position: position(2, 'e2'), rows: [{ id: 1 }] });
  socket.receive({ ...insert(2, 'after', 3), position: position(3, 'e2') });
  assert.deepEqual(errors, ['replay_unavailable'], 'the subscription hears of it, not only the client');
  assert.equal(snapshots.length, 1);
  assert.deepEqual(bodies, ['before', 'after'], 'the new epoch continues without a resync');
  assert.equal(socket.sent.filter((m) => m.type === 'subscribe').length, 1, 'no resubscribe');
});

test('an unsolicited replay_unavailable on a stream without a snapshot continues from the position it names', async () => {
  const { client, socket } = await openClient();
  const bodies = [];
  client.subscribe('message', scope, { change: (e) => bodies.push(e.row.body) });
  socket.open();
  const request = socket.last();
  socket.receive({ type: 'subscribed', id: request.id, channel: 'message', scope, position: position(7) });
  socket.receive({ type: 'error', code: 'replay_unavailable', message: 'lost', channel: 'message', scope,
    position: position(5, 'e9') });
  socket.receive({ ...insert(3, 'next', 6), position: position(6, 'e9') });
  assert.deepEqual(bodies, ['next']);
  assert.equal(socket.sent.filter((m) => m.type === 'subscribe').length, 1, 'no resubscribe');
});

test('backoff grows across failed attempts and starts over after a connection that stayed up', async () => {
  const { client, socket, timers } = await openClient({ reconnect: { initialDelayMs: 100, jitter: 0, stableMs: 50 } });
  socket.open();
  socket.drop(1006);
  assert.equal(timers.due[0].ms, 100);
  timers.fire();
  await new Promise((resolve) => setImmediate(resolve));
  FakeSocket.all[FakeSocket.all.length - 1].drop(1006); // refused before it opened
  assert.equal(timers.due[0].ms, 200);
  timers.fire();
  await new Promise((resolve) => setImmediate(resolve));
  const third = FakeSocket.all[FakeSocket.all.length - 1];
  third.open();
  await new Promise((resolve) => setTimeout(resolve, 60));
  third.drop(1006);
  assert.equal(timers.due[0].ms, 100, 'stable for stableMs: back to the first delay');
  assert.equal(client.state, 'reconnecting');
});

test('a server that cuts us off for falling behind or rate limits is not hammered at once', async () => {
  const { socket, timers } = await openClient({ reconnect: { initialDelayMs: 100, jitter: 0 } });
  socket.open();
  socket.drop(4499);
  assert.equal(timers.due[0].ms, 400);
});

test('requests queue while disconnected, within a bound, and time out from call time', async () => {
  const { client, timers } = await openClient({ maxQueued: 2, requestTimeoutMs: 1000 });
  const first = client.ping();
  const second = client.ping();
  await assert.rejects(client.ping(), /queue full/);
  assert.equal(client.outbound.length, 2);
  timers.fire((t) => t.ms === 1000);
  await assert.rejects(first, /timed out/);
  await assert.rejects(second, /timed out/);
  assert.equal(client.outbound.length, 0, 'a request given up is never sent');
});

test('a pong settles its ping', async () => {
  const { client, socket } = await openClient();
  socket.open();
  const ping = client.ping();
  socket.receive({ type: 'pong', id: socket.last().id });
  assert.ok((await ping) >= 0);
});

test('a forbidden subscription reports to its error handler and is dropped', async () => {
  const { client, socket } = await openClient();
  const errors = [];
  const sub = client.subscribe('message', scope, { error: (e) => errors.push(e.code) });
  socket.open();
  socket.receive({ type: 'error', id: socket.last().id, code: 'forbidden', message: 'no' });
  assert.deepEqual(errors, ['forbidden']);
  assert.equal(sub.active, false);
});

test('a revoked subscription reports to its error handler and ends', async () => {
  const { client, socket } = await openClient();
  const errors = [];
  const sub = client.subscribe('message', scope, { error: (e) => errors.push(e.code) });
  socket.open();
  const id = socket.last().id;
  socket.receive({ type: 'subscribed', id, channel: 'message', scope, position: { epoch: 'e', seq: 0 } });
  socket.receive({ type: 'error', id, code: 'revoked', message: 'ended' });
  assert.deepEqual(errors, ['revoked']);
  assert.equal(sub.active, false);
});

test('a lost subscription is told to its handler and resubscribed with backoff from its last position', async () => {
  const { client, socket, timers } = await openClient({ reconnect: { initialDelayMs: 100, jitter: 0 } });
  const errors = [];
  const changes = [];
  const sub = client.subscribe('message', scope, { error: (e) => errors.push(e.code), change: (e) => changes.push(e.row.body) });
  socket.open();
  const id = socket.last().id;
  socket.receive({ type: 'subscribed', id, channel: 'message', scope, position: position(0) });
  socket.receive(insert(1, 'a', 1));
  socket.receive({ type: 'error', id, code: 'subscription_lost', message: 'lost', channel: 'message', scope });
  assert.deepEqual(errors, ['subscription_lost'], 'the application hears of it');
  assert.equal(sub.active, true, 'still wanted: the client subscribes again');
  assert.equal(timers.due.length, 1);
  assert.equal(timers.due[0].ms, 100, 'not at once: the first backoff delay');
  assert.equal(socket.last().type, 'subscribe', 'nothing sent before the delay');
  assert.equal(socket.last().id, id);
  timers.fire();
  const again = socket.last();
  assert.equal(again.type, 'subscribe');
  assert.notEqual(again.id, id);
  assert.deepEqual(again.from, position(1), 'from its last position: it resumes, or gets replay_unavailable');
  socket.receive({ type: 'subscribed', id: again.id, channel: 'message', scope, position: position(1) });
  socket.receive(insert(2, 'b', 2));
  assert.deepEqual(changes, ['a', 'b'], 'changes flow again, without a gap');

  // lost again at once: the next attempt waits longer
  socket.receive({ type: 'error', id: again.id, code: 'subscription_lost', message: 'lost', channel: 'message', scope });
  assert.equal(timers.due.length, 1);
  assert.equal(timers.due[0].ms, 200, 'backoff grows while the subscription keeps being lost');
});

test('a subscribe answered with subscription_lost is sent again, and a reconnect meanwhile sends it only once', async () => {
  const { client, socket, timers } = await openClient({ reconnect: { initialDelayMs: 100, jitter: 0 } });
  client.subscribe('message', scope, {});
  socket.open();
  const first = socket.last();
  socket.receive({ type: 'error', id: first.id, code: 'subscription_lost', message: 'lost', channel: 'message', scope });
  const second = await reconnectAfterDrop(socket, timers); // fires the resubscribe timer too, while disconnected
  const subscribes = second.sent.filter((m) => m.type === 'subscribe');
  assert.equal(subscribes.length, 1, 'resubscribed by the reconnect');
  timers.fire();
  assert.equal(second.sent.filter((m) => m.type === 'subscribe').length, 1, 'the stale timer sends nothing more');
});

test('a revoked subscription is not resubscribed', async () => {
  const { client, socket, timers } = await openClient();
  const sub = client.subscribe('message', scope, {});
  socket.open();
  const id = socket.last().id;
  socket.receive({ type: 'subscribed', id, channel: 'message', scope, position: position(0) });
  socket.receive({ type: 'error', id, code: 'revoked', message: 'ended' });
  assert.equal(sub.active, false);
  timers.fire();
  assert.equal(socket.sent.filter((m) => m.type === 'subscribe').length, 1);
  const second = await reconnectAfterDrop(socket, timers);
  assert.deepEqual(second.sent, []);
});

// --- talking back: proposals, broadcasts, presence, the browser's online event ---

async function subscribedClient(extra = {}) {
  const opened = await openClient({ window: null, ...extra });
  opened.socket.open();
  const subscription = opened.client.subscribe('message', scope, {});
  const request = opened.socket.last();
  opened.socket.receive({ type: 'subscribed', id: request.id, channel: 'message', scope, position: position(0) });
  return { ...opened, subscription };
}

test('propose resolves with the value and rejects with the server code', async () => {
  const { client, socket } = await subscribedClient();
  const created = client.propose('message.create', { body: 'hi' });
  const sent = socket.last();
  assert.deepEqual({ type: sent.type, name: sent.name, payload: sent.payload },
    { type: 'propose', name: 'message.create', payload: { body: 'hi' } });
  socket.receive({ type: 'proposed', id: sent.id, value: { id: 7 } });
  assert.deepEqual(await created, { id: 7 });

  const refused = client.propose('message.create', { body: '' });
  socket.receive({ type: 'error', id: socket.last().id, code: 'invalid_proposal', message: 'no',
    violations: [{ path: 'body', message: 'must not be blank' }] });
  await assert.rejects(refused, (e) => e.code === 'invalid_proposal' && e.frame.violations[0].path === 'body');
});

test('a proposal made offline is queued and sent on open; one in flight at a drop is reported lost', async () => {
  const { client, socket, timers } = await openClient({ window: null });
  const queued = client.propose('message.create', { body: 'offline' });
  assert.equal(socket.sent.length, 0);
  socket.open();
  const sent = socket.sent.find((m) => m.type === 'propose');
  assert.equal(sent.payload.body, 'offline');
  socket.drop(1006);
  await assert.rejects(queued, (e) => e.code === 'connection_lost');
  assert.equal(timers.due.filter((t) => !t.cancelled).length, 1, 'only the reconnect timer is left');
});

test('broadcasts are throttled per stream and event, leading and trailing edge, and never queued', async () => {
  const { client, socket, timers, subscription } = await subscribedClient({ broadcastThrottleMs: 100 });
  for (let x = 1; x <= 5; x++) client.broadcast('message', scope, 'cursor', { x });
  subscription.broadcast('typing', true);
  let sent = socket.sent.filter((m) => m.type === 'broadcast');
  assert.deepEqual(sent.map((m) => [m.event, m.data]), [['cursor', { x: 1 }], ['typing', true]]);
  timers.fire();
  sent = socket.sent.filter((m) => m.type === 'broadcast');
  assert.deepEqual(sent.map((m) => m.data), [{ x: 1 }, true, { x: 5 }], 'the last value goes at the window end');
  timers.fire(); // a quiet window ends the throttle
  socket.drop(1006);
  client.broadcast('message', scope, 'cursor', { x: 6 });
  assert.equal(socket.sent.filter((m) => m.type === 'broadcast').length, 3, 'nothing is sent or queued offline');
  assert.throws(() => client.broadcast('message', { col: 'conversation_id', value: 9 }, 'typing', true));
});

test('incoming broadcasts reach the handler and listeners with the server-stamped sender', async () => {
  const { client, socket, subscription } = await subscribedClient();
  const heard = [];
  const stop = client.onBroadcast('message', scope, (message) => heard.push(message));
  subscription.handlers.broadcast = (message) => heard.push({ handler: message.event });
  socket.receive({ type: 'broadcast', channel: 'message', scope, event: 'typing', data: true, from: { user: 'bob' } });
  stop();
  socket.receive({ type: 'broadcast', channel: 'message', scope, event: 'typing', data: false, from: { user: 'bob' } });
  assert.deepEqual(heard, [{ handler: 'typing' }, { event: 'typing', data: true, from: { user: 'bob' } },
    { handler: 'typing' }]);
});

test('presence joins once subscribed, stays a live list, and joins again after a reconnect', async () => {
  const { client, socket, timers } = await openClient({ window: null });
  socket.open();
  client.subscribe('message', { col: 'conversation_id', value: '42' }, {});
  const who = client.presence('message', { col: 'conversation_id', value: '42' });
  assert.equal(socket.sent.filter((m) => m.type === 'join').length, 0, 'not before subscribed');
  socket.receive({ type: 'subscribed', id: socket.last().id, channel: 'message', scope, position: position(0) });
  assert.equal(socket.last().type, 'join');
  const seen = [];
  who.onChange((members) => seen.push(members.map((m) => m.user).join(',')));
  socket.receive({ type: 'presence', channel: 'message', scope, members: [{ user: 'alice' }, { user: 'bob' }] });
  socket.receive({ type: 'joined', channel: 'message', scope, member: { user: 'carol' } });
  socket.receive({ type: 'left', channel: 'message', scope, user: 'bob' });
  assert.deepEqual(seen, ['alice,bob', 'alice,bob,carol', 'alice,carol']);

  const next = await reconnectAfterDrop(socket, timers);
  assert.equal(who.members.length, 0, 'unknown while away');
  const resubscribe = next.sent.find((m) => m.type === 'subscribe');
  next.receive({ type: 'subscribed', id: resubscribe.id, channel: 'message', scope, position: position(0) });
  assert.equal(next.last().type, 'join', 'joined again');
  who.leave();
  assert.equal(next.last().type, 'leave');
});

test('the browser coming online skips the rest of the backoff', async () => {
  const listeners = {};
  const window = { addEventListener: (type, fn) => { listeners[type] = fn; }, removeEventListener() {} };
  const { client, socket, timers } = await openClient({ window });
  socket.open();
  socket.drop(1006);
  assert.equal(client.state, 'reconnecting');
  const before = FakeSocket.all.length;
  listeners.online();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(FakeSocket.all.length, before + 1, 'a new attempt at once');
  timers.fire();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(FakeSocket.all.length, before + 1, 'the cancelled backoff timer starts no second attempt');
});

test('an optimistic row shows until its proposal settles, either way', async () => {
  const live = new LiveCollection();
  const shown = [];
  live.onChange((rows) => shown.push(rows.map((r) => (r.pending ? 'pending:' : '') + r.body).join(',')));
  let resolve;
  const ok = live.optimistic({ body: 'hi' }, new Promise((r) => { resolve = r; }));
  live.apply({ type: 'afterInsert', primaryKey: { id: 1 }, row: { id: 1, body: 'hi' } });
  resolve({ id: 1 });
  await ok;
  let reject;
  const failed = live.optimistic({ body: 'no' }, new Promise((r, j) => { reject = j; }));
  reject(new Error('refused'));
  await assert.rejects(failed);
  assert.deepEqual(shown, ['pending:hi', 'pending:hi,hi', 'hi', 'hi,pending:no', 'hi']);
});
