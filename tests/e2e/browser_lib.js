// Shared by the browser tests (browser_ui.js, operator_ui.js, zim_browser.js): launching Debian's
// headless Chromium through playwright-core, counting checks, saving screenshots, and ending the
// run with the count. Each test's driver script (*_test.sh) sets CHROMIUM, PLAYWRIGHT_CORE, SHOTS.
'use strict';
const path = require('path');
const { chromium } = require(process.env.PLAYWRIGHT_CORE);

let passed = 0;
let failed = 0;

function check(cond, what) {
  if (cond) { passed++; console.log('ok   ' + what); } else { failed++; console.log('FAIL ' + what); }
}

// Saves what the visitor sees first (NAME.png) and the whole page (NAME-full.png), or its top
// `maxFullHeight` px when that is given (long articles).
async function shot(page, name, maxFullHeight) {
  const file = path.join(process.env.SHOTS, name + '.png');
  await page.screenshot({ path: file, timeout: 120000 });
  const full = { path: path.join(process.env.SHOTS, name + '-full.png'), fullPage: true, timeout: 120000 };
  if (maxFullHeight) {
    const size = await page.evaluate(() => ({ w: window.innerWidth, h: document.documentElement.scrollHeight }));
    full.clip = { x: 0, y: 0, width: size.w, height: Math.min(size.h, maxFullHeight) };
  }
  await page.screenshot(full);
  console.log('     screenshot ' + file);
}

// Launches the browser, runs `body(browser)`, closes the browser, prints the count and exits
// (1 when a check failed or `body` threw).
function runInBrowser(body) {
  (async () => {
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
             '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      await body(browser);
    } finally {
      await browser.close();
    }
    console.log(passed + ' passed, ' + failed + ' failed');
    process.exit(failed ? 1 : 0);
  })().catch((e) => { console.error(e); process.exit(1); });
}

module.exports = { check, shot, runInBrowser };
