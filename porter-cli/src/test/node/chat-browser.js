// porter chat --web in headless Chromium, driven by playwright-core (the system's browser; nothing downloaded):
// two tabs of the chat page and one TCP client (as nc would be) in the same room must see each other's lines.
// Usage: node chat-browser.js WEB_URL TCP_PORT SCREENSHOT.png
// Prints what it checked, one line each, and "ok" last; exits 1 with the reason otherwise.
'use strict';
const net = require('net');
const { chromium } = require('playwright-core');

const [webUrl, tcpPort, screenshot] = process.argv.slice(2);
const WAIT = 15000;

/** A TCP member: the lines it received, and a way to wait for one. */
function tcpMember(port) {
  return new Promise((resolve, reject) => {
    const lines = [];
    const waiters = [];
    let rest = '';
    const socket = net.connect(Number(port), '127.0.0.1', () => resolve({
      say: (line) => socket.write(line + '\n'),
      waitFor: (text) => new Promise((ok, fail) => {
        if (lines.some((l) => l.includes(text))) return ok();
        const timer = setTimeout(() => fail(new Error('TCP member never got "' + text + '"; got ' + JSON.stringify(lines))), WAIT);
        waiters.push({ text, done: () => { clearTimeout(timer); ok(); } });
      }),
      lines,
      close: () => socket.end(),
    }));
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      const parts = (rest + chunk).split(/\r?\n/);
      rest = parts.pop();
      for (const line of parts) {
        lines.push(line);
        for (let i = waiters.length - 1; i >= 0; i--) {
          if (line.includes(waiters[i].text)) { waiters[i].done(); waiters.splice(i, 1); }
        }
      }
    });
    socket.on('error', reject);
  });
}

async function sees(page, text) {
  await page.locator('#log li', { hasText: text }).first().waitFor({ timeout: WAIT });
}

async function type(page, text) {
  await page.fill('#text', text);
  await page.press('#text', 'Enter');
}

async function rename(page, nick) {
  await page.fill('#nick', nick);
  await page.press('#nick', 'Enter');
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox'], // the tests may run as root, where Chromium's sandbox refuses to start
  });
  const problems = [];
  try {
    const context = await browser.newContext({ viewport: { width: 880, height: 540 }, colorScheme: 'light' });
    const alice = await context.newPage();
    const bob = await context.newPage();
    for (const [name, page] of [['alice', alice], ['bob', bob]]) {
      // A CSP violation (an inline script or style, a connection elsewhere) is reported on the console.
      page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(name + ' console: ' + m.text()); });
      page.on('pageerror', (e) => problems.push(name + ' page error: ' + e.message));
    }
    const response = await alice.goto(webUrl);
    console.log('csp ' + response.headers()['content-security-policy']);
    await bob.goto(webUrl);
    for (const page of [alice, bob]) {
      await page.locator('#status', { hasText: 'connected' }).waitFor({ timeout: WAIT });
      await sees(page, 'welcome, you are guest');
    }
    const carol = await tcpMember(tcpPort);
    await carol.waitFor('* welcome, you are guest');
    carol.say('/nick carol');
    await sees(alice, 'is now carol');

    await rename(alice, 'alice');
    await sees(bob, 'is now alice');
    await rename(bob, 'bob');
    await sees(alice, 'is now bob');
    await carol.waitFor('is now bob');
    console.log('nicks alice bob carol');

    await type(alice, 'Hi Bob! This page talks WebSocket to Porter.');
    await sees(bob, 'Hi Bob! This page talks WebSocket to Porter.');
    await carol.waitFor('<alice> Hi Bob! This page talks WebSocket to Porter.');
    console.log('alice -> bob, carol');

    await type(bob, 'Hi Alice, and hello Carol on nc!');
    await sees(alice, 'Hi Alice, and hello Carol on nc!');
    await carol.waitFor('<bob> Hi Alice, and hello Carol on nc!');
    console.log('bob -> alice, carol');

    carol.say('Hello both, typing in a terminal: one room, two kinds of sockets.');
    await sees(alice, 'typing in a terminal');
    await sees(bob, 'typing in a terminal');
    console.log('carol -> alice, bob');

    await type(alice, '/who');
    await sees(alice, 'here: ');
    const who = await alice.locator('#log li', { hasText: 'here: ' }).first().textContent();
    for (const nick of ['alice', 'bob', 'carol']) if (!who.includes(nick)) problems.push('/who misses ' + nick + ': ' + who);
    console.log('who ' + who.replace(/^\d\d:\d\d/, '').trim());

    await bob.locator('#text').focus();
    await bob.screenshot({ path: screenshot });
    console.log('screenshot ' + screenshot);
    carol.close();
  } finally {
    await browser.close();
  }
  if (problems.length) throw new Error(problems.join('\n'));
  console.log('ok');
})().catch((e) => {
  console.log('failed: ' + e.message);
  process.exit(1);
});
