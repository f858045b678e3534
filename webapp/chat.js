// The reference chat page: sign in, pick a conversation, watch it live through rowcast.js.
import { connect, LiveCollection } from './rowcast.js';

const $ = (id) => document.getElementById(id);
const session = { user: null, password: null, token: null, client: null, subscription: null, conversation: null };
const conversations = new Map();
const messages = new LiveCollection({
  compare: (a, b) => String(a.created_at).localeCompare(String(b.created_at)) || a.id - b.id,
});

/** Fetches a fresh bearer token with the demo credentials; used at sign-in and at every (re)connect. */
async function freshToken() {
  const response = await fetch('/api/tokens?ttl=3600', {
    method: 'POST', headers: { Authorization: 'Basic ' + btoa(session.user + ':' + session.password) },
  });
  if (!response.ok) throw new Error(response.status === 401 ? 'Wrong user or password.' : 'Sign-in failed.');
  session.token = (await response.json()).token;
  tokenCookies(session.token, 3600);
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
  const response = await fetch('/api/' + path, {
    method,
    headers: { Authorization: 'Bearer ' + session.token, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401 && !retried) { await freshToken(); return api(method, path, body, true); }
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) throw new Error((json && json.error) || response.statusText);
  return json;
}

function showError(message) {
  $('app-error').textContent = message || '';
}

// --- sign in and out ---

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  session.user = $('login-user').value;
  session.password = $('login-password').value;
  try {
    await freshToken();
  } catch (e) {
    $('login-error').textContent = e.message;
    return;
  }
  $('login-error').textContent = '';
  $('login').hidden = true;
  $('app').hidden = false;
  $('logout').hidden = false;
  $('whoami').textContent = session.user;
  $('admin-link').hidden = session.user !== 'admin'; // the demo's one admin; the server checks the role
  session.client = connect({
    url: location.origin.replace(/^http/, 'ws') + '/ws',
    token: freshToken,
  });
  session.client.on('state', ({ state, code }) => {
    $('state').textContent = state + (state !== 'open' && code ? ' (' + code + ')' : '');
    $('state').className = 'badge badge-' + state;
  });
  window.rowcastDemo = { client: session.client, messages }; // for tests and the curious
  await loadConversations();
});

$('logout').addEventListener('click', () => {
  tokenCookies('', 0);
  location.reload();
});

// --- conversations ---

let listRequests = 0;

async function loadConversations(select) {
  const request = ++listRequests;
  const list = await api('GET', 'conversations');
  if (request !== listRequests) return; // a newer list was asked for meanwhile; this one may be stale
  conversations.clear();
  list.forEach((c) => conversations.set(c.id, c));
  renderConversations();
  const target = select ?? session.conversation ?? (list[0] && list[0].id);
  if (target !== undefined && target !== null) openConversation(target);
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
  session.conversation = id;
  messages.reset([]);
  $('conversation-title').textContent = conversations.get(id)?.title ?? 'Conversation ' + id;
  $('conversation-meta').textContent = '#' + id;
  $('composer').hidden = false;
  $('add-member-form').hidden = false;
  renderConversations();
  session.subscription = session.client.subscribe('message', { col: 'conversation_id', value: id }, {
    ...messages.handlers,
    // replay_unavailable and snapshot_unavailable only say the stream started over: the rows stay right
    error: (frame) => INFORMATIONAL.has(frame.code) || showError(frame.code + ': ' + frame.message),
  });
}

$('new-conversation').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const created = await api('POST', 'conversations', { title: $('new-conversation-title').value });
    $('new-conversation-title').value = '';
    await loadConversations(created.id);
  } catch (e) { showError(e.message); }
});

$('add-member-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await api('POST', 'conversations/' + session.conversation + '/members', { user: $('member-name').value });
    $('member-name').value = '';
    showError('');
  } catch (e) { showError(e.message); }
});

// --- messages ---

$('composer').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await api('POST', 'conversations/' + session.conversation + '/messages',
      { body: $('composer-body').value, private: $('composer-private').checked });
    $('composer-body').value = '';
    showError('');
  } catch (e) { showError(e.message); }
});

const INFORMATIONAL = new Set(['replay_unavailable', 'snapshot_unavailable']);
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
});

function renderMessage(row) {
  const li = document.createElement('li');
  const mine = row.author === session.user;
  li.className = 'message' + (mine ? ' mine' : '') + (row.private ? ' private' : '');
  li.dataset.id = row.id;
  const meta = document.createElement('div');
  meta.className = 'meta';
  const author = document.createElement('span');
  author.className = 'author';
  author.textContent = row.author;
  const time = document.createElement('time');
  time.textContent = row.created_at ? new Date(row.created_at).toLocaleTimeString() : '';
  meta.append(author, time);
  if (row.private) meta.append(Object.assign(document.createElement('span'), { textContent: '🔒 private' }));
  if (mine || session.user === 'admin') meta.append(actions(row));
  const body = document.createElement('div');
  body.className = 'body';
  body.textContent = row.body;
  li.append(meta, body);
  if (seen.has(row.id) && seen.get(row.id) !== row.version) li.classList.add('flash');
  seen.set(row.id, row.version);
  return li;
}

function actions(row) {
  const box = document.createElement('span');
  box.className = 'actions';
  const edit = button('Edit', 'edit', async () => {
    const body = prompt('Edit message', row.body);
    if (body !== null && body.trim()) await act(() => api('PUT', 'messages/' + row.id, { body }));
  });
  const remove = button('Delete', 'delete', () => act(() => api('DELETE', 'messages/' + row.id)));
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

async function act(call) {
  try { await call(); showError(''); } catch (e) { showError(e.message); }
}
