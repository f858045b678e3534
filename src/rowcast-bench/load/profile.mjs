// Summarises a JFR recording of the server: node profile.mjs <file.jfr> -> JSON on stdout.
// Java samples (jdk.ExecutionSample) by thread, by leaf method, and by "where the time goes" buckets that are
// matched anywhere in the stack; native samples (jdk.NativeMethodSample) by leaf, idle waits left out.
import { execFileSync } from 'node:child_process';

const file = process.argv[2];
const json = JSON.parse(execFileSync('jfr', ['print', '--json', '--stack-depth', '300', '--events', 'jdk.ExecutionSample,jdk.NativeMethodSample',
  file], { maxBuffer: 1 << 30 }).toString());

const name = (f) => `${f.method.type.name.replaceAll('/', '.')}.${f.method.name}`;
const threadGroup = (t) => (t?.javaName ?? t?.osName ?? '?').replace(/[-(]?\d+\)?$/g, '').replace(/[-#]?\d+$/, '');

// where the time goes: see the classification in summarise()
const BUCKETS = [
  ['idle-timer re-arm (Tyrus restartIdleTimeoutExecutor → managed executor schedule/context save)',
    /restartIdleTimeoutExecutor|ContextSetupProviderImpl|ManagedScheduledExecutorService|ManagedScheduledThreadPool/],
  ['ServiceLoader / class-loader resource scans', /java\.util\.ServiceLoader|ClassLoader\.getResources|findResources|URLClassPath/],
  ['Weld (CDI event fire, contexts)', /^org\.jboss\.weld\./],
  ['H2 database', /^org\.h2\./],
  ['Hibernate', /^org\.hibernate\./],
  ['JTA / transaction interceptor', /com\.sun\.enterprise\.transaction|TransactionalInterceptor|jakarta\.transaction/],
  ['Rowcast frame building (JSON)', /dev\.rowcast\.impl\.(json|dispatch\.ChangeFrames)/],
  ['Grizzly write / NIO', /org\.glassfish\.grizzly|sun\.nio\.ch/],
  ['Tyrus (frame encoding, UTF-8, send path)', /org\.glassfish\.tyrus/],
  ['Rowcast dispatch / queues', /dev\.rowcast\.impl/],
  ['JFR itself', /jdk\.jfr/],
];
const IDLE = /EPoll\.wait|Unsafe\.park|Object\.wait|Thread\.sleep|accept|Net\.poll|EPollPort|SelectorImpl|IOUtil\.drain/;

function summarise(type) {
  const events = json.recording.events.filter((e) => e.type === type);
  const byThread = new Map(), byLeaf = new Map(), byBucket = new Map(), otherLeaf = new Map();
  const perThread = new Map();
  let counted = 0;
  for (const e of events) {
    const frames = e.values.stackTrace?.frames ?? [];
    if (!frames.length) continue;
    const leaf = name(frames[0]);
    if (type === 'jdk.NativeMethodSample' && IDLE.test(leaf)) continue;
    counted++;
    const t = threadGroup(e.values.sampledThread);
    byThread.set(t, (byThread.get(t) ?? 0) + 1);
    byLeaf.set(leaf, (byLeaf.get(leaf) ?? 0) + 1);
    const names = frames.map(name);
    // the idle-timer re-arm counts wherever it is in the stack; otherwise the bucket of the frame nearest the leaf
    let bucket = names.some((n) => BUCKETS[0][1].test(n)) ? BUCKETS[0][0] : 'other';
    if (bucket === 'other') {
      for (const n of names) {
        const hit = BUCKETS.slice(1).find(([, re]) => re.test(n));
        if (hit) { bucket = hit[0]; break; }
      }
    }
    byBucket.set(bucket, (byBucket.get(bucket) ?? 0) + 1);
    if (!perThread.has(t)) perThread.set(t, new Map());
    perThread.get(t).set(bucket, (perThread.get(t).get(bucket) ?? 0) + 1);
    if (bucket === 'other') otherLeaf.set(names.slice(0, 3).join(' < '), (otherLeaf.get(names.slice(0, 3).join(' < ')) ?? 0) + 1);
  }
  const top = (m, k) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k)
    .map(([key, n]) => ({ key, samples: n, share: n / counted }));
  return { samples: counted, threads: top(byThread, 10), leaves: top(byLeaf, 15), buckets: top(byBucket, 20), other: top(otherLeaf, 8),
    byThread: top(byThread, 3).map(({ key }) => ({ thread: key, samples: byThread.get(key),
      buckets: [...perThread.get(key)].sort((a, b) => b[1] - a[1]).slice(0, 6)
        .map(([b, n]) => ({ key: b, samples: n, share: n / byThread.get(key) })) })) };
}

process.stdout.write(JSON.stringify({
  file, java: summarise('jdk.ExecutionSample'), native: summarise('jdk.NativeMethodSample'),
}) + '\n');
