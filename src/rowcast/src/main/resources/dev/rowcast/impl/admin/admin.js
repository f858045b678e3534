'use strict';
// The admin page: its figures come over Rowcast's own socket, as a channel only the admin role may follow.
(function () {
  const HISTORY = 120;
  const $ = (id) => document.getElementById(id);
  const charts = { frames: [], lag: [] };
  let config = null;
  let previous = null;

  function rows(table, entries) {
    const body = $(table).tBodies[0];
    body.replaceChildren(...entries.map((cells) => {
      const tr = document.createElement('tr');
      cells.forEach((cell, i) => {
        const td = document.createElement('td');
        td.textContent = cell;
        if (i > 0 && typeof cell === 'number') td.className = 'number';
        tr.appendChild(td);
      });
      return tr;
    }));
  }

  function flatten(prefix, object, out) {
    for (const [name, value] of Object.entries(object)) {
      if (value && typeof value === 'object') flatten(prefix + name + '.', value, out);
      else out.push([prefix + name, value === null ? '(none)' : String(value)]);
    }
    return out;
  }

  function millis(value) {
    return value < 0 ? '–' : value > 10000 ? '>10000' : String(value);
  }

  function draw(canvas, values) {
    const context = $(canvas).getContext('2d');
    const { width, height } = context.canvas;
    context.clearRect(0, 0, width, height);
    const max = Math.max(1, ...values);
    context.strokeStyle = '#2f6fde';
    context.lineWidth = 1.5;
    context.beginPath();
    values.forEach((value, i) => {
      const x = width - (values.length - 1 - i) * (width / (HISTORY - 1));
      const y = height - 4 - (value / max) * (height - 16);
      if (i === 0) context.moveTo(x, y); else context.lineTo(x, y);
    });
    context.stroke();
    context.fillStyle = '#5b6475';
    context.fillText(String(Math.round(max)), 4, 10);
  }

  function push(series, value) {
    series.push(value);
    if (series.length > HISTORY) series.shift();
  }

  function show(row) {
    const seconds = previous ? Math.max(0.001, (row.at - previous.at) / 1000) : 0;
    const rate = (now, before) => (previous && seconds ? Math.max(0, (now - before) / seconds) : 0);
    const framesPerSecond = rate(row.frames, previous ? previous.frames : 0);
    $('engine-state').textContent = row.state;
    $('connections-open').textContent = row.connectionsOpen;
    $('frames-per-second').textContent = framesPerSecond.toFixed(1);
    $('lag').textContent = millis(row.lagP50Ms) + ' / ' + millis(row.lagP99Ms);
    $('queue').textContent = row.queueTasks;
    $('dropped').textContent = row.dropped;
    $('inbound').textContent = row.inbound;
    if (previous) {
      push(charts.frames, framesPerSecond);
      push(charts.lag, Math.max(0, Math.min(row.lagP99Ms, 10000)));
      draw('frames-chart', charts.frames);
      draw('lag-chart', charts.lag);
    }
    rows('channels', Object.entries(row.channels).map(([name, c]) => {
      const before = previous && previous.channels[name];
      const perSecond = before ? rate(c.frames, before.frames) : 0;
      return [name, c.streams, c.subscriptions, c.frames, Number(perSecond.toFixed(1)), c.bytes];
    }));
    $('channels').querySelectorAll('tbody tr').forEach((tr) => {
      tr.dataset.channel = tr.firstChild.textContent;
    });
    rows('closes', Object.entries(row.closes).filter(([, n]) => n > 0));
    rows('recent-closes', Object.values(row.recentCloses).reverse()
      .map((close) => [new Date(close.at).toLocaleTimeString(), close.code]));
    rows('errors', Object.entries(row.errors).filter(([, n]) => n > 0));
    rows('engine', [['connections opened', row.connectionsOpened], ['connections closed', row.connectionsClosed],
      ['queued bytes', row.queueBytes], ['restarts', row.restarts], ['replay served', row.replayServed],
      ['replay unavailable', row.replayUnavailable], ['backpressure pauses', row.backpressurePauses],
      ['4499 closes', row.fellBehind]]);
    previous = row;
  }

  function connect() {
    const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + config.endpoint;
    const socket = new WebSocket(url);
    $('state').textContent = 'connecting';
    socket.onopen = () => {
      $('state').textContent = 'open';
      $('error').textContent = '';
      socket.send(JSON.stringify({ type: 'subscribe', id: 'admin', channel: config.channel,
        scope: { col: 'id', value: config.row } }));
    };
    socket.onmessage = (message) => {
      const frame = JSON.parse(message.data);
      if (frame.type === 'snapshot' && frame.rows.length) show(frame.rows[0]);
      else if (frame.type === 'change' && frame.event.row) show(frame.event.row);
      else if (frame.type === 'error') $('error').textContent = frame.code + ': ' + frame.message;
    };
    socket.onclose = (event) => {
      $('state').textContent = 'closed (' + event.code + ')';
      setTimeout(connect, 2000);
    };
  }

  fetch('settings.json', { cache: 'no-store', credentials: 'same-origin' })
    .then((response) => {
      if (!response.ok) throw new Error('settings: HTTP ' + response.status);
      return response.json();
    })
    .then((loaded) => {
      config = loaded;
      rows('settings', flatten('', config.settings, []));
      connect();
    })
    .catch((e) => { $('error').textContent = String(e.message || e); });
}());
