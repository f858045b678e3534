// The outside anchor of the benchmark: a minimal Node `ws` broadcaster doing what Rowcast's fan-out does, nothing
// more. Scope value -> set of sockets; each event serialized once and sent to every socket of its scope. It answers the
// same requests as the benchmark WAR, so bench.mjs measures it with the same scenarios:
//   ws://127.0.0.1:PORT/ws    a client subscribes with Rowcast's subscribe frame (scope.value is the topic)
//   ws://127.0.0.1:PORT/raw?topic=N
//   POST /api/bench/commit?n&topics&rate&maxSeconds   and   POST /api/bench/raw?...   drive n events
//
//   node ws-broadcaster.mjs --port 18090
import http from 'node:http';
import { WebSocketServer } from 'ws';

const port = Number(process.argv[process.argv.indexOf('--port') + 1] || 18090);
const PAYLOAD = '0123456789'.repeat(10); // as BenchResource.PAYLOAD
const MAX_N = 2_000_000;
const topics = new Map(); // topic -> Set<WebSocket>

const nowUs = () => Math.round((performance.timeOrigin + performance.now()) * 1000);

function frame(id, topic, sentUs) { // the shape of BenchResource.frame
  return `{"type":"change","channel":"bench_row","scope":{"col":"topic","value":${topic}},"event":{"type":"afterInsert",`
    + `"table":"bench_row","primaryKey":{"id":${id}},"row":{"id":${id},"payload":"${PAYLOAD}","sent_us":${sentUs},`
    + `"topic":${topic}}}}`;
}

function join(ws, topic) {
  if (!topics.has(topic)) topics.set(topic, new Set());
  topics.get(topic).add(ws);
  ws.on('close', () => topics.get(topic)?.delete(ws));
  ws.send('{"type":"subscribed"}');
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (req.method !== 'POST' || !/^\/api\/bench\/(commit|raw)$/.test(url.pathname)) {
    res.writeHead(404).end();
    return;
  }
  const q = (name, def) => Number(url.searchParams.get(name) ?? def);
  const n = Math.max(0, Math.min(q('n', 1000), MAX_N));
  const topicCount = Math.max(1, q('topics', 10));
  const rate = Math.max(0, q('rate', 0));
  const deadline = performance.now() + Math.max(1, Math.min(q('maxSeconds', 60), 600)) * 1000;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let done = 0;
  let sends = 0;
  const finish = () => {
    const seconds = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
      n: done, sends, seconds, perSecond: seconds > 0 ? done / seconds : 0, threadCpuUs: cpu.user + cpu.system,
    }));
  };
  // flat out in slices, so the event loop still writes to sockets; paced runs wait for each event's slot
  const step = () => {
    const sliceEnd = performance.now() + 5;
    while (done < n && performance.now() < deadline) {
      if (rate > 0) {
        const due = start + (done * 1000) / rate;
        if (performance.now() < due) { setTimeout(step, Math.max(0, due - performance.now())); return; }
      } else if (performance.now() > sliceEnd) { setImmediate(step); return; }
      const topic = done % topicCount;
      const text = frame(done + 1, topic, nowUs());
      for (const ws of topics.get(topic) || []) { ws.send(text); sends++; }
      done++;
    }
    finish();
  };
  step();
});

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
server.on('upgrade', (req, socket, head) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname !== '/ws' && url.pathname !== '/raw') { socket.destroy(); return; }
  wss.handleUpgrade(req, socket, head, (ws) => {
    if (url.pathname === '/raw') { join(ws, Number(url.searchParams.get('topic') ?? 0)); return; }
    ws.once('message', (data) => {
      try { join(ws, Number(JSON.parse(data).scope.value)); } catch { ws.close(1003); }
    });
  });
});
server.listen(port, '127.0.0.1', () => console.log(`ws-broadcaster on 127.0.0.1:${port}`));
