/* Rasai web UI: the search page (/) and the reader's related block (/read/{id}).
   Plain ES5 and XMLHttpRequest so that old browsers on old PCs and cheap phones work too. */
(function () {
  'use strict';

  var PAGE_SIZE = 10;
  var RTL_LANGS = /^(ur|ar|fa|ps|sd|ug|ckb|dv|he|yi|ks|pnb|skr|bal)(-|_|$)/i;
  var RTL_CHARS = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/g;
  var LTR_CHARS = /[A-Za-z\u00C0-\u024F\u0370-\u052F\u0900-\u0DFF]/g;
  var FACET_NAMES = { source: 'ماخذ', category: 'زمرہ', lang: 'زبان', year: 'سال' };
  var LANG_NAMES = { ur: 'اردو', en: 'English', ar: 'عربی', fa: 'فارسی', pa: 'پنجابی', ps: 'پشتو', sd: 'سندھی' };

  function $(id) { return document.getElementById(id); }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) {
      for (var k in attrs) {
        if (Object.prototype.hasOwnProperty.call(attrs, k) && attrs[k] !== undefined && attrs[k] !== null) {
          e.setAttribute(k, attrs[k]);
        }
      }
    }
    if (text !== undefined && text !== null) e.appendChild(document.createTextNode(text));
    return e;
  }

  function getJson(url, done) {
    var xhr = new XMLHttpRequest();
    xhr.open('GET', url, true);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.onreadystatechange = function () {
      if (xhr.readyState !== 4) return;
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
      if (xhr.status === 200 && body) done(null, body);
      else done({ status: xhr.status, message: body && body.error ? body.error : 'HTTP ' + xhr.status }, null);
    };
    xhr.send();
    return xhr;
  }

  // Language and direction of a piece of text: its declared language, else by counting letters.
  function langDir(lang, text) {
    if (lang) return { lang: lang, dir: RTL_LANGS.test(lang) ? 'rtl' : 'ltr' };
    var rtl = (String(text || '').match(RTL_CHARS) || []).length;
    var ltr = (String(text || '').match(LTR_CHARS) || []).length;
    return rtl > ltr ? { lang: 'ur', dir: 'rtl' } : { lang: 'en', dir: 'ltr' };
  }

  // The snippet is HTML-escaped by the server with <mark> around matches; allow no other tag.
  function safeSnippet(html) {
    return String(html || '').replace(/<(?!\/?mark>)/g, '&lt;');
  }

  function readUrl(id) { return '/read/' + encodeURIComponent(id); }

  function shortDate(d) { return d ? String(d).substring(0, 10) : ''; }

  function metaLine(hit) {
    var meta = el('p', { 'class': 'meta' });
    if (hit.source) meta.appendChild(el('span', { dir: 'auto' }, hit.source));
    if (hit.category) meta.appendChild(el('span', { dir: 'auto' }, hit.category));
    var date = shortDate(hit.date);
    if (date) meta.appendChild(el('time', { datetime: date, dir: 'ltr' }, date));
    return meta;
  }

  function formatCount(n) {
    var s = String(n);
    return s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  }

  /* ---------- autocomplete (both pages) ---------- */
  function setupAutocomplete(input, list, submit) {
    var timer = null, pending = null, items = [], active = -1, lastQuery = '', submitted = null;

    function close() {
      list.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
      active = -1;
    }
    function highlight(i) {
      active = i;
      for (var j = 0; j < list.childNodes.length; j++) {
        list.childNodes[j].setAttribute('aria-selected', j === i ? 'true' : 'false');
      }
      if (i >= 0) input.setAttribute('aria-activedescendant', 'sugg-' + i);
      else input.removeAttribute('aria-activedescendant');
    }
    function choose(text) {
      input.value = text;
      reset();
      submit(text);
    }
    // Called when a search is submitted: no suggestions for the text just searched.
    function reset() {
      if (timer) { clearTimeout(timer); timer = null; }
      if (pending) { pending.abort(); pending = null; }
      submitted = input.value.replace(/^\s+/, '');
      lastQuery = '';
      close();
    }
    function render(suggestions) {
      while (list.firstChild) list.removeChild(list.firstChild);
      items = suggestions || [];
      if (!items.length || document.activeElement !== input) { close(); return; }
      for (var i = 0; i < items.length; i++) {
        var ld = langDir('', items[i]);
        var li = el('li', { id: 'sugg-' + i, role: 'option', 'aria-selected': 'false', lang: ld.lang, dir: ld.dir }, items[i]);
        li.onmousedown = (function (text) {
          return function (ev) { ev.preventDefault(); choose(text); };
        })(items[i]);
        list.appendChild(li);
      }
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
      active = -1;
    }
    function fetchSuggestions() {
      timer = null;
      var q = input.value.replace(/^\s+/, '');
      if (q === lastQuery || q === submitted) return;
      lastQuery = q;
      if (pending) pending.abort();
      if (!q) { render([]); return; }
      pending = getJson('/api/suggest?n=8&q=' + encodeURIComponent(q), function (err, body) {
        pending = null;
        render(err ? [] : body.suggestions);
      });
    }
    input.addEventListener('input', function () {
      submitted = null;
      if (timer) clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 150);
    });
    input.addEventListener('keydown', function (ev) {
      var key = ev.key || ev.keyCode;
      if (list.hidden) return;
      if (key === 'ArrowDown' || key === 'Down' || key === 40) {
        ev.preventDefault();
        highlight(active + 1 >= items.length ? 0 : active + 1);
      } else if (key === 'ArrowUp' || key === 'Up' || key === 38) {
        ev.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (key === 'Escape' || key === 'Esc' || key === 27) {
        close();
      } else if ((key === 'Enter' || key === 13) && active >= 0) {
        ev.preventDefault();
        choose(items[active]);
      }
    });
    input.addEventListener('blur', function () { setTimeout(close, 100); });
    return { close: close, reset: reset };
  }

  /* ---------- search page ---------- */
  function SearchPage() {
    this.state = { q: '', page: 1, sort: 'relevance', source: '', category: '', lang: '', year: '' };
    this.request = null;
    this.input = $('q');
    this.results = $('results');
    this.status = $('status');
  }

  SearchPage.prototype.readLocation = function () {
    var s = { q: '', page: 1, sort: 'relevance', source: '', category: '', lang: '', year: '' };
    var query = window.location.search.replace(/^\?/, '');
    if (query) {
      var parts = query.split('&');
      for (var i = 0; i < parts.length; i++) {
        var kv = parts[i].split('=');
        var k, v;
        try {
          k = decodeURIComponent(kv[0].replace(/\+/g, ' '));
          v = decodeURIComponent((kv[1] || '').replace(/\+/g, ' '));
        } catch (e) { continue; }
        if (k === 'page') s.page = Math.max(1, parseInt(v, 10) || 1);
        else if (Object.prototype.hasOwnProperty.call(s, k)) s[k] = v;
      }
    }
    this.state = s;
  };

  SearchPage.prototype.pageUrl = function (s) {
    var p = [];
    if (s.q) p.push('q=' + encodeURIComponent(s.q));
    if (s.sort && s.sort !== 'relevance') p.push('sort=' + encodeURIComponent(s.sort));
    var f = ['source', 'category', 'lang', 'year'];
    for (var i = 0; i < f.length; i++) if (s[f[i]]) p.push(f[i] + '=' + encodeURIComponent(s[f[i]]));
    if (s.page > 1) p.push('page=' + s.page);
    return '/' + (p.length ? '?' + p.join('&') : '');
  };

  SearchPage.prototype.apiUrl = function (s) {
    var p = ['q=' + encodeURIComponent(s.q), 'n=' + PAGE_SIZE, 'offset=' + (s.page - 1) * PAGE_SIZE];
    if (s.sort && s.sort !== 'relevance') p.push('sort=' + encodeURIComponent(s.sort));
    if (s.source) p.push('source=' + encodeURIComponent(s.source));
    if (s.category) p.push('category=' + encodeURIComponent(s.category));
    if (s.lang) p.push('lang=' + encodeURIComponent(s.lang));
    if (/^\d{4}$/.test(s.year)) p.push('from=' + s.year, 'to=' + s.year);
    return '/api/search?' + p.join('&');
  };

  SearchPage.prototype.go = function (changes, push) {
    var s = {};
    for (var k in this.state) if (Object.prototype.hasOwnProperty.call(this.state, k)) s[k] = this.state[k];
    for (var c in changes) if (Object.prototype.hasOwnProperty.call(changes, c)) s[c] = changes[c];
    this.state = s;
    if (push && window.history && window.history.pushState) {
      window.history.pushState(null, '', this.pageUrl(s));
    }
    this.run();
  };

  SearchPage.prototype.setStatus = function (text, isError) {
    this.status.className = isError ? 'status error' : 'status';
    this.status.textContent = text || '';
  };

  SearchPage.prototype.run = function () {
    var self = this, s = this.state;
    this.input.value = s.q;
    document.title = s.q ? s.q + ' — رسائی' : 'رسائی — تلاش';
    $('sort').value = s.sort || 'relevance';
    if (!s.q) {
      $('intro').hidden = false;
      $('filters').hidden = true;
      $('pager').hidden = true;
      $('did-you-mean').hidden = true;
      while (this.results.firstChild) this.results.removeChild(this.results.firstChild);
      this.setStatus('');
      return;
    }
    $('intro').hidden = true;
    this.setStatus('تلاش جاری ہے…');
    if (this.request) this.request.abort();
    this.request = getJson(this.apiUrl(s), function (err, body) {
      self.request = null;
      if (err) {
        if (err.status === 0) return;  // aborted or offline
        self.setStatus('تلاش ناکام رہی۔ ' + err.message, true);
        return;
      }
      self.render(body);
    });
  };

  SearchPage.prototype.render = function (body) {
    var s = this.state, self = this;
    var results = this.results;
    while (results.firstChild) results.removeChild(results.firstChild);

    var total = body.total || 0;
    var from = (s.page - 1) * PAGE_SIZE;
    if (total === 0) {
      this.setStatus('');
      results.appendChild(el('li', { 'class': 'empty-result' }, 'کوئی نتیجہ نہیں ملا۔ دوسرے الفاظ آزمائیے۔'));
    } else {
      var secs = body.took_ms < 10 ? (body.took_ms / 1000).toFixed(3) : (body.took_ms / 1000).toFixed(2);
      this.setStatus((total === 1 ? 'ایک نتیجہ' : formatCount(total) + ' نتائج') + ' (' + secs + ' سیکنڈ)' +
                     (s.page > 1 ? ' — صفحہ ' + s.page : ''));
    }

    var dym = $('did-you-mean');
    // A Roman Urdu query: what was searched, in Urdu script («تلاش: عمران خان حکومت»).
    var seen = $('searched-as');
    if (!seen) {
      seen = el('p', { id: 'searched-as', 'class': 'searched-as' });
      dym.parentNode.insertBefore(seen, dym);
    }
    while (seen.firstChild) seen.removeChild(seen.firstChild);
    seen.hidden = !body.transliteration;
    if (body.transliteration) {
      seen.appendChild(document.createTextNode('تلاش: '));
      seen.appendChild(el('bdi', { lang: 'ur', dir: 'rtl' }, body.transliteration));
    }
    while (dym.firstChild) dym.removeChild(dym.firstChild);
    if (body.suggestion && body.suggestion !== s.q) {
      dym.appendChild(document.createTextNode('کیا آپ کا مطلب تھا: '));
      var a = el('a', { href: this.pageUrl({ q: body.suggestion, page: 1, sort: s.sort }), dir: 'auto', id: 'suggestion-link' }, body.suggestion);
      a.onclick = function (ev) {
        ev.preventDefault();
        self.go({ q: body.suggestion, page: 1 }, true);
      };
      dym.appendChild(a);
      dym.hidden = false;
    } else {
      dym.hidden = true;
    }

    // An edited copy of an article on this page (hit.copy_of) is a line under that article, not
    // a result of its own; a copy of one on an earlier page shows as any hit.
    var shown = {};
    for (var i = 0; i < body.hits.length; i++) {
      var hit = body.hits[i];
      if (hit.copy_of && Object.prototype.hasOwnProperty.call(shown, hit.copy_of)) {
        var line = el('p', { 'class': 'copy' }, 'یہی خبر دوسرے عنوان سے: ');
        line.appendChild(el('a', { href: readUrl(hit.id), dir: 'auto' }, hit.title || hit.id));
        shown[hit.copy_of].appendChild(line);
        continue;
      }
      var ld = langDir(hit.lang, hit.title + ' ' + hit.snippet);
      var li = el('li', { 'class': 'hit', lang: ld.lang, dir: ld.dir });
      shown[hit.id] = li;
      var h = el('h3');
      h.appendChild(el('a', { href: readUrl(hit.id) }, hit.title || hit.id));
      li.appendChild(h);
      li.appendChild(metaLine(hit));
      if (hit.snippet) {
        var p = el('p', { 'class': 'snippet' });
        p.innerHTML = safeSnippet(hit.snippet);
        li.appendChild(p);
      }
      results.appendChild(li);
    }

    this.renderFacets(body.facets || {});
    var pager = $('pager');
    pager.hidden = total <= PAGE_SIZE && s.page === 1;
    $('prev').disabled = s.page <= 1;
    $('next').disabled = from + body.hits.length >= total;
    $('page-no').textContent = 'صفحہ ' + s.page + ' از ' + Math.max(1, Math.ceil(total / PAGE_SIZE));
  };

  SearchPage.prototype.renderFacets = function (facets) {
    var self = this, s = this.state;
    var box = $('facets'), active = $('active-filters');
    while (box.firstChild) box.removeChild(box.firstChild);
    while (active.firstChild) active.removeChild(active.firstChild);
    var names = ['source', 'category', 'lang', 'year'];
    var any = false;
    for (var i = 0; i < names.length; i++) {
      var name = names[i];
      if (s[name]) {
        any = true;
        var chip = el('button', { type: 'button', 'class': 'chip on', title: 'فلٹر ہٹائیے' },
                      FACET_NAMES[name] + ': ' + (name === 'lang' ? (LANG_NAMES[s[name]] || s[name]) : s[name]) + ' ✕');
        chip.onclick = (function (n) {
          return function () { var c = { page: 1 }; c[n] = ''; self.go(c, true); };
        })(name);
        active.appendChild(chip);
        continue;
      }
      var values = facets[name];
      if (!values) continue;
      var list = [];
      for (var v in values) if (Object.prototype.hasOwnProperty.call(values, v) && v !== '') list.push([v, values[v]]);
      if (list.length < 2) continue;
      list.sort(name === 'year' ? function (a, b) { return a[0] < b[0] ? 1 : -1; }
                                : function (a, b) { return b[1] - a[1]; });
      list = list.slice(0, 8);
      any = true;
      box.appendChild(el('h4', null, FACET_NAMES[name]));
      var chips = el('div', { 'class': 'chips' });
      for (var j = 0; j < list.length; j++) {
        var label = name === 'lang' ? (LANG_NAMES[list[j][0]] || list[j][0]) : list[j][0];
        var b = el('button', { type: 'button', 'class': 'chip', dir: 'auto' }, label);
        b.appendChild(el('span', { 'class': 'n' }, formatCount(list[j][1])));
        b.onclick = (function (n, value) {
          return function () { var c = { page: 1 }; c[n] = value; self.go(c, true); };
        })(name, list[j][0]);
        chips.appendChild(b);
      }
      box.appendChild(chips);
    }
    $('filters').hidden = !any && s.sort === 'relevance' && this.results.childNodes.length < 2;
  };

  SearchPage.prototype.start = function () {
    var self = this;
    var ac = setupAutocomplete(this.input, $('suggestions'), function (text) {
      self.go({ q: text, page: 1 }, true);
    });
    $('search-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      ac.reset();
      if (window.matchMedia && window.matchMedia('(pointer: coarse)').matches) self.input.blur();
      var q = self.input.value.replace(/^\s+|\s+$/g, '');
      self.go({ q: q, page: 1 }, true);
    });
    $('sort').addEventListener('change', function () { self.go({ sort: $('sort').value, page: 1 }, true); });
    $('prev').addEventListener('click', function () {
      if (self.state.page > 1) { self.go({ page: self.state.page - 1 }, true); window.scrollTo(0, 0); }
    });
    $('next').addEventListener('click', function () { self.go({ page: self.state.page + 1 }, true); window.scrollTo(0, 0); });
    window.addEventListener('popstate', function () { self.readLocation(); self.run(); });
    // On a phone the filters start folded so that the results come first.
    if (window.innerWidth < 832) $('filter-box').removeAttribute('open');
    this.readLocation();
    this.run();
    if (!this.state.q) {
      getJson('/healthz', function (err, body) {
        if (err || !body) return;
        var stats = $('stats');
        stats.textContent = formatCount(body.docs) + ' مضامین دستیاب';
        stats.hidden = false;
      });
      if (window.innerWidth > 600) this.input.focus();
    }
  };

  /* ---------- reader page ---------- */
  // Reader and server-rendered results pages: a search goes to the search page.
  function setupSearchBox(target) {
    var input = $('q');
    var go = function (text) { window.location.href = target + '?q=' + encodeURIComponent(text); };
    var ac = setupAutocomplete(input, $('suggestions'), go);
    $('search-form').addEventListener('submit', function (ev) {
      ev.preventDefault();
      ac.reset();
      go(input.value.replace(/^\s+|\s+$/g, ''));
    });
  }

  function startReader() {
    var article = $('article');
    setupSearchBox('/');
    if (document.referrer && /\/\?q=/.test(document.referrer) && window.history.length > 1) {
      $('back').onclick = function (ev) { ev.preventDefault(); window.history.back(); };
    }
    var idUrl = article.getAttribute('data-id-url');
    getJson('/api/related/' + idUrl + '?n=5', function (err, body) {
      if (err || !body || !body.hits || !body.hits.length) return;
      var list = $('related-list');
      for (var i = 0; i < body.hits.length; i++) {
        var hit = body.hits[i];
        var ld = langDir(hit.lang, hit.title);
        var li = el('li', { lang: ld.lang, dir: ld.dir });
        li.appendChild(el('a', { href: readUrl(hit.id) }, hit.title || hit.id));
        li.appendChild(metaLine(hit));
        list.appendChild(li);
      }
      $('related').hidden = false;
    });
  }

  function main() {
    if ($('article')) startReader();
    else if ($('server-results')) setupSearchBox('/search');
    else if ($('results')) new SearchPage().start();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', main);
  else main();
})();
