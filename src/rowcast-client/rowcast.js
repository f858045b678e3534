// Rowcast browser client: protocol v1 (docs/protocol.md). No dependencies; an ES module.
// Usage and a complete example: docs/client.md.

const DEFAULTS = {
  tokenTransport: 'query',
  requestTimeoutMs: 10000,
  maxQueued: 100,
  broadcastThrottleMs: 50,
  coalesce: true,
  reconnect: { initialDelayMs: 500, maxDelayMs: 15000, factor: 2, jitter: 0.5, stableMs: 10000 },
};

// Close codes after which coming straight back would only be refused again (docs/protocol.md, "Close codes").
const COOL_DOWN_CODES = new Set([1001, 4429, 4499]);
// Subscribe errors after which the server holds no subscription, and trying again as it is cannot help.
const FINAL_SUBSCRIBE_ERRORS = new Set(['forbidden', 'unknown_channel', 'invalid_scope', 'invalid_message',
  'too_many_subscriptions', 'revoked']);

/**
 * The delay before reconnect attempt `attempt` (0 for the first): exponential, capped, with jitter so that
 * clients cut off together do not come back together.
 */
export function backoffDelay(attempt, options = DEFAULTS.reconnect, random = Math.random) {
  const { initialDelayMs, maxDelayMs, factor, jitter } = { ...DEFAULTS.reconnect, ...options };
  const capped = Math.min(maxDelayMs, initialDelayMs * Math.pow(factor, attempt));
  return Math.round(capped * (1 - jitter + jitter * random()));
}

/** The stream a frame belongs to, from its channel and scope. */
export function streamKey(channel, scope) {
  return channel + '\u0000' + scope.col + '\u0000' + JSON.stringify(scope.value);
}

/**
 * The seq range a change frame covers: a single `event`, or a batch of `count` events ending at `position`.
 * Returns null for frames without a position.
 */
export function seqRange(frame) {
  if (!frame.position) return null;
  const count = frame.events ? (frame.count ?? frame.events.length) : 1;
  return { epoch: frame.position.epoch, first: frame.position.seq - count + 1, last: frame.position.seq };
}

/** The events of a change frame, single or batched alike. */
export function eventsOf(frame) {
  return frame.events ? frame.events : [frame.event];
}

/** Connects to a Rowcast endpoint. The connection reconnects by itself until `close()`. */
export function connect(options) {
  return new RowcastClient(options);
}

export class RowcastClient {
  constructor(options) {
    if (!options || !options.url) throw new Error('rowcast: connect({ url }) needs the endpoint url');
    this.options = { ...DEFAULTS, ...options, reconnect: { ...DEFAULTS.reconnect, ...(options.reconnect || {}) } };
    this.WebSocketImpl = options.WebSocket || globalThis.WebSocket;
    this.state = 'connecting';
    this.closeCode = null;
    this.closeReason = null;
    this.listeners = new Map();
    this.subscriptions = new Map(); // by request id until subscribed, then also by stream key
    this.byStream = new Map();
    this.pending = new Map(); // request id -> { resolve, reject, timer }
    this.outbound = [];
    this.nextId = 1;
    this.attempt = 0;
    this.openedAt = 0;
    this.closedByUser = false;
    this.socket = null;
    this.timers = options.timers || { setTimeout: (f, ms) => setTimeout(f, ms), clearTimeout: (t) => clearTimeout(t) };
    this.retryTimer = null;
    this.throttles = new Map(); // stream key + event -> { until, waiting, timer }
    // the browser knows when the network is back: try at once instead of waiting out the backoff
    const events = options.window !== undefined ? options.window : globalThis;
    if (events && typeof events.addEventListener === 'function') {
      this.onOnline = () => this.reconnectNow();
      events.addEventListener('online', this.onOnline);
      this.events = events;
    }
    this.open();
  }

  /** Skips the rest of the backoff: the browser said the network is back. */
  reconnectNow() {
    if (this.closedByUser || this.state !== 'reconnecting') return;
    if (this.retryTimer !== null) this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.attempt = 0;
    this.open();
  }

  /** Listens to 'state' ({state, code, reason}) and 'error' (protocol errors not tied to a request). */
  on(event, listener) {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event).add(listener);
    return () => this.listeners.get(event).delete(listener);
  }

  emit(event, value) {
    for (const listener of this.listeners.get(event) || []) {
      try { listener(value); } catch (e) { console.error('rowcast: listener failed', e); }
    }
  }

  setState(state, code = null, reason = null) {
    this.state = state;
    if (code !== null || state === 'open') { this.closeCode = code; this.closeReason = reason; }
    this.emit('state', { state, code: this.closeCode, reason: this.closeReason });
  }

  async open() {
    this.setState('connecting');
    let socket;
    try {
      let url = this.options.url;
      if (this.options.token) {
        const token = await this.options.token();
        if (token && this.options.tokenTransport === 'query') {
          url += (url.includes('?') ? '&' : '?') + 'access_token=' + encodeURIComponent(token);
        }
      }
      if (this.closedByUser) return;
      // rowcast.v2: the server may send several queued frames as one 'frames' message (docs/protocol.md)
      socket = this.options.coalesce ? new this.WebSocketImpl(url, ['rowcast.v2']) : new this.WebSocketImpl(url);
    } catch (e) {
      // a token provider that fails (the server is down) or a bad url: try again later, never give up silently
      this.emit('error', { code: 'connect_failed', message: String(e && e.message || e) });
      this.retry(null, String(e && e.message || e));
      return;
    }
    this.socket = socket;
    socket.onopen = () => this.onOpen(socket);
    socket.onmessage = (message) => this.onFrame(message.data);
    socket.onclose = (event) => this.onClose(socket, event);
    socket.onerror = () => { /* onclose follows with the code */ };
  }

  onOpen(socket) {
    if (socket !== this.socket) return;
    this.openedAt = Date.now();
    this.state = 'open';
    // resubscribe and flush before telling listeners, so what they send goes after, and once
    for (const subscription of new Set(this.subscriptions.values())) {
      if (subscription.active) this.sendSubscribe(subscription);
    }
    for (const entry of this.outbound.splice(0)) {
      socket.send(entry.text);
      const request = entry.id && this.pending.get(entry.id);
      if (request) request.sent = true;
    }
    this.setState('open');
  }

  onClose(socket, event) {
    if (socket !== this.socket) return;
    this.socket = null;
    // a proposal sent on this socket may or may not have committed: say so, rather than time out or resend it
    for (const [id, request] of this.pending) {
      if (request.type === 'propose' && request.sent) {
        this.pending.delete(id);
        this.timers.clearTimeout(request.timer);
        request.reject(Object.assign(new Error('rowcast: connection lost; the proposal may or may not have been '
          + 'applied'), { code: 'connection_lost' }));
      }
    }
    for (const subscription of new Set(this.subscriptions.values())) {
      if (subscription.presenceHandle) subscription.presenceHandle.reset([]); // we no longer know who is there
    }
    if (this.closedByUser) {
      this.setState('closed', event.code, event.reason);
      return;
    }
    // 4401: the credential expired; reconnecting fetches a fresh token from the provider
    this.retry(event.code, event.reason);
  }

  /** Schedules the next connection attempt, backing off unless the last connection stayed up a while. */
  retry(code, reason) {
    const { stableMs } = this.options.reconnect;
    if (this.openedAt && Date.now() - this.openedAt >= stableMs) this.attempt = 0;
    this.openedAt = 0;
    if (COOL_DOWN_CODES.has(code)) this.attempt = Math.max(this.attempt, 2);
    const delay = backoffDelay(this.attempt++, this.options.reconnect);
    this.setState('reconnecting', code, reason);
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = null;
      if (!this.closedByUser) this.open();
    }, delay);
  }

  /** Closes for good. */
  close() {
    this.closedByUser = true;
    for (const [, request] of this.pending) {
      this.timers.clearTimeout(request.timer);
      request.reject(new Error('rowcast: closed'));
    }
    this.pending.clear();
    this.outbound = [];
    for (const throttle of this.throttles.values()) this.timers.clearTimeout(throttle.timer);
    this.throttles.clear();
    if (this.events) this.events.removeEventListener('online', this.onOnline);
    if (this.socket) this.socket.close(1000, 'bye');
    else this.setState('closed');
  }

  /**
   * Sends now when open, else queues (bounded) under `id`; returns false when the queue is full.
   */
  transmit(message, id = null) {
    const text = JSON.stringify(message);
    if (this.socket && this.state === 'open') {
      this.socket.send(text);
      return true;
    }
    if (this.outbound.length >= this.options.maxQueued) return false;
    this.outbound.push({ id, text });
    return true;
  }

  /** A request whose reply carries its id; the timeout counts from now, queued or not. */
  request(message) {
    const id = 'r' + this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = this.timers.setTimeout(() => {
        this.pending.delete(id);
        this.outbound = this.outbound.filter((entry) => entry.id !== id); // a request given up is never sent
        reject(new Error('rowcast: ' + message.type + ' timed out'));
      }, this.options.requestTimeoutMs);
      const sent = Boolean(this.socket && this.state === 'open');
      this.pending.set(id, { resolve, reject, timer, type: message.type, sent });
      if (!this.transmit({ ...message, id }, id)) {
        this.timers.clearTimeout(timer);
        this.pending.delete(id);
        reject(new Error('rowcast: outbound queue full'));
      }
    });
  }

  /** Application-level ping; resolves with the round trip in milliseconds. */
  ping() {
    const started = Date.now();
    return this.request({ type: 'ping' }).then(() => Date.now() - started);
  }

  /**
   * Asks the application's `@Proposal` handler `name` to write something. Resolves with the handler's value once it
   * committed; the changes it caused have arrived by then. Rejects with an Error whose `code` is the server's
   * (`invalid_proposal` with `frame.violations`, `proposal_refused` with `frame.reason`, `forbidden`, ...), or
   * `connection_lost` when the socket dropped after sending it (the outcome is unknown). Queued while offline.
   */
  propose(name, payload = null) {
    return this.request({ type: 'propose', name, payload }).then((frame) => frame.value);
  }

  /** The subscription that follows a stream, matched by channel and scope as given or as the server named it. */
  findSubscription(channel, scope) {
    const wanted = streamKey(channel, scope);
    for (const subscription of new Set(this.subscriptions.values())) {
      if (subscription.active && (subscription.key === wanted
        || streamKey(subscription.channel, subscription.scope) === wanted)) return subscription;
    }
    return null;
  }

  /**
   * Sends an ephemeral message to the others on a stream this client follows. Throttled per stream and event,
   * leading and trailing edge: the first goes at once, the last of a burst goes when the window ends. Dropped
   * while offline or before the subscription is confirmed: broadcasts are never queued.
   */
  broadcast(channel, scope, event, data = null) {
    const subscription = this.findSubscription(channel, scope);
    if (!subscription) throw new Error('rowcast: broadcast needs a subscription to ' + channel + '; subscribe first');
    this.sendBroadcast(subscription, event, data);
  }

  sendBroadcast(subscription, event, data) {
    const key = streamKey(subscription.channel, subscription.scope) + '\u0000' + event;
    const window = this.options.broadcastThrottleMs;
    const throttle = this.throttles.get(key);
    if (throttle) {
      throttle.waiting = { subscription, data };
      return;
    }
    this.transmitBroadcast(subscription, event, data);
    if (window <= 0) return;
    const entry = { waiting: null, timer: null };
    const tick = () => {
      if (!entry.waiting) { this.throttles.delete(key); return; }
      const { subscription: target, data: last } = entry.waiting;
      entry.waiting = null;
      this.transmitBroadcast(target, event, last);
      entry.timer = this.timers.setTimeout(tick, window);
    };
    entry.timer = this.timers.setTimeout(tick, window);
    this.throttles.set(key, entry);
  }

  transmitBroadcast(subscription, event, data) {
    if (!subscription.active || !subscription.key || !this.socket || this.state !== 'open') return;
    this.socket.send(JSON.stringify({ type: 'broadcast', channel: subscription.channel, scope: subscription.scope,
      event, data }));
  }

  /** Listens to the broadcasts of others on a stream this client follows; returns a function that stops it. */
  onBroadcast(channel, scope, listener) {
    const subscription = this.findSubscription(channel, scope);
    if (!subscription) throw new Error('rowcast: onBroadcast needs a subscription to ' + channel + '; subscribe first');
    return subscription.onBroadcast(listener);
  }

  /**
   * Who is present on a stream this client follows, as a live list; joins it now and after every reconnect.
   * Returns the handle: `members`, `onChange(listener)`, `leave()`.
   */
  presence(channel, scope) {
    const subscription = this.findSubscription(channel, scope);
    if (!subscription) throw new Error('rowcast: presence needs a subscription to ' + channel + '; subscribe first');
    return subscription.presence();
  }

  sendJoin(subscription) {
    if (!subscription.presenceHandle || !subscription.key || !this.socket || this.state !== 'open') return;
    this.socket.send(JSON.stringify({ type: 'join', channel: subscription.channel, scope: subscription.scope }));
  }

  /**
   * Follows one stream. Handlers: subscribed(frame), snapshot(rows, frame), change(event, frame),
   * enter(event, frame), leave(event, frame), error(errorFrame). Returns a handle with unsubscribe() and the
   * last position applied.
   */
  subscribe(channel, scope, handlers = {}) {
    const subscription = { channel, scope, handlers, active: true, position: null, key: null, requestId: null,
      presenceHandle: null, broadcastListeners: new Set() };
    subscription.unsubscribe = () => this.unsubscribe(subscription);
    subscription.broadcast = (event, data = null) => this.sendBroadcast(subscription, event, data);
    subscription.onBroadcast = (listener) => {
      subscription.broadcastListeners.add(listener);
      return () => subscription.broadcastListeners.delete(listener);
    };
    subscription.presence = () => {
      if (!subscription.presenceHandle) {
        subscription.presenceHandle = new Presence(() => {
          subscription.presenceHandle = null;
          if (subscription.active && this.socket && this.state === 'open') {
            this.socket.send(JSON.stringify({ type: 'leave', channel, scope }));
          }
        });
        this.sendJoin(subscription); // otherwise on 'subscribed'
      }
      return subscription.presenceHandle;
    };
    this.sendSubscribeIfOpen(subscription);
    return subscription;
  }

  sendSubscribeIfOpen(subscription) {
    if (this.socket && this.state === 'open') this.sendSubscribe(subscription);
    else this.subscriptions.set('pending:' + this.nextId++, subscription); // sent on open
  }

  sendSubscribe(subscription, fresh = false) {
    for (const [key, value] of this.subscriptions) if (value === subscription) this.subscriptions.delete(key);
    const id = 's' + this.nextId++;
    subscription.requestId = id;
    this.subscriptions.set(id, subscription);
    const message = { type: 'subscribe', id, channel: subscription.channel, scope: subscription.scope };
    if (subscription.position && !fresh) message.from = subscription.position;
    this.socket.send(JSON.stringify(message));
  }

  unsubscribe(subscription) {
    if (!subscription.active) return;
    subscription.active = false;
    if (subscription.presenceHandle) subscription.presenceHandle.reset([]);
    subscription.presenceHandle = null;
    for (const [key, value] of this.subscriptions) if (value === subscription) this.subscriptions.delete(key);
    if (subscription.key && this.byStream.get(subscription.key) === subscription) this.byStream.delete(subscription.key);
    // never queued: a socket opened later follows nothing, and a queued unsubscribe would cancel a newer subscribe
    if (this.socket && this.state === 'open') {
      this.socket.send(JSON.stringify({ type: 'unsubscribe', channel: subscription.channel, scope: subscription.scope }));
    }
  }

  /** Starts the stream over with a fresh snapshot: after a gap, or a change of epoch. */
  resync(subscription) {
    subscription.position = null;
    if (!this.socket || this.state !== 'open') return; // resubscribed on open, without from
    this.socket.send(JSON.stringify({ type: 'unsubscribe', channel: subscription.channel, scope: subscription.scope }));
    this.sendSubscribe(subscription, true);
  }

  onFrame(text) {
    let frame;
    try { frame = JSON.parse(text); } catch (e) { this.emit('error', { code: 'bad_frame', message: String(e) }); return; }
    if (frame.type === 'frames' && Array.isArray(frame.frames)) {
      for (const inner of frame.frames) this.onParsed(inner);
      return;
    }
    this.onParsed(frame);
  }

  /** One server frame, whether it came alone or inside a 'frames' message. */
  onParsed(frame) {
    if (!frame || typeof frame !== 'object') return;
    switch (frame.type) {
      case 'subscribed': return this.onSubscribed(frame);
      case 'snapshot': return this.onSnapshot(frame);
      case 'change': return this.onChange(frame);
      case 'pong': return this.settle(frame.id, frame);
      case 'proposed': return this.settle(frame.id, frame);
      case 'presence': case 'joined': case 'left': return this.onPresence(frame);
      case 'broadcast': return this.onBroadcastFrame(frame);
      case 'error': return this.onError(frame);
      default: return undefined; // unknown frame types are ignored, as the protocol asks
    }
  }

  settle(id, value) {
    const request = id !== undefined && this.pending.get(id);
    if (!request) return false;
    this.pending.delete(id);
    this.timers.clearTimeout(request.timer);
    request.resolve(value);
    return true;
  }

  onSubscribed(frame) {
    const subscription = this.subscriptions.get(frame.id);
    if (!subscription || !subscription.active) return;
    subscription.key = streamKey(frame.channel, frame.scope); // the server's canonical value: "42" becomes 42
    this.byStream.set(subscription.key, subscription);
    subscription.head = frame.position || null;
    subscription.confirmedAt = Date.now();
    if (!subscription.position && frame.position) subscription.position = frame.position;
    call(subscription.handlers.subscribed, frame);
    this.sendJoin(subscription); // presence needs a confirmed subscription
  }

  onPresence(frame) {
    const subscription = this.byStream.get(streamKey(frame.channel, frame.scope));
    const handle = subscription && subscription.presenceHandle;
    if (!handle) return;
    if (frame.type === 'presence') handle.reset(frame.members || []);
    else if (frame.type === 'joined') handle.joined(frame.member);
    else if (frame.id === undefined) handle.left(frame.user); // with an id: the reply to our own leave
  }

  onBroadcastFrame(frame) {
    const subscription = this.byStream.get(streamKey(frame.channel, frame.scope));
    if (!subscription) return;
    const message = { event: frame.event, data: frame.data, from: frame.from };
    call(subscription.handlers.broadcast, message, frame);
    for (const listener of subscription.broadcastListeners) call(listener, message, frame);
  }

  onSnapshot(frame) {
    const subscription = this.byStream.get(streamKey(frame.channel, frame.scope));
    if (!subscription) return;
    subscription.position = frame.position;
    call(subscription.handlers.snapshot, frame.rows, frame);
  }

  onChange(frame) {
    const subscription = this.byStream.get(streamKey(frame.channel, frame.scope));
    if (!subscription) return;
    const range = seqRange(frame);
    const at = subscription.position;
    if (range && at) {
      if (at.epoch === range.epoch && range.last <= at.seq) return; // already applied
      if (at.epoch !== range.epoch || range.first !== at.seq + 1) {
        this.resync(subscription); // missed something: a fresh snapshot puts it right
        return;
      }
    }
    if (range) subscription.position = { epoch: range.epoch, seq: range.last };
    for (const event of eventsOf(frame)) {
      if (event.type === 'hidden') continue;
      const handler = event.type === 'enter' ? subscription.handlers.enter
        : event.type === 'leave' ? subscription.handlers.leave : subscription.handlers.change;
      call(handler, event, frame);
    }
  }

  onError(frame) {
    if (frame.id !== undefined && this.pending.has(frame.id)) {
      const request = this.pending.get(frame.id);
      this.pending.delete(frame.id);
      this.timers.clearTimeout(request.timer);
      request.reject(Object.assign(new Error(frame.code + ': ' + frame.message), { frame, code: frame.code }));
      return;
    }
    if (frame.id === undefined && frame.code === 'replay_unavailable' && frame.channel && frame.scope) {
      // unsolicited: the server lost changes of this stream and starts it again at `position`; a snapshot follows
      // if the channel has one
      const stream = this.byStream.get(streamKey(frame.channel, frame.scope));
      if (stream) {
        stream.position = frame.position || null;
        call(stream.handlers.error, frame);
        return;
      }
    }
    const subscription = frame.id && this.subscriptions.get(frame.id);
    if (subscription) {
      if (FINAL_SUBSCRIBE_ERRORS.has(frame.code)) {
        subscription.active = false;
        this.subscriptions.delete(frame.id);
      } else if (frame.code === 'replay_unavailable') {
        // the cursor is gone: go on from where the server's stream is; a snapshot, if any, follows
        subscription.position = subscription.head || null;
      } else if (frame.code === 'subscription_lost') {
        this.resubscribeLost(subscription, frame.id);
      } else if (frame.code === 'rate_limited' && subscription.active) {
        const delay = backoffDelay(0, this.options.reconnect); // the server's bucket refills within that
        this.timers.setTimeout(() => {
          if (subscription.active && subscription.requestId === frame.id && this.state === 'open') {
            this.sendSubscribe(subscription);
          }
        }, delay);
      }
      call(subscription.handlers.error, frame);
      return;
    }
    this.emit('error', frame);
  }

  /**
   * The server could not keep this subscription (its resync or its subscribe failed there) and follows it no more:
   * subscribe again by ourselves, with backoff, from the last position, so it resumes, or gets replay_unavailable and
   * a snapshot. Not for `revoked`: that one is final.
   */
  resubscribeLost(subscription, lostId) {
    if (!subscription.active) return;
    const { stableMs } = this.options.reconnect;
    // a subscription that stayed up a while starts its backoff over; one lost again at once waits longer each time
    if (subscription.confirmedAt && Date.now() - subscription.confirmedAt >= stableMs) subscription.lostAttempt = 0;
    const attempt = subscription.lostAttempt || 0;
    subscription.lostAttempt = attempt + 1;
    const delay = backoffDelay(attempt, this.options.reconnect);
    this.timers.setTimeout(() => {
      // a reconnect meanwhile has resubscribed it already (a newer request id)
      if (subscription.active && subscription.requestId === lostId && this.socket && this.state === 'open') {
        this.sendSubscribe(subscription);
      }
    }, delay);
  }
}

/** Who is present on a stream: `members` ({user, fields}), kept current from presence, joined and left. */
export class Presence {
  constructor(onLeave = () => {}) {
    this.members = [];
    this.listeners = new Set();
    this.onLeave = onLeave;
  }

  reset(members) {
    this.members = [...members];
    this.notify();
  }

  joined(member) {
    this.members = [...this.members.filter((m) => m.user !== member.user), member];
    this.notify();
  }

  left(user) {
    this.members = this.members.filter((m) => m.user !== user);
    this.notify();
  }

  /** Called with the members after every change; returns a function that stops listening. */
  onChange(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Leaves the presence; the subscription goes on. */
  leave() {
    this.reset([]);
    this.onLeave();
  }

  notify() {
    for (const listener of this.listeners) call(listener, this.members);
  }
}

function call(handler, ...args) {
  if (!handler) return;
  try { handler(...args); } catch (e) { console.error('rowcast: handler failed', e); }
}

/**
 * A keyed, ordered collection of rows kept up to date from snapshot, changes and enter/leave: what a UI binds to.
 * Pass `collection.handlers` to subscribe(). Listeners get the rows after every change.
 */
export class LiveCollection {
  constructor({ key = 'id', compare = null } = {}) {
    this.key = key;
    this.compare = compare;
    this.map = new Map();
    this.listeners = new Set();
    this.handlers = {
      snapshot: (rows) => this.reset(rows),
      change: (event) => this.apply(event),
      enter: (event) => this.apply(event),
      leave: (event) => this.apply(event),
    };
  }

  reset(rows) {
    this.map = new Map(rows.map((row) => [row[this.key], row]));
    this.notify();
  }

  apply(event) {
    const id = event.primaryKey ? Object.values(event.primaryKey)[0] : event.row[this.key];
    if (event.type === 'afterDelete' || event.type === 'leave') this.map.delete(id);
    else if (event.type !== 'hidden') this.map.set(id, event.row);
    this.notify();
  }

  /**
   * Shows `row` at once, marked `pending: true` under a temporary key, until `promise` settles: then it goes, since
   * a proposal's result comes after the change that carries the real row. Returns the promise.
   */
  optimistic(row, promise) {
    const key = 'pending:' + (this.nextPending = (this.nextPending || 0) + 1);
    this.map.set(key, { ...row, [this.key]: key, pending: true });
    this.notify();
    const settle = () => { if (this.map.delete(key)) this.notify(); };
    promise.then(settle, settle);
    return promise;
  }

  rows() {
    const rows = [...this.map.values()];
    return this.compare ? rows.sort(this.compare) : rows;
  }

  get size() {
    return this.map.size;
  }

  onChange(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify() {
    const rows = this.rows();
    for (const listener of this.listeners) listener(rows);
  }
}
