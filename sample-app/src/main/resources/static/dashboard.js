// The aio sample's dashboard: polls the Actuator and the jobs API, draws its own charts on
// <canvas> (no library, no build step, nothing from the network), starts and cancels jobs.
'use strict';

const POLL_MS = 500;
const WINDOW = 120; // samples kept per chart: one minute at two a second

// ---------------------------------------------------------------------------------------------
// A small line chart. Each canvas also carries data-samples, data-max and data-last, which the
// browser test reads to see the chart move.
// ---------------------------------------------------------------------------------------------

class LineChart {
  constructor(canvasId, legendId, series, unit) {
    this.canvas = document.getElementById(canvasId);
    this.legend = document.getElementById(legendId);
    this.series = series; // [{key, label, color}]
    this.unit = unit || '';
    this.samples = []; // [{t, values: {key: number}}]
    this.total = 0;
  }

  push(values) {
    this.samples.push({ t: Date.now(), values });
    if (this.samples.length > WINDOW) {
      this.samples.shift();
    }
    this.total++;
    this.draw();
  }

  max() {
    let m = 0;
    for (const s of this.samples) {
      for (const k of this.series) {
        const v = s.values[k.key] || 0;
        if (v > m) m = v;
      }
    }
    return m;
  }

  draw() {
    const c = this.canvas;
    const ratio = window.devicePixelRatio || 1;
    const w = c.clientWidth || c.width;
    const h = c.clientHeight || c.height;
    if (c.width !== Math.round(w * ratio) || c.height !== Math.round(h * ratio)) {
      c.width = Math.round(w * ratio);
      c.height = Math.round(h * ratio);
    }
    const g = c.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, w, h);

    const left = 46, right = 8, top = 8, bottom = 20;
    const pw = w - left - right, ph = h - top - bottom;
    const max = this.max();
    const yMax = niceCeiling(max);

    // Grid and y labels.
    g.font = '11px "DejaVu Sans", system-ui, sans-serif';
    g.fillStyle = '#6b7785';
    g.strokeStyle = '#e6e9ee';
    g.lineWidth = 1;
    g.textAlign = 'right';
    g.textBaseline = 'middle';
    for (let i = 0; i <= 4; i++) {
      const y = top + ph - (ph * i) / 4;
      g.beginPath();
      g.moveTo(left, Math.round(y) + 0.5);
      g.lineTo(left + pw, Math.round(y) + 0.5);
      g.stroke();
      g.fillText(format(yMax * i / 4), left - 6, y);
    }
    g.textAlign = 'left';
    g.textBaseline = 'alphabetic';
    g.fillText('-60 s', left, h - 4);
    g.textAlign = 'right';
    g.fillText('now', left + pw, h - 4);

    // Lines: the newest sample at the right edge, one step per sample.
    const n = this.samples.length;
    const step = pw / (WINDOW - 1);
    for (const s of this.series) {
      g.strokeStyle = s.color;
      g.lineWidth = 2;
      g.beginPath();
      for (let i = 0; i < n; i++) {
        const x = left + pw - (n - 1 - i) * step;
        const v = this.samples[i].values[s.key] || 0;
        const y = top + ph - (yMax > 0 ? (v / yMax) * ph : 0);
        if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
      }
      g.stroke();
    }

    const last = n > 0 ? this.samples[n - 1].values : {};
    c.dataset.samples = String(this.total);
    c.dataset.max = String(max);
    c.dataset.last = JSON.stringify(last);
    this.legend.innerHTML = this.series
      .map(s => `<span class="item"><span class="swatch" style="background:${s.color}"></span>${s.label} <b>${format(last[s.key] || 0)}${this.unit}</b></span>`)
      .join('');
  }
}

function niceCeiling(v) {
  if (v <= 0) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 4, 6, 8, 10]) {
    if (v <= m * p) return m * p;
  }
  return 10 * p;
}

function format(v) {
  if (v === 0) return '0';
  if (Math.abs(v) >= 1000) return (v / 1000).toFixed(v >= 10000 ? 0 : 1) + 'k';
  if (Math.abs(v) >= 10) return v.toFixed(0);
  if (Math.abs(v) >= 1) return v.toFixed(1);
  return v.toFixed(2);
}

function bytes(n) {
  if (n < 1024) return n + ' B';
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n, u = -1;
  do { v /= 1024; u++; } while (v >= 1024 && u < units.length - 1);
  return v.toFixed(v >= 10 ? 0 : 1) + ' ' + units[u];
}

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, ch => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[ch]));
}

function encodePath(p) {
  return p.split('/').map(encodeURIComponent).join('/');
}

// ---------------------------------------------------------------------------------------------
// Charts
// ---------------------------------------------------------------------------------------------

const PRIORITY_COLORS = {
  '4': '#7c3aed', '3': '#9333ea', '2': '#2563eb', '1': '#0891b2', '0': '#059669',
  '-1': '#65a30d', '-2': '#d97706', '-3': '#dc2626', '-4': '#6b7280',
};

const charts = {
  queue: new LineChart('chart-queue', 'legend-queue',
    ['4', '3', '2', '1', '0', '-1', '-2', '-3', '-4'].map(p => ({ key: p, label: 'pri ' + p, color: PRIORITY_COLORS[p] }))),
  threads: new LineChart('chart-threads', 'legend-threads', [
    { key: 'busy', label: 'busy', color: '#2563eb' },
    { key: 'idle', label: 'idle', color: '#9ca3af' },
  ]),
  rate: new LineChart('chart-rate', 'legend-rate', [
    { key: 'executed', label: 'executed', color: '#059669' },
    { key: 'cancelled', label: 'cancelled', color: '#dc2626' },
  ], '/s'),
  wait: new LineChart('chart-wait', 'legend-wait', [
    { key: 'mean', label: 'mean', color: '#2563eb' },
    { key: 'max', label: 'max', color: '#d97706' },
  ], ' ms'),
};

let previous = null; // {t, count, totalSeconds, cancellations}

async function getJson(url) {
  const r = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store' });
  if (!r.ok) {
    const e = new Error(url + ': ' + r.status);
    e.status = r.status;
    throw e;
  }
  return r.json();
}

/** COUNT, TOTAL_TIME and MAX of a timer over all its tags; zeros before its first request. */
async function timer(name) {
  try {
    const m = await getJson('actuator/metrics/' + name);
    const stat = k => (m.measurements.find(x => x.statistic === k) || { value: 0 }).value;
    return { count: stat('COUNT'), total: stat('TOTAL_TIME'), max: stat('MAX') };
  } catch (e) {
    if (e.status === 404) return { count: 0, total: 0, max: 0 };
    throw e;
  }
}

async function pollEngine() {
  const [aio, wait] = await Promise.all([getJson('actuator/aio'), timer('aio.request.wait')]);
  const now = performance.now();
  const ready = {};
  for (const [p, n] of Object.entries(aio.requests.readyByPriority)) ready[p] = n;
  charts.queue.push(ready);
  charts.threads.push({ busy: aio.threads.busy, idle: aio.threads.idle });

  const sample = { t: now, count: wait.count, total: wait.total, cancellations: aio.counters.cancellations };
  if (previous) {
    const dt = Math.max(0.001, (now - previous.t) / 1000);
    const dCount = Math.max(0, sample.count - previous.count);
    const dCancel = Math.max(0, sample.cancellations - previous.cancellations);
    const dTotal = Math.max(0, sample.total - previous.total);
    charts.rate.push({ executed: dCount / dt, cancelled: dCancel / dt });
    charts.wait.push({ mean: dCount > 0 ? (dTotal / dCount) * 1000 : 0, max: wait.max * 1000 });
  }
  previous = sample;

  const s = aio.settings;
  const status = document.getElementById('status');
  status.classList.remove('down');
  status.textContent = `backend ${s.backend} · ${aio.threads.running} threads (parallelism ${s.parallelism}) · `
    + `${aio.requests.outstanding} outstanding · ${aio.requests.ready} ready · ${aio.requests.pending} pending · `
    + `oldest wait ${aio.requests.oldestReadyAgeMillis == null ? '–' : aio.requests.oldestReadyAgeMillis + ' ms'} · ${s.jailed ? 'jailed in the data directory' : 'not jailed'}`;
  const threads = document.getElementById('threads');
  if (document.activeElement !== threads) threads.value = s.parallelism;
}

// ---------------------------------------------------------------------------------------------
// Jobs
// ---------------------------------------------------------------------------------------------

function message(text, isError) {
  const m = document.getElementById('job-message');
  m.textContent = text;
  m.className = 'message' + (isError ? ' error' : '');
}

async function problemText(r) {
  try {
    const p = await r.json();
    return (p.title ? p.title + ': ' : '') + (p.detail || r.status);
  } catch (e) {
    return 'HTTP ' + r.status;
  }
}

/** Headers for a write: the login entered at the top of the page (HTTP Basic), if any, plus {@code extra}. */
function writeHeaders(extra) {
  const h = Object.assign({}, extra || {});
  const user = document.getElementById('login-user').value;
  const password = document.getElementById('login-password').value;
  if (user) {
    h.Authorization = 'Basic ' + btoa(unescape(encodeURIComponent(user + ':' + password)));
  }
  return h;
}

async function startJob(op, src, dst) {
  const body = { op, src };
  if (op === 'copy' || op === 'move') body.dst = dst;
  const r = await fetch('api/jobs', { method: 'POST', headers: writeHeaders({ 'Content-Type': 'application/json' }), body: JSON.stringify(body) });
  if (!r.ok) {
    message(await problemText(r), true);
    return;
  }
  const job = await r.json();
  message(`started job ${job.id}: ${job.op} ${job.src}${job.dst ? ' → ' + job.dst : ''}`);
  await pollJobs();
}

async function cancelJob(id) {
  const r = await fetch('api/jobs/' + id, { method: 'DELETE', headers: writeHeaders() });
  message(r.ok ? `cancelling job ${id}` : await problemText(r), !r.ok);
  await pollJobs();
}

function jobRow(j) {
  const pct = j.total > 0 ? Math.min(100, Math.round((100 * j.done) / j.total)) : (j.state === 'succeeded' ? 100 : 0);
  const what = `${escapeHtml(j.op)} <code>${escapeHtml(j.src || '.')}</code>${j.dst ? ' → <code>' + escapeHtml(j.dst) + '</code>' : ''}`;
  let detail = `${j.done} / ${j.total}`;
  if (j.bytesTotal > 0) detail += ` · ${bytes(j.bytesDone)} / ${bytes(j.bytesTotal)}`;
  if (j.result) detail = `${j.result.files} files, ${j.result.directories} dirs, ${bytes(j.result.bytes)}`;
  const running = j.state === 'running';
  const error = j.error ? `<div class="error-text">${escapeHtml(j.error.errno || '')} ${escapeHtml(j.error.message)} ${escapeHtml(j.error.path || '')}</div>` : '';
  return `<tr data-job-id="${j.id}" data-state="${j.state}">
    <td>${j.id}</td>
    <td>${what}${error}</td>
    <td class="state ${j.state}">${j.state}</td>
    <td>${escapeHtml(j.phase)}</td>
    <td><div class="bar"><div style="width:${pct}%"></div><span>${detail}</span></div></td>
    <td>${running ? `<button class="cancel" data-job-id="${j.id}" type="button">Cancel</button>` : ''}</td>
  </tr>`;
}

let jobsHtml = null;

async function pollJobs() {
  const jobs = await getJson('api/jobs');
  const html = jobs.map(jobRow).join('')
    || '<tr><td colspan="6" class="message">No jobs yet: start a du or a copy.</td></tr>';
  if (html !== jobsHtml) { // re-render only what changed: buttons stay put while nothing moves
    jobsHtml = html;
    document.querySelector('#jobs tbody').innerHTML = html;
  }
}

// ---------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------

let cwd = '';

async function listDir(path) {
  const r = await fetch('api/dirs/' + encodePath(path), { headers: { Accept: 'application/json' } });
  if (!r.ok) {
    message(await problemText(r), true);
    return;
  }
  const listing = await r.json();
  cwd = listing.path;
  const parts = cwd ? cwd.split('/') : [];
  let crumbs = '<a href="#" data-dir="">data</a>';
  parts.forEach((p, i) => {
    crumbs += ' / <a href="#" data-dir="' + escapeHtml(parts.slice(0, i + 1).join('/')) + '">' + escapeHtml(p) + '</a>';
  });
  document.getElementById('crumbs').innerHTML = crumbs;
  const rows = [];
  if (cwd) {
    rows.push(`<tr><td><a href="#" data-dir="${escapeHtml(parts.slice(0, -1).join('/'))}">..</a></td><td></td><td></td><td></td><td></td></tr>`);
  }
  for (const e of listing.entries) {
    const link = e.type === 'directory'
      ? `<a href="#" data-dir="${escapeHtml(e.path)}">${escapeHtml(e.name)}/</a>`
      : `<a href="api/files/${encodePath(e.path)}" download>${escapeHtml(e.name)}</a>`;
    rows.push(`<tr><td>${link}</td><td>${e.type}</td><td class="num">${e.type === 'directory' ? '' : bytes(e.size)}</td>`
      + `<td>${e.mode}</td><td>${e.modified.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}</td></tr>`);
  }
  document.querySelector('#listing tbody').innerHTML = rows.join('');
}

// ---------------------------------------------------------------------------------------------
// Wiring
// ---------------------------------------------------------------------------------------------

document.getElementById('quick-du').addEventListener('click', () => startJob('du', 'library'));
document.getElementById('quick-copy').addEventListener('click',
  () => startJob('copy', 'library', 'library-copy-' + new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')));
document.getElementById('job-form').addEventListener('submit', ev => {
  ev.preventDefault();
  startJob(document.getElementById('job-op').value, document.getElementById('job-src').value.trim(),
    document.getElementById('job-dst').value.trim());
});
document.querySelector('#jobs tbody').addEventListener('click', ev => {
  const b = ev.target.closest('button.cancel');
  if (b) cancelJob(b.dataset.jobId);
});
document.getElementById('threads-form').addEventListener('submit', async ev => {
  ev.preventDefault();
  const n = parseInt(document.getElementById('threads').value, 10);
  const r = await fetch('actuator/aio', {
    method: 'POST', headers: writeHeaders({ 'Content-Type': 'application/json' }),
    body: JSON.stringify({ maxParallel: n, minParallel: n }),
  });
  message(r.ok ? `worker threads set to ${n}` : await problemText(r), !r.ok);
});
document.addEventListener('click', ev => {
  const a = ev.target.closest('a[data-dir]');
  if (a) {
    ev.preventDefault();
    listDir(a.dataset.dir);
  }
});
document.getElementById('login-form').addEventListener('submit', ev => ev.preventDefault());
document.getElementById('upload-form').addEventListener('submit', async ev => {
  ev.preventDefault();
  const f = document.getElementById('upload-file').files[0];
  if (!f) return;
  const target = (cwd ? cwd + '/' : '') + f.name;
  const r = await fetch('api/files/' + encodePath(target), { method: 'PUT', headers: writeHeaders(), body: f });
  message(r.ok ? `uploaded ${target} (${bytes(f.size)})` : await problemText(r), !r.ok);
  listDir(cwd);
});

async function loop() {
  try {
    await Promise.all([pollEngine(), pollJobs()]);
  } catch (e) {
    const status = document.getElementById('status');
    status.textContent = 'cannot reach the application: ' + e.message;
    status.classList.add('down');
  }
  setTimeout(loop, POLL_MS);
}

getJson('actuator/info').then(info => {
  const p = (info.sample || {}).priority || {};
  if (p.interactive !== undefined) document.getElementById('pri-interactive').textContent = p.interactive;
  if (p.background !== undefined) document.getElementById('pri-background').textContent = p.background;
}).catch(() => {});
listDir('');
loop();
