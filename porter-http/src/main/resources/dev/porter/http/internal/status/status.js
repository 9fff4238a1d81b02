// Porter's status page: reads one snapshot a second from status/events (server-sent events) and fills the page.
// No framework and nothing inline: the page's Content-Security-Policy allows this file and that stream only.
'use strict';
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var SVG = 'http://www.w3.org/2000/svg';
  var updates = 0;
  var violations = 0;

  // A policy violation would mean the page broke its own rules: count them where a test (or a person) can see.
  document.addEventListener('securitypolicyviolation', function () {
    violations++;
    document.body.dataset.cspViolations = String(violations);
  });

  function num(n) { return Math.round(n).toLocaleString('en-US'); }
  function rate(n) { return n >= 100 ? num(n) : (Math.round(n * 10) / 10).toLocaleString('en-US'); }
  function ms(v) {
    if (v === 0) return '–';
    if (v < 1) return (Math.round(v * 1000)) + ' µs';
    if (v < 100) return (Math.round(v * 10) / 10) + ' ms';
    if (v < 10000) return Math.round(v) + ' ms';
    return (Math.round(v / 100) / 10) + ' s';
  }
  function bytes(b) {
    if (b < 0) return 'none';
    var units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    var i = 0;
    while (b >= 1024 && i < units.length - 1) { b /= 1024; i++; }
    return (i === 0 ? b : Math.round(b * 10) / 10) + ' ' + units[i];
  }
  function age(s) {
    if (s < 60) return Math.floor(s) + ' s';
    if (s < 3600) return Math.floor(s / 60) + ' min ' + Math.floor(s % 60) + ' s';
    if (s < 86400) return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
    return Math.floor(s / 86400) + ' d ' + Math.floor((s % 86400) / 3600) + ' h';
  }
  function text(id, value) { $(id).textContent = value; }
  function cell(row, value, cls) {
    var td = document.createElement('td');
    td.textContent = value;
    if (cls) td.className = cls;
    row.appendChild(td);
    return td;
  }
  function replaceRows(tbody, rows) {
    while (tbody.firstChild) tbody.removeChild(tbody.firstChild);
    rows.forEach(function (r) { tbody.appendChild(r); });
  }

  function spark(series) {
    var svg = $('spark');
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    var top = Math.max.apply(null, series.concat([1]));
    var offset = 60 - series.length;
    series.forEach(function (v, i) {
      var h = v / top * 24;
      var r = document.createElementNS(SVG, 'rect');
      r.setAttribute('x', String(offset + i + 0.1));
      r.setAttribute('width', '0.8');
      r.setAttribute('y', String(24 - h));
      r.setAttribute('height', String(Math.max(h, v > 0 ? 0.5 : 0)));
      svg.appendChild(r);
    });
  }

  function update(s) {
    var r = s.requests, c = s.connections;
    text('uptime', age(s.uptimeSeconds));
    var ready = $('ready');
    ready.textContent = s.ready ? 'ready' : 'stopping';
    ready.className = 'badge ' + (s.ready ? 'ok' : 'bad');
    text('rps', rate(r.perSecond));
    text('total', num(r.total));
    spark(r.perSecondLastMinute);
    text('window', r.latencyMs.windowSeconds);
    ['p50', 'p90', 'p99', 'max'].forEach(function (k) { text(k, ms(r.latencyMs[k])); });
    text('timed', num(r.latencyMs.count));

    var total = 0;
    Object.keys(r.byClass).forEach(function (k) { total += r.byClass[k]; });
    replaceRows($('classes'), Object.keys(r.byClass).map(function (k) {
      var tr = document.createElement('tr');
      cell(tr, k, 'cls-' + k);
      cell(tr, num(r.byClass[k]), 'n');
      var m = document.createElement('meter');
      m.min = 0; m.max = 1; m.value = total ? r.byClass[k] / total : 0;
      cell(tr, '').appendChild(m);
      return tr;
    }));
    var codes = Object.keys(r.errors);
    replaceRows($('errors'), codes.map(function (code) {
      var tr = document.createElement('tr');
      cell(tr, code, 'code-' + code.charAt(0));
      cell(tr, num(r.errors[code]), 'n');
      return tr;
    }));
    $('no-errors').hidden = codes.length > 0;

    text('open', num(c.open));
    replaceRows($('states'), Object.keys(c.byState).map(function (k) {
      var li = document.createElement('li');
      li.appendChild(document.createTextNode(k + ' '));
      var b = document.createElement('b');
      b.textContent = num(c.byState[k]);
      li.appendChild(b);
      return li;
    }));
    text('accepted', num(c.accepted));
    text('rejected', num(c.rejected));
    text('closed', num(c.closed));
    replaceRows($('conns'), c.listed.map(function (k) {
      var tr = document.createElement('tr');
      cell(tr, k.id, 'n');
      cell(tr, k.peer + (k.tls ? ' 🔒' : ''));
      var st = document.createElement('span');
      st.className = 'state ' + k.state;
      st.textContent = k.state;
      cell(tr, '').appendChild(st);
      cell(tr, age(k.ageSeconds), 'n');
      cell(tr, bytes(k.bytesIn), 'n');
      cell(tr, bytes(k.bytesOut), 'n');
      cell(tr, k.activity || '');
      return tr;
    }));
    text('listed-note', c.truncated ? '(the oldest ' + c.listed.length + ' of ' + num(c.open) + ')' : '');

    var h = s.http2;
    text('h2-open', num(h.connectionsOpen));
    text('h2-streams-open', num(h.streamsOpen));
    text('h2-streams', num(h.streams));
    text('h2-resets', num(h.resetsReceived) + ' · ' + num(h.resetsSent));
    text('h2-connections', num(h.connections));

    text('conn-threads', num(s.threads.connectionThreads));
    text('platform', num(s.threads.platform));
    text('daemon', num(s.threads.daemon));
    text('peak', num(s.threads.peakPlatform));
    var limit = s.heap.max > 0 ? s.heap.max : s.heap.committed;
    $('heap-meter').value = limit ? s.heap.used / limit : 0;
    text('heap-used', bytes(s.heap.used));
    text('heap-committed', bytes(s.heap.committed));
    text('heap-max', bytes(s.heap.max));

    updates++;
    document.body.dataset.updates = String(updates);
  }

  function live(on) {
    var b = $('live');
    b.textContent = on ? 'live' : 'reconnecting…';
    b.className = 'badge ' + (on ? 'ok' : 'bad');
  }

  var source = new EventSource('status/events');
  source.onopen = function () { live(true); };
  source.onerror = function () { live(false); };
  source.onmessage = function (e) { update(JSON.parse(e.data)); };
})();
