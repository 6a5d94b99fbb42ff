// The operator's pages: sending a file with its progress (POST /api/uploads, then the job's
// progress from GET /api/jobs/{id}), and the jobs list kept up to date while jobs run. Changes
// carry the page's CSRF token (meta csrf-token) in X-CSRF-Token; the session cookie is HttpOnly.
(function () {
  'use strict';
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute('content') : '';
  var PHASES = {
    queued: ['قطار میں', 'waiting'], starting: ['شروع', 'starting'], receiving: ['بھیجا جا رہا ہے', 'sending'],
    unpacking: ['zip کھولی جا رہی ہے', 'unpacking'], 'looking for repeated openings': ['دہرائی گئی عبارت کی تلاش', 'looking for repeated openings'],
    reading: ['پڑھا جا رہا ہے', 'reading'], indexing: ['شامل کیا جا رہا ہے', 'indexing'],
    'checking the archive': ['آرکائیو کی جانچ', 'checking the archive'], committing: ['محفوظ کیا جا رہا ہے', 'saving'], deleting: ['حذف ہو رہا ہے', 'deleting'],
    done: ['مکمل', 'done'], failed: ['ناکام', 'failed'], cancelled: ['منسوخ', 'cancelled'], running: ['جاری', 'running']
  };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function bi(ur, en) {
    var s = el('span');
    s.appendChild(el('span', 'ur', ur));
    s.appendChild(document.createTextNode(' '));
    var e = el('span', 'en', en);
    e.lang = 'en';
    e.dir = 'ltr';
    s.appendChild(e);
    return s;
  }
  function phase(name) {
    var p = PHASES[name] || [name, name];
    return bi(p[0], p[1]);
  }
  function num(n) {
    var s = el('span', 'num', Number(n || 0).toLocaleString('en-US'));
    s.dir = 'ltr';
    return s;
  }
  function getJson(url) {
    return fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } }).then(function (r) {
      return r.json().then(function (j) { return { status: r.status, body: j }; });
    });
  }

  // ---- the jobs list
  var jobsList = document.getElementById('jobs');
  var jobsTimer = null;
  function renderJobs(jobs) {
    if (!jobsList) return;
    jobsList.textContent = '';
    if (!jobs.length) {
      var none = el('li', 'none');
      none.appendChild(bi('ابھی کوئی کام نہیں۔', 'No jobs yet.'));
      jobsList.appendChild(none);
    }
    jobs.forEach(function (j) {
      var li = el('li', 'job ' + j.state);
      var label = el('span', 'job-label', j.label);
      label.dir = 'auto';
      li.appendChild(label);
      var st = el('span', 'job-state');
      st.appendChild(phase(j.state === 'running' || j.state === 'queued' ? j.phase : j.state));
      li.appendChild(st);
      var docs = el('span', 'job-docs');
      docs.appendChild(num(j.documents));
      docs.appendChild(document.createTextNode(' '));
      docs.appendChild(bi('مضامین', 'documents'));
      li.appendChild(docs);
      jobsList.appendChild(li);
    });
  }
  function pollJobs() {
    if (!jobsList) return;
    getJson('/api/jobs').then(function (r) {
      if (r.status !== 200) return;
      renderJobs(r.body.jobs);
      var busy = r.body.jobs.some(function (j) { return j.state === 'queued' || j.state === 'running'; });
      clearTimeout(jobsTimer);
      if (busy) jobsTimer = setTimeout(pollJobs, 1500);
    }).catch(function () {});
  }
  if (jobsList && jobsList.querySelector('.job.queued, .job.running')) jobsTimer = setTimeout(pollJobs, 1500);

  // ---- sending a file
  var form = document.getElementById('upload-form');
  if (!form) return;
  var box = document.getElementById('upload-progress');
  var bar = document.getElementById('upload-bar');
  var status = document.getElementById('upload-status');
  var result = document.getElementById('upload-result');
  var button = form.querySelector('button');

  function say(node) {
    status.textContent = '';
    status.appendChild(node);
  }
  function finish(ok, node) {
    result.className = 'op-result ' + (ok ? 'ok' : 'failed');
    result.textContent = '';
    result.appendChild(node);
    button.disabled = false;
    pollJobs();
  }
  function summary(job) {
    var r = job.result || {};
    var p = el('div');
    if (job.state === 'done') {
      p.appendChild(bi('شامل ہو گئے:', 'Added:'));
      p.appendChild(document.createTextNode(' '));
      p.appendChild(num((r.added || 0) + (r.replaced || 0)));
      p.appendChild(document.createTextNode(' '));
      p.appendChild(bi('مضامین', 'documents'));
      if (r.replaced) {
        p.appendChild(document.createTextNode(' ('));
        p.appendChild(num(r.replaced));
        p.appendChild(document.createTextNode(' '));
        p.appendChild(bi('پرانے بدلے گئے', 'replaced'));
        p.appendChild(document.createTextNode(')'));
      }
    } else {
      p.appendChild(bi('نہیں ہو سکا:', 'Failed:'));
      p.appendChild(document.createTextNode(' ' + (r.error || job.state)));
    }
    var problems = (r.problems || []).slice(0, 20);
    if (r.problem_count) {
      var h = el('p');
      h.appendChild(bi('مسائل:', 'Problems:'));
      h.appendChild(document.createTextNode(' '));
      h.appendChild(num(r.problem_count));
      p.appendChild(h);
      var ul = el('ul');
      problems.forEach(function (x) {
        var li = el('li', '', x.file + (x.line ? ':' + x.line : '') + ': ' + x.reason);
        li.dir = 'ltr';
        ul.appendChild(li);
      });
      p.appendChild(ul);
    }
    return p;
  }
  function watch(id) {
    getJson('/api/jobs/' + id).then(function (r) {
      if (r.status !== 200) { finish(false, bi('کام کی خبر نہ ملی۔', 'The job could not be followed.')); return; }
      var j = r.body;
      var line = el('span');
      line.appendChild(phase(j.state === 'running' || j.state === 'queued' ? j.phase : j.state));
      if (j.documents) {
        line.appendChild(document.createTextNode(' · '));
        line.appendChild(num(j.documents));
        line.appendChild(document.createTextNode(' '));
        line.appendChild(bi('مضامین', 'documents'));
      }
      say(line);
      if (j.total) { bar.max = j.total; bar.value = j.done; } else { bar.removeAttribute('value'); }
      if (j.state === 'queued' || j.state === 'running') { setTimeout(function () { watch(id); }, 700); return; }
      bar.max = 1;
      bar.value = 1;
      finish(j.state === 'done', summary(j));
    }).catch(function () { setTimeout(function () { watch(id); }, 1500); });
  }

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var input = document.getElementById('file');
    var file = input.files && input.files[0];
    if (!file) return;
    button.disabled = true;
    result.textContent = '';
    result.className = 'op-result';
    box.hidden = false;
    bar.max = 100;
    bar.value = 0;
    say(phase('receiving'));
    var xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/uploads?name=' + encodeURIComponent(file.name));
    xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = function (e) {
      if (!e.lengthComputable) return;
      bar.max = e.total;
      bar.value = e.loaded;
      var line = el('span');
      line.appendChild(phase('receiving'));
      line.appendChild(document.createTextNode(' ' + Math.round(100 * e.loaded / e.total) + '%'));
      say(line);
    };
    xhr.onload = function () {
      var body = {};
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = {}; }
      if (xhr.status === 202 && body.job) { pollJobs(); watch(body.job); return; }
      finish(false, bi('نہیں ہو سکا:', 'Failed:').appendChild(document.createTextNode(' ' + (body.error || xhr.status))).parentNode);
    };
    xhr.onerror = function () { finish(false, bi('سرور سے رابطہ نہ ہو سکا۔', 'The server could not be reached.')); };
    xhr.send(file);
  });
})();
