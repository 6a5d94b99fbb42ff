#!/usr/bin/env node
// Extraction speed: Rasai's article extractor against Readability.js over jsdom, on the same
// pages, in one run, interleaved. Each round times one pass over every page (source.html of
// each folder under the pages folder) with each extractor: Rasai in its own process
// (rasai-extract-eval --time, which reads the files first and times only extraction: parse +
// article + metadata), Readability in this process (new JSDOM(html, {url}) + new
// Readability(doc).parse(), the files read beforehand). Prints the per-round times, the
// medians and their ratio, and Readability's own word F1 against expected.html as a check that
// it ran as the expectations were made.
//
//   node bench/extract_speed.js [--pages DIR] [--rounds N] [--reps N] [--eval build/bench/rasai-extract-eval]
// Readability and jsdom come from web/node_modules (npm ci in web/).
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const pagesDir = path.resolve(opt('--pages', path.join(root, '..', 'shared', 'data', 'html', 'readability-test-pages')));
const rounds = parseInt(opt('--rounds', '3'), 10);
// Rasai's passes per round (its pass is short, so several even out a busy machine's bursts).
const reps = parseInt(opt('--reps', '5'), 10);
const evalBin = path.resolve(opt('--eval', path.join(root, 'build', 'bench', 'rasai-extract-eval')));

const webModules = path.join(root, 'web', 'node_modules');
const { JSDOM, VirtualConsole } = require(path.join(webModules, 'jsdom'));
const { Readability } = require(path.join(webModules, '@mozilla', 'readability'));

if (!fs.existsSync(pagesDir)) {
  console.error(`no pages at ${pagesDir}`);
  process.exit(77);
}
const names = fs.readdirSync(pagesDir).filter((n) => fs.existsSync(path.join(pagesDir, n, 'source.html'))).sort();
const pages = names.map((n) => ({
  name: n,
  html: fs.readFileSync(path.join(pagesDir, n, 'source.html'), 'utf8'),
  expected: fs.readFileSync(path.join(pagesDir, n, 'expected.html'), 'utf8'),
}));
const quiet = new VirtualConsole();  // pages' console output and CSS errors are not ours to print

function readabilityPass(keep) {
  const out = [];
  const t0 = process.hrtime.bigint();
  for (const p of pages) {
    const dom = new JSDOM(p.html, { url: 'http://fakehost/test/page.html', virtualConsole: quiet });
    const article = new Readability(dom.window.document).parse();
    if (keep) out.push(article ? article.textContent : '');
    dom.window.close();
  }
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, texts: out };
}

function rasaiPass() {
  const line = execFileSync(evalBin, ['--pages', pagesDir, '--time', String(reps)], { encoding: 'utf8' });
  return JSON.parse(line.trim().split('\n').pop()).ms_per_pass;
}

// Word F1 as rasai-extract-eval computes it (letters, digits and marks of any script).
function words(s) {
  const out = [];
  const re = /[\p{Ideographic}\u3040-\u30FF]|[\p{L}\p{N}\p{M}]+/gu;
  for (const m of s.matchAll(re)) out.push(m[0].toLowerCase());
  return out;
}
function f1(got, want) {
  const bag = new Map();
  const w = words(want), g = words(got);
  for (const x of w) bag.set(x, (bag.get(x) || 0) + 1);
  let common = 0;
  for (const x of g) if (bag.get(x) > 0) { bag.set(x, bag.get(x) - 1); common++; }
  if (!g.length && !w.length) return 1;
  const p = g.length ? common / g.length : 0, r = w.length ? common / w.length : 0;
  return p + r ? (2 * p * r) / (p + r) : 0;
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const rasai = [], readability = [];
let texts = null;
for (let r = 0; r < rounds; r++) {
  // Alternate which goes first, so that neither always meets a warmer or colder machine.
  if (r % 2 === 0) {
    rasai.push(rasaiPass());
    const x = readabilityPass(r === 0); readability.push(x.ms); if (r === 0) texts = x.texts;
  } else {
    readability.push(readabilityPass(false).ms);
    rasai.push(rasaiPass());
  }
  console.log(`round ${r + 1}: rasai ${rasai[r].toFixed(0)} ms, readability+jsdom ${readability[r].toFixed(0)} ms, ` +
              `ratio ${(readability[r] / rasai[r]).toFixed(1)}x`);
}
let sumF1 = 0;
pages.forEach((p, i) => {
  const exp = new JSDOM(p.expected, { virtualConsole: quiet }).window.document.body.textContent;
  sumF1 += f1(texts[i], exp);
});
const mr = median(rasai), mj = median(readability);
console.log('');
const ratios = rasai.map((x, i) => readability[i] / x);
console.log(`| pages | rounds | Rasai ms/pass (median) | Readability.js + jsdom ms/pass (median) | ratio of medians | median of round ratios |`);
console.log(`|---|---|---|---|---|---|`);
console.log(`| ${pages.length} | ${rounds} | ${mr.toFixed(0)} | ${mj.toFixed(0)} | ${(mj / mr).toFixed(1)}x | ${median(ratios).toFixed(1)}x |`);
console.log(`\nReadability.js word F1 against expected.html (check): ${(sumF1 / pages.length).toFixed(3)}`);
