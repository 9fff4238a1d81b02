// Browser tests of `porter serve`, run by dev.porter.cli.ServeBrowserTest: Playwright (playwright-core, no
// bundled browser) drives Debian's Chromium against servers the JUnit test started. Each check prints one line;
// the last line is "N passed, N failed", and the exit code is 1 if any failed.
//
// Environment: LISTING_URL (porter serve --upload --mkdir --archives, ending in /), SPA_URL (porter serve --spa),
// UPLOAD_FILE (a file to upload through the form), OUT (folder for downloads and screenshots).
import { chromium } from 'playwright-core';
import path from 'node:path';

const { LISTING_URL, SPA_URL, UPLOAD_FILE, OUT } = process.env;
const results = [];

async function check(name, fn) {
  try {
    await fn();
    results.push([name, null]);
    console.log(`ok   ${name}`);
  } catch (e) {
    results.push([name, e]);
    console.log(`FAIL ${name}: ${e && e.stack ? e.stack : e}`);
  }
}

function expect(cond, what) {
  if (!cond) throw new Error(what);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox'], // tests run as root in CI, where Chromium's sandbox cannot start
});
try {
  const context = await browser.newContext({ colorScheme: 'light', viewport: { width: 1000, height: 640 } });
  const page = await context.newPage();
  const cspViolations = [];
  // Only CSP reports count: a 404 for /favicon.ico is a console error too, and an expected one.
  page.on('console', (m) => { if (/Content.Security.Policy/i.test(m.text())) cspViolations.push(m.text()); });

  // First, while the folder is as the test made it (later checks upload into it).
  await check('screenshots of the listing: light, dark, phone', async () => {
    await page.goto(LISTING_URL);
    await page.screenshot({ path: path.join(OUT, 'serve-listing-light.png') });
    const dark = await browser.newContext({ colorScheme: 'dark', viewport: { width: 1000, height: 640 } });
    const d = await dark.newPage();
    await d.goto(LISTING_URL);
    await d.screenshot({ path: path.join(OUT, 'serve-listing-dark.png') });
    await dark.close();
    const phone = await browser.newContext({ colorScheme: 'light', viewport: { width: 390, height: 760 },
      deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const ph = await phone.newPage();
    await ph.goto(LISTING_URL);
    await ph.screenshot({ path: path.join(OUT, 'serve-listing-phone.png') });
    await phone.close();
  });
  await check('the listing sorts by size and back through its column links', async () => {
    await page.goto(LISTING_URL);
    const names = async () => page.$$eval('tbody tr.file td.n a', (as) => as.map((a) => a.textContent));
    expect((await names()).join() === 'big.bin,medium.txt,small.txt', `by name: ${await names()}`);
    await page.click('thead th.s a');
    expect(page.url().endsWith('?sort=size&order=desc'), `url ${page.url()}`);
    expect((await names()).join() === 'big.bin,medium.txt,small.txt', `largest first: ${await names()}`);
    await page.click('thead th.s a');
    expect((await names()).join() === 'small.txt,medium.txt,big.bin', `smallest first: ${await names()}`);
    expect((await page.getAttribute('thead th.s', 'aria-sort')) === 'ascending', 'aria-sort');
    await page.click('thead th.n a');
    expect(!page.url().includes('?'), `back to the default: ${page.url()}`);
  });

  await check('breadcrumbs lead back up', async () => {
    await page.goto(LISTING_URL + 'docs/');
    await page.click('h1 a >> text=/^\\/$/');
    expect(page.url() === LISTING_URL, `at ${page.url()}`);
  });

  await check('a file uploaded through the form appears in the listing', async () => {
    await page.goto(LISTING_URL + 'docs/');
    await page.setInputFiles('form.upload input[type=file]', UPLOAD_FILE);
    await Promise.all([page.waitForURL(LISTING_URL + 'docs/'), page.click('form.upload button')]);
    const listed = await page.$$eval('tbody td.n a', (as) => as.map((a) => a.textContent));
    expect(listed.includes(path.basename(UPLOAD_FILE)), `listed: ${listed}`);
  });

  await check('a folder created through the form appears in the listing', async () => {
    await page.goto(LISTING_URL + 'docs/');
    await page.fill('form.mkdir input[name=mkdir]', 'made in a browser');
    await Promise.all([page.waitForURL(LISTING_URL + 'docs/'), page.click('form.mkdir button')]);
    const listed = await page.$$eval('tbody tr.dir td.n a', (as) => as.map((a) => a.textContent));
    expect(listed.includes('made in a browser/'), `listed: ${listed}`);
  });

  await check('a folder downloads as a zip', async () => {
    await page.goto(LISTING_URL + 'photos/');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a.button[download]')]);
    expect(download.suggestedFilename() === 'photos.zip', `named ${download.suggestedFilename()}`);
    await download.saveAs(path.join(OUT, 'photos.zip'));
  });

  await check('the listing page runs no script and breaks no CSP rule', async () => {
    expect(cspViolations.length === 0, `console errors: ${cspViolations.join(' | ')}`);
  });

  await check('a client-side route of a single-page app loads index.html', async () => {
    const spa = await context.newPage();
    const response = await spa.goto(SPA_URL + 'users/42/settings');
    expect(response.status() === 200, `status ${response.status()}`);
    await spa.waitForSelector('#route');
    const route = await spa.textContent('#route');
    expect(route === '/users/42/settings', `the app saw ${route}`);
    const asset = await spa.request.get(SPA_URL + 'missing.js', { headers: { Accept: '*/*' } });
    expect(asset.status() === 404, `a missing asset answered ${asset.status()}`);
    await spa.close();
  });

} finally {
  await browser.close();
}

const failed = results.filter(([, e]) => e).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
