// The browser client (src/rowcast-client/rowcast.js) under Node, for SubscriptionLossIT: follows one conversation and
// prints what its handlers see, one JSON object a line. Arguments: the client module's path, the endpoint url, a
// bearer token, the conversation id. Node 20 needs --experimental-websocket for its WebSocket.
import { pathToFileURL } from 'node:url';

const [modulePath, url, token, conversation] = process.argv.slice(2);
const { connect } = await import(pathToFileURL(modulePath).href);
const print = (line) => process.stdout.write(JSON.stringify(line) + '\n');

const client = connect({ url, token: async () => token, window: null,
  reconnect: { initialDelayMs: 200, maxDelayMs: 1000, jitter: 0 } });
client.on('state', (change) => print({ on: 'state', state: change.state, code: change.code }));
client.on('error', (frame) => print({ on: 'client-error', code: frame.code }));
client.subscribe('message', { col: 'conversation_id', value: Number(conversation) }, {
  subscribed: (frame) => print({ on: 'subscribed', id: frame.id }),
  snapshot: (rows) => print({ on: 'snapshot', bodies: rows.map((row) => row.body) }),
  change: (event) => print({ on: 'change', body: event.row.body }),
  error: (frame) => print({ on: 'error', code: frame.code, id: frame.id }),
});
process.stdin.on('end', () => { client.close(); process.exit(0); }); // the test ends us by closing stdin
process.stdin.resume();
