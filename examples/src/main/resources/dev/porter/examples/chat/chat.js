// The Porter chat page: one WebSocket to /chat on the page's own origin. Every line from the room is a text
// message; every line typed is one. Lines are put on the page with textContent only, never as markup, and nothing
// here is inline, so the page runs under the strict Content-Security-Policy the server sends with it.
'use strict';

(() => {
  const NICK_KEY = 'porter-chat-nick';
  const MAX_LINES = 500;
  const log = document.getElementById('log');
  const scroller = document.getElementById('scroller');
  const status = document.getElementById('status');
  const say = document.getElementById('say');
  const text = document.getElementById('text');
  const nickForm = document.getElementById('nick-form');
  const nickInput = document.getElementById('nick');

  let ws = null;
  let me = null;
  let retries = 0;

  function setStatus(state, label) {
    status.className = 'status ' + state;
    status.textContent = label;
  }

  // The same nick gets the same colour on every page: a small hash picks one of eight classes of chat.css.
  function colour(nick) {
    let h = 0;
    for (const c of nick) h = (h * 31 + c.codePointAt(0)) >>> 0;
    return 'nick-' + (h % 8);
  }

  function time() {
    const d = new Date();
    return String(d.getHours()).padStart(2, '0') + ':' + String(d.getMinutes()).padStart(2, '0');
  }

  function span(cls, content) {
    const s = document.createElement('span');
    s.className = cls;
    s.textContent = content;
    return s;
  }

  // A line as the room says it: "* notice", or "<nick> words".
  function show(line, mine) {
    const stick = scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 8;
    const li = document.createElement('li');
    li.append(span('time', time()));
    const said = /^<([^>]{1,40})> ([\s\S]*)$/.exec(line);
    if (said) {
      li.className = mine ? 'message mine' : 'message';
      li.append(span('nick ' + colour(said[1]), said[1]), span('text', said[2]));
    } else {
      li.className = 'notice';
      li.append(span('text', line.startsWith('* ') ? line.slice(2) : line));
    }
    log.append(li);
    while (log.childElementCount > MAX_LINES) log.firstElementChild.remove();
    if (stick || mine) scroller.scrollTop = scroller.scrollHeight;
  }

  function learnNick(line) {
    let m = /^\* welcome, you are (\S+) \(/.exec(line);
    if (m) {
      me = m[1];
    } else if ((m = /^\* (\S+) is now (\S+)$/.exec(line)) && m[1] === me) {
      me = m[2];
      localStorage.setItem(NICK_KEY, me);
    } else {
      return;
    }
    nickInput.value = me;
    nickInput.placeholder = me;
  }

  function connect() {
    setStatus('connecting', retries ? 'reconnecting…' : 'connecting…');
    const url = location.origin.replace(/^http/, 'ws') + '/chat';
    ws = new WebSocket(url);
    ws.addEventListener('open', () => {
      retries = 0;
      setStatus('online', 'connected');
    });
    ws.addEventListener('message', (e) => {
      const line = String(e.data);
      const wasGuest = me === null;
      learnNick(line);
      show(line, false);
      const wanted = localStorage.getItem(NICK_KEY);
      if (wasGuest && me !== null && wanted && wanted !== me) ws.send('/nick ' + wanted);
    });
    ws.addEventListener('close', (e) => {
      me = null;
      setStatus('offline', 'offline, retrying');
      show('* disconnected (' + e.code + (e.reason ? ': ' + e.reason : '') + ')', false);
      retries++;
      setTimeout(connect, Math.min(10000, 500 * 2 ** Math.min(retries, 5)));
    });
  }

  say.addEventListener('submit', (e) => {
    e.preventDefault();
    const line = text.value;
    if (!line.trim() || !ws || ws.readyState !== WebSocket.OPEN) return;
    ws.send(line);
    // The room sends a line to everyone but its author: the page shows its own.
    if (!line.startsWith('/')) show('<' + (me || 'me') + '> ' + line, true);
    text.value = '';
  });

  nickForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const wanted = nickInput.value.trim();
    if (!wanted || wanted === me || !ws || ws.readyState !== WebSocket.OPEN) return;
    localStorage.setItem(NICK_KEY, wanted);
    ws.send('/nick ' + wanted);
    text.focus();
  });

  connect();
})();
