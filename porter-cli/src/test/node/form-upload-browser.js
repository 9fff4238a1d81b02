// A real <form enctype="multipart/form-data"> submitted by headless Chromium, driven by playwright-core (the
// system's browser; nothing downloaded), to the FormUpload example (dev.porter.cli.FormUploadBrowserTest).
// Usage: node form-upload-browser.js PAGE_URL NOTE FILE...
// Prints the server's answer as the browser shows it, then "ok"; exits 1 with the reason otherwise.
'use strict';
const { chromium } = require('playwright-core');

const [pageUrl, note, ...files] = process.argv.slice(2);

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox'], // tests run as root in CI, where Chromium's sandbox cannot start
  });
  try {
    const page = await browser.newPage();
    await page.goto(pageUrl);
    await page.fill('input[name=note]', note);
    await page.setInputFiles('input[name=files]', files);
    const [response] = await Promise.all([page.waitForNavigation(), page.click('button')]);
    console.log('status ' + response.status());
    console.log(await page.innerText('body'));
    console.log('ok');
  } finally {
    await browser.close();
  }
})().catch((e) => {
  console.log('FAIL ' + (e && e.stack ? e.stack : e));
  process.exit(1);
});
