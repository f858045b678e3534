// The reference chat page: sign in, pick a conversation, watch it live and talk back through rowcast.js.
import { connect, LiveCollection } from './rowcast.js';

const $ = (id) => document.getElementById(id);
const STORED = 'rowcast-chat-session'; // the token only, never the password: a reload keeps you signed in
const session = {
  user: null, password: null, token: null, client: null, subscription: null, conversation: null, presence: null,
  members: null,
};
const conversations = new Map();
const messages = new LiveCollection({
  compare: (a, b) => String(a.created_at).localeCompare(String(b.created_at))
    || (typeof a.id === 'number' && typeof b.id === 'number' ? a.id - b.id : String(a.id).localeCompare(String(b.id))),
});

/** Seconds since the epoch at which a JWT expires, or 0 when it cannot be read. */
function expiry(token) {
  try {
    return JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).exp || 0;
  } catch (e) {
    return 0;
  }
}

const fresh = (token) => token && expiry(token) * 1000 > Date.now() + 30_000;

/** A bearer token: the current one while it lasts, else a new one with the password typed at sign-in. */
async function token() {
  if (fresh(session.token)) return session.token;
  if (!session.password) {
    signOut('Your session expired. Please sign in again.');
    throw new Error('session expired');
  }
  const response = await fetch('/api/tokens?ttl=3600', {
    method: 'POST', headers: { Authorization: 'Basic ' + btoa(session.user + ':' + session.password) },
  });
  if (!response.ok) throw new Error(response.status === 401 ? 'Wrong user or password.' : 'Sign-in failed.');
  session.token = (await response.json()).token;
  tokenCookies(session.token, 3600);
  sessionStorage.setItem(STORED, JSON.stringify({ user: session.user, token: session.token }));
  return session.token;
}

/**
 * Rowcast's admin page (rowcast.admin.path) and its socket are opened by the browser itself, so they authenticate
 * with the token in a cookie; it is scoped to those two paths, never sent to the API.
 */
function tokenCookies(token, maxAge) {
  for (const path of ['/rowcast-admin', '/ws']) {
    document.cookie = 'rowcast_token=' + token + '; path=' + path + '; max-age=' + maxAge + '; SameSite=Strict';
  }
}

async function api(method, path, body, retried = false) {
  let response;
  try {
    response = await fetch('/api/' + path, {
      method,
      headers: { Authorization: 'Bearer ' + await token(), 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw Object.assign(new Error('The server cannot be reached right now.'), { network: true });
  }
  if (response.status === 401 && !retried) { session.token = null; return api(method, path, body, true); }
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) throw new Error((json && json.error) || response.statusText);
  return json;
}

let networkError = false;
function showError(message, network = false) {
  $('app-error').textContent = message || '';
  networkError = Boolean(message) && network;
}

const act = async (call) => {
  try { await call(); showError(''); } catch (e) { showError(e.message, e.network); }
};

// --- sign in and out ---

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  session.user = $('login-user').value;
  session.password = $('login-password').value;
  session.token = null;
  try {
    await token();
  } catch (e) {
    $('login-error').textContent = e.message;
    return;
  }
  $('login-error').textContent = '';
  $('login-password').value = '';
  start();
});

$('logout').addEventListener('click', () => signOut());

function signOut(reason) {
  sessionStorage.removeItem(STORED);
  tokenCookies('', 0);
  if (session.client) session.client.close();
  Object.assign(session, { user: null, password: null, token: null, client: null, subscription: null,
    conversation: null, presence: null, members: null });
  $('app').hidden = true;
  $('logout').hidden = true;
  $('login').hidden = false;
  $('whoami').textContent = '';
  showState('closed', null);
  $('login-error').textContent = reason || '';
}

// --- connection state ---

const STATE_LABELS = { connecting: 'Connecting…', open: 'Live', reconnecting: 'Reconnecting…', closed: 'Signed out' };
const CLOSE_REASONS = {
  1001: 'the server is restarting', 1006: 'the connection dropped', 4401: 'your session was renewed',
  4408: 'the connection stopped answering', 4429: 'too many messages were sent', 4499: 'the connection fell behind',
};

function showState(state, code) {
  const badge = $('state');
  const offline = state === 'reconnecting' && typeof navigator !== 'undefined' && navigator.onLine === false;
  badge.textContent = offline ? 'Offline' : STATE_LABELS[state] || state;
  badge.dataset.state = state;
  badge.className = 'badge badge-' + (offline ? 'offline' : state);
  badge.title = state === 'reconnecting' ? 'Reconnecting: ' + (CLOSE_REASONS[code] || 'the connection was lost')
    : state === 'open' ? 'Changes arrive as they are committed' : '';
  const live = state === 'open';
  $('post-button').disabled = !live;
  $('post-button').title = live ? '' : 'Waiting for the connection';
  if (live && networkError) showError(''); // what failed while offline is over now
}

window.addEventListener('offline', () => session.client && showState(session.client.state, session.client.closeCode));

function start() {
  $('login').hidden = true;
  $('app').hidden = false;
  $('logout').hidden = false;
  $('whoami').textContent = session.user;
  $('admin-link').hidden = session.user !== 'admin'; // the demo's one admin; the server checks the role
  session.client = connect({ url: location.origin.replace(/^http/, 'ws') + '/ws', token });
  session.client.on('state', ({ state, code }) => showState(state, code));
  showState(session.client.state, null);
  window.rowcastDemo = { client: session.client, messages }; // for tests and the curious
  // my memberships, live: someone adds me to a conversation (or removes me) and the list follows at once
  const mine = new LiveCollection();
  mine.onChange(() => refreshConversations());
  session.client.subscribe('membership', { col: 'username', value: session.user }, {
    ...mine.handlers,
    error: (frame) => INFORMATIONAL.has(frame.code) || showError(frame.code + ': ' + frame.message),
  });
  refreshConversations();
}

let refreshTimer = null;
/** Reloads the list (titles come from the API) once a burst of membership changes is over. */
function refreshConversations() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => loadConversations().catch((e) => showError(e.message, e.network)), 50);
}

// --- conversations ---

let listRequests = 0;
let wanted = null; // a conversation just created: whichever list load comes last opens it

async function loadConversations(select) {
  const request = ++listRequests;
  const list = await api('GET', 'conversations');
  if (request !== listRequests) return; // a newer list was asked for meanwhile; this one may be stale
  conversations.clear();
  list.forEach((c) => conversations.set(c.id, c));
  if (session.conversation !== null && !conversations.has(session.conversation) && select === undefined) {
    closeConversation('You are no longer a member of that conversation.');
  }
  renderConversations();
  if (wanted !== null && conversations.has(wanted)) { select = wanted; wanted = null; }
  const target = select ?? session.conversation ?? (list[0] && list[0].id);
  if (target !== undefined && target !== null) openConversation(target);
}

function closeConversation(notice) {
  if (session.subscription) session.subscription.unsubscribe();
  if (session.members) session.members.unsubscribe();
  Object.assign(session, { subscription: null, members: null, presence: null, conversation: null });
  messages.reset([]);
  typing.clear();
  renderTyping();
  $('conversation-title').textContent = 'Pick a conversation';
  $('conversation-meta').textContent = '';
  $('composer').hidden = true;
  $('members-box').hidden = true;
  $('presence').hidden = true;
  showError(notice);
}

function renderConversations() {
  const ul = $('conversations');
  ul.replaceChildren(...[...conversations.values()].map((c) => {
    const li = document.createElement('li');
    li.textContent = c.title;
    li.dataset.id = c.id;
    li.className = c.id === session.conversation ? 'active' : '';
    li.addEventListener('click', () => openConversation(c.id));
    return li;
  }));
  if (!conversations.size) {
    const li = document.createElement('li');
    li.className = 'muted';
    li.textContent = 'None yet: create one.';
    ul.append(li);
  }
}

function openConversation(id) {
  if (id === session.conversation && session.subscription && session.subscription.active) {
    renderConversations(); // already following it: keep the rows and the stream position
    return;
  }
  if (session.subscription) session.subscription.unsubscribe();
  if (session.members) session.members.unsubscribe();
  session.conversation = id;
  messages.reset([]);
  typing.clear();
  renderTyping();
  $('conversation-title').textContent = conversations.get(id)?.title ?? 'Conversation ' + id;
  $('conversation-meta').textContent = '#' + id;
  $('composer').hidden = false;
  $('members-box').hidden = false;
  $('member-status').textContent = '';
  renderConversations();
  session.subscription = session.client.subscribe('message', { col: 'conversation_id', value: id }, {
    ...messages.handlers,
    // replay_unavailable and snapshot_unavailable only say the stream started over: the rows stay right
    error: (frame) => INFORMATIONAL.has(frame.code) || showError(frame.code + ': ' + frame.message),
    broadcast: onBroadcast,
  });
  session.presence = session.subscription.presence();
  session.presence.onChange(renderPresence);
  renderPresence([]);
  memberRows.reset([]);
  session.members = session.client.subscribe('membership', { col: 'conversation_id', value: id },
    memberRows.handlers);
}

$('new-conversation').addEventListener('submit', (event) => {
  event.preventDefault();
  act(async () => {
    const created = await api('POST', 'conversations', { title: $('new-conversation-title').value });
    $('new-conversation-title').value = '';
    wanted = created.id;
    await loadConversations();
  });
});

// --- members and who is online ---

let memberNames = [];
const memberRows = new LiveCollection({ compare: (a, b) => a.username.localeCompare(b.username) });
memberRows.onChange((rows) => { memberNames = rows.map((row) => row.username); renderMembers(); });

function online() {
  return new Set((session.presence ? session.presence.members : []).map((m) => m.user));
}

function renderMembers() {
  const here = online();
  $('members').replaceChildren(...memberNames.map((name) => {
    const li = document.createElement('li');
    li.textContent = name;
    li.className = here.has(name) ? 'online' : '';
    li.title = here.has(name) ? 'here now' : '';
    return li;
  }));
}

function renderPresence(members) {
  const others = members.map((m) => m.user).filter((user) => user !== session.user);
  const line = $('presence');
  line.hidden = false;
  if (!others.length) {
    line.textContent = members.length ? 'Only you are here right now.' : '';
  } else {
    const who = document.createElement('span');
    who.className = 'who';
    who.textContent = others.join(', ');
    line.replaceChildren('Here now: ', who);
  }
  renderMembers();
}

$('add-member-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const status = $('member-status');
  const name = $('member-name').value.trim();
  if (!name) return;
  if (memberNames.includes(name)) {
    status.textContent = name + ' is already a member.';
    status.className = 'hint';
    return;
  }
  try {
    await api('POST', 'conversations/' + session.conversation + '/members', { user: name });
    $('member-name').value = '';
    status.textContent = 'Added ' + name + '.';
    status.className = 'hint ok'; // the member list shows them once the membership commits
  } catch (e) {
    status.textContent = e.message.endsWith('not found') ? 'There is no user called "' + name + '".' : e.message;
    status.className = 'hint error';
  }
});

// --- typing ---

const typing = new Map(); // user -> timer that forgets them
const TYPING_SHOWN_MS = 4000;
let typingSent = 0;

function onBroadcast(message) {
  const user = message.from && message.from.user;
  if (message.event !== 'typing' || !user || user === session.user) return;
  clearTimeout(typing.get(user));
  if (message.data && message.data.typing) typing.set(user, setTimeout(() => { typing.delete(user); renderTyping(); }, TYPING_SHOWN_MS));
  else typing.delete(user);
  renderTyping();
}

function renderTyping() {
  const users = [...typing.keys()];
  $('typing').textContent = !users.length ? '' : users.length === 1 ? users[0] + ' is typing…'
    : users.slice(0, -1).join(', ') + ' and ' + users[users.length - 1] + ' are typing…';
}

$('composer-body').addEventListener('input', () => {
  if (!session.subscription) return;
  const now = Date.now();
  // the client throttles too; once a second is plenty to keep "is typing" alive on the other side
  if (now - typingSent > 1000 || !$('composer-body').value) {
    typingSent = now;
    session.subscription.broadcast('typing', { typing: Boolean($('composer-body').value) });
  }
});

// --- messages ---

$('composer').addEventListener('submit', (event) => {
  event.preventDefault();
  const body = $('composer-body').value.trim();
  if (!body || !session.client) return;
  const isPrivate = $('composer-private').checked;
  const conversation = session.conversation;
  $('composer-body').value = '';
  $('composer-private').checked = false;
  session.subscription.broadcast('typing', { typing: false });
  typingSent = 0;
  // shown at once as pending; the real row replaces it when the proposal's result arrives (it follows the change)
  const sent = session.client.propose('message.create', { conversationId: conversation, body, private: isPrivate });
  messages.optimistic({ author: session.user, body, private: isPrivate, conversation_id: conversation,
    created_at: new Date().toISOString() }, sent);
  sent.then(() => showError(''), (e) => {
    if (!$('composer-body').value) $('composer-body').value = body; // give the text back to edit and resend
    showError(e.code === 'connection_lost' ? 'The connection dropped while sending; check whether your message '
      + 'arrived before sending it again.' : 'Not sent: ' + (e.frame ? e.frame.message : e.message));
  });
});

// rowcast.js recovers from these by itself (a snapshot, or a resubscribe from the last position): nothing to show
const INFORMATIONAL = new Set(['replay_unavailable', 'snapshot_unavailable', 'subscription_lost']);
const seen = new Map(); // id -> version, to flash rows that changed
messages.onChange((rows) => {
  const ul = $('messages');
  if (!rows.length) {
    const empty = document.createElement('li');
    empty.className = 'empty';
    empty.textContent = 'No messages yet.';
    ul.replaceChildren(empty);
    return;
  }
  ul.replaceChildren(...rows.map(renderMessage));
  ul.scrollTop = ul.scrollHeight;
  for (const row of rows) if (!row.pending && typing.has(row.author)) { clearTimeout(typing.get(row.author)); typing.delete(row.author); renderTyping(); }
});

function renderMessage(row) {
  const li = document.createElement('li');
  const mine = row.author === session.user;
  li.className = 'message' + (mine ? ' mine' : '') + (row.private ? ' private' : '') + (row.pending ? ' pending' : '');
  if (!row.pending) li.dataset.id = row.id;
  const meta = document.createElement('div');
  meta.className = 'meta';
  const author = document.createElement('span');
  author.className = 'author';
  author.textContent = row.author;
  const time = document.createElement('time');
  time.textContent = row.created_at ? new Date(row.created_at).toLocaleTimeString() : '';
  meta.append(author, time);
  if (row.private) meta.append(Object.assign(document.createElement('span'), { textContent: '🔒 private' }));
  if (!row.pending && (mine || session.user === 'admin')) meta.append(actions(row));
  const body = document.createElement('div');
  body.className = 'body';
  body.textContent = row.body;
  li.append(meta, body);
  if (!row.pending) {
    if (seen.has(row.id) && seen.get(row.id) !== row.version) li.classList.add('flash');
    seen.set(row.id, row.version);
  }
  return li;
}

function actions(row) {
  const box = document.createElement('span');
  box.className = 'actions';
  const edit = button('Edit', 'edit', async () => {
    const body = prompt('Edit message', row.body);
    if (body !== null && body.trim()) await act(() => api('PUT', 'messages/' + row.id, { body }));
  });
  const remove = button('Delete', 'delete', () => {
    if (confirm('Delete this message? This cannot be undone.')) act(() => api('DELETE', 'messages/' + row.id));
  });
  const move = document.createElement('select');
  move.className = 'move';
  move.append(new Option('Move to…', ''));
  for (const c of conversations.values()) if (c.id !== row.conversation_id) move.append(new Option(c.title, c.id));
  move.addEventListener('change', () => move.value
    && act(() => api('PUT', 'messages/' + row.id, { conversationId: Number(move.value) })));
  box.append(edit, remove, move);
  return box;
}

function button(label, className, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.className = className;
  b.addEventListener('click', onClick);
  return b;
}

// --- a reload keeps the session while its token lasts ---

const stored = JSON.parse(sessionStorage.getItem(STORED) || 'null');
if (stored && fresh(stored.token)) {
  session.user = stored.user;
  session.token = stored.token;
  tokenCookies(stored.token, Math.max(0, expiry(stored.token) - Math.floor(Date.now() / 1000)));
  start();
} else {
  sessionStorage.removeItem(STORED);
  showState('closed', null);
}
