// Driven by browser_ui_test.sh: checks the web UI in headless Chromium and saves screenshots.
'use strict';
const { check, shot, runInBrowser } = require('./browser_lib');

const URL = process.env.RASAI_URL;

// The page fits the screen: nothing reaches past the layout viewport sideways, and the layout
// viewport is the device's width (a phone widens it, zooming the page out, when content
// overflows). On failure, names the outermost elements that stick out.
async function fits(page, tag, what) {
  const r = await page.evaluate(() => {
    const html = document.documentElement;
    const vw = html.clientWidth;
    const out = [];
    for (const e of document.querySelectorAll('body *')) {
      const b = e.getBoundingClientRect();
      if (b.width === 0 || (b.left >= -0.5 && b.right <= vw + 0.5)) continue;
      if (e.parentElement && out.includes(e.parentElement)) continue;
      out.push(e);
    }
    return { scroll: html.scrollWidth, client: vw, inner: window.innerWidth, screen: window.screen.width,
             wide: out.slice(0, 5).map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
               (typeof e.className === 'string' && e.className ? '.' + e.className.split(' ').join('.') : '') +
               ' ' + Math.round(e.getBoundingClientRect().width) + 'px') };
  });
  check(r.scroll <= r.client && r.inner === page.viewportSize().width,
        tag + ': ' + what + ' fits the screen (' + r.scroll + ' px of ' + page.viewportSize().width +
        (r.wide.length ? '; too wide: ' + r.wide.join(', ') : '') + ')');
}

async function search(page, text) {
  await page.fill('#q', '');
  await page.type('#q', text, { delay: 20 });
  await page.press('#q', 'Enter');
  await page.waitForSelector('#results .hit, #results .empty-result', { timeout: 15000 });
  await page.waitForFunction(() => !/جاری/.test(document.getElementById('status').textContent), null, { timeout: 15000 });
}

async function run(browser, device, tag) {
  const viewport = device.viewport;
  const context = await browser.newContext(Object.assign({ locale: 'ur-PK' }, device));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push('pageerror: ' + e.message));
  page.on('console', (m) => {
    const where = (m.location() && m.location().url) || '';
    if (m.type() === 'error' && !where.includes('no-such-article')) errors.push('console: ' + m.text() + ' at ' + where);
  });
  await page.goto(URL, { waitUntil: 'load' });
  check(await page.getAttribute('html', 'dir') === 'rtl', tag + ': home page is dir=rtl');
  await page.waitForSelector('#stats:not([hidden])', { timeout: 30000 }).catch(() => {});
  check(/\d/.test(await page.textContent('#stats')), tag + ': home shows the document count');
  await fits(page, tag, 'the home page');
  await shot(page, tag + '-1-home');

  // Urdu search.
  await search(page, 'لاہور بارش');
  const hits = await page.$$eval('#results .hit', (els) => els.map((e) => ({
    dir: e.getAttribute('dir'), lang: e.getAttribute('lang'), css: getComputedStyle(e).direction,
    href: e.querySelector('h3 a').getAttribute('href'), title: e.querySelector('h3 a').textContent,
    marks: e.querySelectorAll('.snippet mark').length,
    font: getComputedStyle(e.querySelector('h3 a')).fontFamily,
  })));
  check(hits.length >= 2, tag + ': Urdu query shows results (' + hits.length + ')');
  check(hits.length > 0 && hits[0].dir === 'rtl' && hits[0].css === 'rtl' && hits[0].lang === 'ur',
        tag + ': Urdu hits are laid out right to left');
  check(hits.some((h) => h.href === '/read/ur-rain'), tag + ': the rain article is found and links to /read/ur-rain');
  check(hits.some((h) => h.marks > 0), tag + ': snippets highlight the query words with <mark>');
  check(hits.length > 0 && /Rasai Nastaliq/.test(hits[0].font), tag + ': Urdu titles use the Nastaliq font stack');
  check(/q=/.test(page.url()), tag + ': the query is in the address bar (back button, sharing)');
  await page.evaluate(() => document.fonts.ready);
  const nastaliq = await page.evaluate(() => document.fonts.check('20px "Rasai Nastaliq"', 'لاہور'));
  const loaded = await page.evaluate(() => Array.from(document.fonts).some((f) => f.family.replace(/"/g, '') === 'Rasai Nastaliq' && f.status === 'loaded'));
  // Loaded from the machine's own copy (local(), e.g. Debian's fonts-noto-core) or from /fonts/:
  // either is right, so the test does not depend on the fonts installed (checkFontsServed checks
  // /fonts/ itself).
  check(nastaliq && loaded, tag + ': the Nastaliq web font is loaded');
  await fits(page, tag, 'Urdu results');
  await shot(page, tag + '-2-results-urdu');

  // Filters: folded on a phone; open them, click a facet chip, then clear it.
  const folded = await page.$eval('#filter-box', (d) => !d.open);
  check(folded === (viewport.width < 832), tag + ': filters start ' + (folded ? 'folded' : 'open'));
  if (folded) await page.click('#filter-box summary');
  await fits(page, tag, 'results with the filters open');
  const chip = await page.$('#facets .chip');
  if (chip) {
    await chip.click();
    await page.waitForSelector('#active-filters .chip.on', { timeout: 30000 });
    check(/(source|category|lang|year)=/.test(page.url()), tag + ': a facet chip filters the results');
    await page.click('#active-filters .chip.on');
    await page.waitForFunction(() => !document.querySelector('#active-filters .chip.on'), null, { timeout: 30000 });
  }

  // English search: left-to-right hits inside the right-to-left page.
  await search(page, 'monsoon Lahore');
  const en = await page.$$eval('#results .hit', (els) => els.map((e) => ({ dir: e.getAttribute('dir'), css: getComputedStyle(e).direction, href: e.querySelector('h3 a').getAttribute('href') })));
  const enRain = en.find((h) => h.href === '/read/en-rain');
  check(enRain && enRain.dir === 'ltr' && enRain.css === 'ltr', tag + ': English hits are left to right');
  check(await page.$eval('#searched-as', (p) => p.hidden), tag + ': an English query is searched as typed');
  await fits(page, tag, 'English results');
  await shot(page, tag + '-3-results-english');

  // Roman Urdu: the Urdu article is found, and the page says what was searched in Urdu script.
  await search(page, 'lahore mein barish');
  const roman = await page.$$eval('#results .hit h3 a', (as) => as.map((a) => a.getAttribute('href')));
  const said = await page.$eval('#searched-as', (p) => (p.hidden ? '' : p.textContent));
  check(roman.includes('/read/ur-rain'), tag + ': a Roman Urdu query finds the Urdu article');
  check(/^تلاش: .*لاہور/.test(said), tag + ': it says what it searched in Urdu script (' + said + ')');
  await fits(page, tag, 'Roman Urdu results');
  await shot(page, tag + '-3b-results-roman');

  // An edited copy of an article (ur-fair-edited: a word changed, another title) is a line
  // under it, not a second result.
  await search(page, 'سائنس میلہ');
  const fair = await page.$$eval('#results .hit', (els) => els.map((e) => ({
    href: e.querySelector('h3 a').getAttribute('href'),
    copies: Array.from(e.querySelectorAll('.copy a')).map((a) => a.getAttribute('href')),
  })));
  check(fair.length >= 1 && fair[0].copies.length === 1 &&
        [fair[0].href, fair[0].copies[0]].sort().join(' ') === '/read/ur-fair /read/ur-fair-edited' &&
        fair.slice(1).every((h) => h.copies.length === 0 && !/ur-fair/.test(h.href)),
        tag + ': an edited copy is one line under its article (' + JSON.stringify(fair.slice(0, 2)) + ')');
  await shot(page, tag + '-2b-edited-copy');

  // No results.
  await search(page, 'زززززز');
  check(await page.$('#results .empty-result') !== null, tag + ': a query without matches says so');

  // Autocomplete.
  await page.fill('#q', '');
  await page.type('#q', 'لاہ', { delay: 60 });
  let suggestions = 0;
  try {
    await page.waitForSelector('#suggestions:not([hidden]) li', { timeout: 5000 });
    suggestions = (await page.$$('#suggestions li')).length;
  } catch (e) { suggestions = 0; }
  check(suggestions > 0, tag + ': autocomplete offers completions for لاہ (' + suggestions + ')');
  if (suggestions > 0) {
    await fits(page, tag, 'the open autocomplete list');
    await shot(page, tag + '-4-autocomplete');
  }
  await page.keyboard.press('Escape');

  // Back and forward through history.
  await search(page, 'لاہور بارش');
  await page.goBack();
  await page.waitForFunction(() => document.getElementById('q').value === 'لاہ' || document.getElementById('q').value === 'زززززز', null, { timeout: 30000 }).catch(() => {});
  await page.goForward();
  await page.waitForFunction(() => document.getElementById('q').value === 'لاہور بارش', null, { timeout: 30000 }).catch(() => {});
  check(await page.inputValue('#q') === 'لاہور بارش', tag + ': back/forward restore the search');

  // Reader page.
  await page.waitForSelector('#results a[href="/read/ur-rain"]', { timeout: 30000 });
  await page.click('#results a[href="/read/ur-rain"]');
  await page.waitForSelector('#article', { timeout: 30000 });
  const art = await page.$eval('#article', (a) => ({ dir: a.getAttribute('dir'), lang: a.getAttribute('lang'), css: getComputedStyle(a).direction, title: a.querySelector('h1').textContent, paras: a.querySelectorAll('.text p').length }));
  check(art.dir === 'rtl' && art.css === 'rtl' && art.lang === 'ur', tag + ': reader shows the Urdu article right to left');
  check(art.title.indexOf('لاہور') === 0, tag + ': reader shows the title');
  check(art.paras >= 3, tag + ': reader shows the body as paragraphs (' + art.paras + ')');
  let related = 0;
  try {
    await page.waitForSelector('#related:not([hidden]) li', { timeout: 8000 });
    related = (await page.$$('#related li')).length;
  } catch (e) { related = 0; }
  check(related > 0, tag + ': "یہ بھی پڑھیے" lists related articles (' + related + ')');
  await page.evaluate(() => document.fonts.ready);
  await fits(page, tag, 'the reader page');
  await shot(page, tag + '-5-reader');

  // Mixed-direction guide and an English article.
  await page.goto(URL + 'read/' + encodeURIComponent('guides/urdu keyboard'));
  check(await page.getAttribute('#article', 'dir') === 'rtl', tag + ': id with a slash opens its reader page');
  await fits(page, tag, 'the mixed Urdu/English reader page');
  await shot(page, tag + '-6-reader-mixed');
  await page.goto(URL + 'read/en-rain');
  check(await page.getAttribute('#article', 'dir') === 'ltr', tag + ': English article is left to right');

  // Words and addresses longer than the screen (browser_docs.jsonl) wrap instead of widening it.
  await page.goto(URL, { waitUntil: 'load' });
  await search(page, 'ڈاکخانہ ویب سائٹ');
  check(await page.$('#results a[href="/read/ur-post-website"]') !== null, tag + ': the page with a long address is found');
  await fits(page, tag, 'results with a long address in a title');
  await shot(page, tag + '-8-results-long-words');
  await page.goto(URL + 'read/ur-post-website');
  await fits(page, tag, 'an Urdu reader page with a long address');
  await page.goto(URL + 'read/en-long-words');
  await page.evaluate(() => document.fonts.ready);
  await fits(page, tag, 'an English reader page with long words');
  await shot(page, tag + '-9-reader-long-words');

  // Not found page.
  const resp = await page.goto(URL + 'read/no-such-article');
  check(resp.status() === 404, tag + ': a missing article gives 404');
  await fits(page, tag, 'the not-found page');
  await shot(page, tag + '-7-not-found');

  check(errors.length === 0, tag + ': no JavaScript errors' + (errors.length ? ': ' + errors.join(' | ') : ''));
  await context.close();
}

// Without JavaScript: the form falls back to the server-rendered /search page.
async function runNoScript(browser) {
  const tag = 'no-js-320';
  const context = await browser.newContext(Object.assign({ javaScriptEnabled: false }, PHONES[0]));
  const page = await context.newPage();
  await page.goto(URL, { waitUntil: 'load' });
  await page.fill('#q', 'لاہور بارش');
  await Promise.all([page.waitForNavigation({ timeout: 15000 }), page.press('#q', 'Enter')]);
  check(/\/search\?q=/.test(page.url()), tag + ': the search form goes to /search (' + page.url() + ')');
  const hits = await page.$$eval('#server-results .hit', (els) => els.map((e) => ({ dir: getComputedStyle(e).direction, href: e.querySelector('h3 a').getAttribute('href') })));
  check(hits.length >= 2, tag + ': server-rendered results (' + hits.length + ')');
  check(hits.some((h) => h.href === '/read/ur-rain') && hits[0].dir === 'rtl', tag + ': Urdu results right to left, linking to the reader');
  await page.evaluate(() => document.fonts.ready);
  await fits(page, tag, 'server-rendered results');
  await shot(page, tag + '-1-results');
  await page.goto(URL + 'search?q=' + encodeURIComponent('سائنس میلہ'), { waitUntil: 'load' });
  const fair = await page.$$eval('#server-results .hit', (els) => els.map((e) => e.querySelectorAll('.copy a').length));
  const fairLinks = await page.$$eval('#server-results a[href^="/read/ur-fair"]', (els) => els.length);
  check(fair.length >= 1 && fair[0] === 1 && fair.slice(1).every((n) => n === 0) && fairLinks === 2,
        tag + ': an edited copy is one line under its article (' + JSON.stringify(fair) + ')');
  await page.goBack();
  await Promise.all([page.waitForNavigation({ timeout: 15000 }), page.click('#server-results a[href="/read/ur-rain"]')]);
  check(await page.getAttribute('#article', 'dir') === 'rtl', tag + ': the reader page works without JavaScript');
  await fits(page, tag, 'the reader page without JavaScript');
  await page.goto(URL + 'search?q=pneumonoultramicroscopicsilicovolcanoconiosis', { waitUntil: 'load' });
  await fits(page, tag, 'server-rendered results with long words');
  await context.close();
}

// The font files app.css names are served from /fonts/ (what a phone without a Nastaliq font
// loads), asked for directly so that the answer does not depend on the fonts of this machine.
async function checkFontsServed(browser) {
  const context = await browser.newContext();
  const css = await (await context.request.get(URL + 'app.css')).text();
  const urls = Array.from(new Set((css.match(/url\((\/fonts\/[^)]+)\)/g) || []).map((u) => u.slice(4, -1))));
  check(urls.length >= 2, 'app.css names web fonts under /fonts/ (' + urls.join(' ') + ')');
  for (const u of urls) {
    const r = await context.request.get(URL + u.slice(1));
    const body = r.ok() ? await r.body() : Buffer.alloc(0);
    const magic = u.endsWith('.woff2') ? 'wOF2' : 'wOFF';
    check(r.status() === 200 && body.length > 1000 && body.subarray(0, 4).toString('latin1') === magic,
          'the server serves ' + u + ' (' + r.status() + ', ' + body.length + ' bytes)');
  }
  await context.close();
}

// Phones as visitors hold them (the smallest common widths first), then a desktop.
const PHONES = [320, 360, 390].map((w) => ({
  viewport: { width: w, height: Math.round(w * 2) }, screen: { width: w, height: Math.round(w * 2) },
  isMobile: true, hasTouch: true, deviceScaleFactor: 2,
}));
const DESKTOP = { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 };

runInBrowser(async (browser) => {
  await checkFontsServed(browser);
  for (const phone of PHONES) await run(browser, phone, 'phone-' + phone.viewport.width);
  await run(browser, DESKTOP, 'desktop');
  await runNoScript(browser);
});
