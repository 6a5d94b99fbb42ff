// Driven by zim_browser_test.sh: a ZIM article found by search and read from the archive.
'use strict';
const { check, shot, runInBrowser } = require('./browser_lib');

const BASE = process.env.RASAI_URL;
const ARCHIVE = '/zim/wikipedia_en_ray_charles_maxi/';

async function run(browser, viewport, tag) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, locale: 'ur-PK' });
  const page = await context.newPage();
  const cspBlocked = [];
  const failedRequests = [];
  page.on('console', (m) => { if (/Content Security Policy/.test(m.text())) cspBlocked.push(m.text()); });
  page.on('response', (r) => { if (r.status() >= 400 && r.url().includes(ARCHIVE)) failedRequests.push(r.status() + ' ' + r.url()); });

  // Search from the home page; the first hit is the article.
  await page.goto(BASE, { waitUntil: 'load' });
  await page.fill('#q', 'Ray Charles');
  await page.press('#q', 'Enter');
  await page.waitForSelector('#results .hit', { timeout: 15000 });
  const hits = await page.$$eval('#results .hit h3 a', (els) => els.map((a) => ({ href: a.getAttribute('href'), title: a.textContent })));
  check(hits.length > 0 && hits[0].title === 'Ray Charles', tag + ': «Ray Charles» finds the article first (' + (hits[0] || {}).title + ')');
  check(hits.length > 0 && /Ray_Charles$/.test(decodeURIComponent(hits[0].href)), tag + ': the hit links to it (' + (hits[0] || {}).href + ')');
  await shot(page, tag + '-zim-1-results', 3000);

  // The article, served from the archive.
  await Promise.all([page.waitForNavigation({ timeout: 15000 }), page.click('#results .hit h3 a >> nth=0')]);
  await page.waitForLoadState('load');
  const here = new URL(page.url());
  check(here.pathname === ARCHIVE + 'A/Ray_Charles', tag + ': the article is at its /zim/ url (' + here.pathname + ')');
  check(await page.$('.rasai-zim-bar a[href="/"]') !== null, tag + ': Rasai\'s bar leads home');
  const images = await page.$$eval('#mw-content-text img', (imgs) => imgs.map((i) => ({
    src: i.currentSrc || i.src, ok: i.complete && i.naturalWidth > 0, width: i.getBoundingClientRect().width })));
  const loaded = images.filter((i) => i.ok);
  check(images.length >= 5 && loaded.length === images.length,
        tag + ': the article\'s images load from the archive (' + loaded.length + ' of ' + images.length + ')');
  check(images.every((i) => i.src.startsWith(BASE + ARCHIVE.slice(1))), tag + ': every image comes from the archive');
  const width = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, win: window.innerWidth }));
  check(width.doc <= width.win + 1, tag + ': the page fits the screen width (' + width.doc + ' <= ' + width.win + ')');
  check(images.every((i) => i.width <= viewport.width), tag + ': no image is wider than the screen');
  const scriptRan = await page.evaluate(() => typeof window.importScript !== 'undefined');
  check(!scriptRan, tag + ': the archive\'s scripts do not run');
  check(cspBlocked.length > 0, tag + ': the policy blocked them (' + cspBlocked.length + ' reports)');
  check(failedRequests.length === 0, tag + ': every request into the archive succeeded ' + failedRequests.slice(0, 3).join(' '));
  const text = await page.textContent('#mw-content-text');
  check(/Ray Charles Robinson/.test(text), tag + ': the article\'s text is there');
  await shot(page, tag + '-zim-2-article', 3000);

  // A link to another article stays in the archive.
  const link = await page.$eval('#mw-content-text a[href^="Georgia"], #mw-content-text a[href="Atlantic_Records"]',
    (a) => a.getAttribute('href')).catch(() => null);
  if (link) {
    await Promise.all([page.waitForNavigation({ timeout: 15000 }), page.click('#mw-content-text a[href="' + link + '"] >> nth=0')]);
    const next = new URL(page.url());
    check(next.pathname.startsWith(ARCHIVE + 'A/'), tag + ': a link between articles stays in the archive (' + next.pathname + ')');
    check(await page.$('.rasai-zim-bar') !== null, tag + ': the linked article is served too');
  } else {
    check(false, tag + ': the article links to another article');
  }

  // A page the archive does not have.
  const missing = await page.goto(BASE + ARCHIVE.slice(1) + 'A/No_such_article', { waitUntil: 'load' });
  check(missing.status() === 404, tag + ': a missing page is a 404 (' + missing.status() + ')');
  check(await page.$('a[href="/"]') !== null, tag + ': the 404 page leads home');
  await shot(page, tag + '-zim-3-missing', 3000);
  await context.close();
}

runInBrowser(async (browser) => {
  await run(browser, { width: 360, height: 740 }, 'phone');
  await run(browser, { width: 1280, height: 900 }, 'desktop');
});
