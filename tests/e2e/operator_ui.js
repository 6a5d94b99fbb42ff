// Driven by operator_ui_test.sh: the operator's pages in headless Chromium, with screenshots.
'use strict';
const { check, shot, runInBrowser } = require('./browser_lib');

const URL = process.env.RASAI_URL;
const TOKEN = process.env.TOKEN;

// Nothing reaches past the screen's width sideways.
async function fits(page, tag, what) {
  const r = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  check(r.scroll <= r.client + 1, tag + ': ' + what + ' fits the screen (' + r.scroll + ' <= ' + r.client + ')');
}

async function zimUpload(page, tag) {
  const archive = 'wikipedia_en_ray_charles';
  await page.click('nav.op-nav a[href="/operator/upload"]');
  await page.waitForSelector('#upload-form');
  await page.setInputFiles('#file', process.env.ZIM_UPLOAD);
  await page.click('#upload-form button');
  await page.waitForSelector('#upload-result.ok, #upload-result.failed', { timeout: 120000 });
  const result = await page.textContent('#upload-result');
  check(await page.$('#upload-result.ok') !== null && /documents|مضامین/.test(result),
        tag + ': the ZIM archive is added (' + result.slice(0, 120) + ')');
  await page.evaluate(() => document.fonts.ready);
  await shot(page, tag + '-op-4b-zim-upload-done');
  const found = await (await page.request.get(URL + 'api/search?q=' + encodeURIComponent('Ray Charles'))).json();
  const hit = (found.hits || [])[0] || {};
  check(hit.source === archive && /^\/zim\/wikipedia_en_ray_charles\//.test(hit.url || ''),
        tag + ': visitors find the archive\'s article (' + hit.url + ')');
  const article = hit.url ? await page.request.get(URL + hit.url.slice(1)) : null;
  check(article !== null && article.status() === 200 && /Ray Charles/.test(await article.text()),
        tag + ': the article is served from the uploaded archive');
  await page.click('nav.op-nav a[href="/operator"]');
  const box = page.locator('.op-source', { hasText: archive });
  check(await box.count() === 1, tag + ': the archive is a source of its own');
  await box.locator('input[name="confirm"]').check();
  await Promise.all([page.waitForNavigation(), box.locator('button').click()]);
  let left = 1;
  for (let i = 0; i < 240 && left !== 0; ++i) {
    const r = await (await page.request.get(URL + 'api/search?q=' + encodeURIComponent('Ray Charles'))).json();
    left = r.hits.filter((h) => h.source === archive).length;
    if (left !== 0) await page.waitForTimeout(250);
  }
  check(left === 0, tag + ': removing the archive\'s source removes its documents');
}

async function run(browser, viewport, tag, mobile) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, locale: 'ur-PK', isMobile: mobile, hasTouch: mobile });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push('pageerror: ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 40[13]/.test(m.text())) errors.push('console: ' + m.text()); });

  // Visitors' searches first, for the usage page: two the same, one that finds nothing.
  for (const q of ['لاہور بارش', 'لاہور بارش', 'زززززز ' + tag]) {
    const r = await page.request.get(URL + 'api/search?q=' + encodeURIComponent(q));
    check(r.status() === 200, tag + ': a visitor searches ' + q);
  }

  // Login: the pages send an unknown browser to the login form.
  await page.goto(URL + 'operator', { waitUntil: 'load' });
  check(/\/operator\/login/.test(page.url()), tag + ': /operator asks to log in (' + page.url() + ')');
  check(await page.getAttribute('html', 'dir') === 'rtl', tag + ': the login page is right to left');
  await page.evaluate(() => document.fonts.ready);
  await shot(page, tag + '-op-1-login');
  await page.fill('#token', 'wrong-token');
  await Promise.all([page.waitForNavigation(), page.click('.op-login button')]);
  check(await page.$('.op-error') !== null, tag + ': a wrong token is refused with a message');
  check((await context.cookies()).length === 0, tag + ': no cookie after a wrong token');
  await page.fill('#token', TOKEN);
  await Promise.all([page.waitForNavigation(), page.click('.op-login button')]);
  check(/\/operator$/.test(page.url()), tag + ': the right token opens the collection page (' + page.url() + ')');
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'rasai_operator');
  check(session && session.httpOnly && session.sameSite === 'Strict', tag + ': the session cookie is HttpOnly and SameSite=Strict');
  check(await page.evaluate(() => document.cookie.indexOf('rasai_operator') < 0), tag + ': page scripts cannot read the session cookie');

  // The collection and its sources.
  const sources = await page.$$eval('.op-source h3', (hs) => hs.map((h) => h.textContent.trim()));
  check(sources.length >= 1, tag + ': the collection page lists sources (' + sources.slice(0, 4).join(', ') + ')');
  const meta = await page.$$eval('.op-source .op-meta', (ps) => ps.map((p) => p.textContent));
  check(meta.some((m) => /\d{4}-\d{2}-\d{2} – \d{4}-\d{2}-\d{2}/.test(m)), tag + ': sources show their date range');
  check(meta.some((m) => /ur \d/.test(m)), tag + ': sources show their languages');
  await fits(page, tag, 'the collection page');
  await shot(page, tag + '-op-2-collection');

  // A change without the page's CSRF token is refused, though the browser sends the cookie.
  const forged = await page.evaluate(async () => {
    const r = await fetch('/operator/delete-doc', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'id=ur-rain' });
    return r.status;
  });
  check(forged === 403, tag + ': a delete without the CSRF token is refused (' + forged + ')');
  const api = await page.evaluate(async () => (await fetch('/api/docs/ur-rain', { method: 'DELETE' })).status);
  check(api === 403, tag + ': the API through the cookie needs the CSRF token too (' + api + ')');
  check((await page.request.get(URL + 'api/doc/ur-rain')).status() === 200, tag + ': the document is still there');

  // Upload with its progress.
  await page.click('nav.op-nav a[href="/operator/upload"]');
  await page.waitForSelector('#upload-form');
  await page.evaluate(() => {
    window.__seen = [];
    new MutationObserver(() => window.__seen.push(document.getElementById('upload-status').textContent))
      .observe(document.getElementById('upload-status'), { childList: true, subtree: true, characterData: true });
  });
  await page.setInputFiles('#file', process.env.UPLOAD);
  await page.click('#upload-form button');
  await page.waitForSelector('#upload-progress:not([hidden])', { timeout: 10000 });
  try {
    await page.waitForFunction(() => /documents|مضامین|reading|saving/.test(document.getElementById('upload-status').textContent), null, { timeout: 20000 });
    await shot(page, tag + '-op-3-upload-progress');
  } catch (e) { /* finished before a progress line could be seen: checked below */ }
  await page.waitForSelector('#upload-result.ok, #upload-result.failed', { timeout: 120000 });
  const seen = await page.evaluate(() => window.__seen);
  check(seen.some((s) => /sending|reading|saving|documents/.test(s)), tag + ': progress was shown while it ran (' + seen.slice(0, 4).join(' | ') + ')');
  const result = await page.textContent('#upload-result');
  check(await page.$('#upload-result.ok') !== null && /3,000/.test(result), tag + ': the upload added 3,000 documents (' + result.slice(0, 120) + ')');
  check(/1/.test(result) && /Problems|مسائل/.test(result), tag + ': the broken line is reported');
  await page.waitForFunction(() => document.querySelector('#jobs .job.done'), null, { timeout: 10000 }).catch(() => {});
  check(await page.$('#jobs .job.done') !== null, tag + ': the jobs list shows the finished upload');
  await fits(page, tag, 'the upload page');
  await page.evaluate(() => document.fonts.ready);
  await shot(page, tag + '-op-4-upload-done');
  const found = await (await page.request.get(URL + 'api/search?q=' + encodeURIComponent('کتاب گھر کی خبر'))).json();
  check(found.total >= 3000 && found.hits[0].source === 'kitab-ghar', tag + ': visitors find the uploaded documents (' + found.total + ', source ' + (found.hits[0] || {}).source + ')');

  // Remove that source from the collection page.
  await page.click('nav.op-nav a[href="/operator"]');
  const box = page.locator('.op-source', { hasText: 'kitab-ghar' });
  check(await box.count() === 1, tag + ': the upload is a source of its own');
  await box.locator('input[name="confirm"]').check();
  await Promise.all([page.waitForNavigation(), box.locator('button').click()]);
  check(/done=removing/.test(page.url()), tag + ': removing the source starts a job');
  let goneStatus = 0;
  for (let i = 0; i < 240 && goneStatus !== 404; ++i) {
    goneStatus = (await page.request.get(URL + 'api/doc/kitab-0')).status();
    if (goneStatus !== 404) await page.waitForTimeout(250);
  }
  const jobs = await page.evaluate(async () => (await (await fetch('/api/jobs')).json()).jobs);
  const removal = jobs.find((j) => j.kind === 'remove-source') || {};
  check(goneStatus === 404 && removal.state === 'done' && (removal.result || {}).deleted === 3000,
        tag + ': the source\'s 3,000 documents are gone (' + JSON.stringify(removal).slice(0, 200) + ')');
  const left = await (await page.request.get(URL + 'api/search?q=' + encodeURIComponent('کتاب گھر کی خبر'))).json();
  check(left.hits.every((h) => h.source !== 'kitab-ghar'), tag + ': no hit of the removed source is left');

  // A Kiwix ZIM archive uploaded from the page: found, read from the archive, then removed.
  if (process.env.ZIM_UPLOAD && !mobile) await zimUpload(page, tag);

  // Usage.
  await page.click('nav.op-nav a[href="/operator/usage"]');
  await page.waitForSelector('#top-queries');
  await page.click('.op-tabs a[href$="period=day"]');
  await page.waitForSelector('#top-queries');
  const top = await page.$$eval('#top-queries tbody tr', (rs) => rs.map((r) => r.textContent));
  const zero = await page.$$eval('#zero-queries tbody tr', (rs) => rs.map((r) => r.textContent));
  check(top.some((t) => t.indexOf('لاہور بارش') >= 0), tag + ': the usage page lists the most searched query');
  check(zero.some((t) => t.indexOf('زززززز ' + tag) >= 0), tag + ': the usage page lists the query that found nothing');
  await fits(page, tag, 'the usage page');
  await page.evaluate(() => document.fonts.ready);
  await shot(page, tag + '-op-5-usage');

  // Log out.
  await Promise.all([page.waitForNavigation(), page.click('.logout button')]);
  check(/\/operator\/login/.test(page.url()), tag + ': logging out goes back to the login form');
  const after = await page.evaluate(async () => (await fetch('/api/stats')).status);
  check(after === 401, tag + ': after logging out the API refuses (' + after + ')');
  check(errors.length === 0, tag + ': no JavaScript errors' + (errors.length ? ': ' + errors.join(' | ') : ''));
  await context.close();
}

runInBrowser(async (browser) => {
  await run(browser, { width: 1280, height: 900 }, 'desktop', false);
  await run(browser, { width: 360, height: 780 }, 'phone360', true);
});
