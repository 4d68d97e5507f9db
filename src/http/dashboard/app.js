// The dashboard's browser side (plain script, no build step): polls /dashboard/data every 2 s, turns the totals
// into rates between two polls, and draws them with uPlot (served by the service itself, nothing from outside).
(() => {
  'use strict';
  // ?poll=<ms> polls faster (tests, a wall screen); never faster than 4 a second.
  const POLL_MS = Math.max(250, Number(new URLSearchParams(location.search).get('poll')) || 2000);
  const KEEP = 150; // five minutes at one point per poll
  const $ = (id) => document.getElementById(id);

  /** The p-quantile of observations per bucket, interpolated inside its bucket, like histogram_quantile. */
  function quantile(buckets, counts, p) {
    const total = counts.reduce((a, b) => a + b, 0);
    if (total === 0) return null;
    const rank = p * total;
    let seen = 0;
    for (let i = 0; i < counts.length; i++) {
      const n = counts[i];
      if (n > 0 && seen + n >= rank) {
        if (i >= buckets.length) return buckets[buckets.length - 1];
        const lower = i === 0 ? 0 : buckets[i - 1];
        return lower + (buckets[i] - lower) * ((rank - seen) / n);
      }
      seen += n;
    }
    return buckets[buckets.length - 1];
  }

  const bytes = (n) => {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let unit = 0;
    while (n >= 1024 && unit < units.length - 1) { n /= 1024; unit++; }
    return unit === 0 ? `${n} B` : `${n.toFixed(1)} ${units[unit]}`;
  };
  const rate = (n) => (n >= 100 ? Math.round(n).toLocaleString() : n.toFixed(1));
  const ms = (seconds) => (seconds === null ? '–' : seconds * 1000 >= 10 ? `${(seconds * 1000).toFixed(0)} ms` : `${(seconds * 1000).toFixed(2)} ms`);
  const count = (n) => n.toLocaleString();

  // Series kept for the charts: time (s), then one array per line.
  const history = { t: [], ops: [], hit: [], p50: [], p99: [], refused: [], errors: [] };
  const charts = {};

  function makeChart(id, series, options = {}) {
    const el = $(id);
    const opts = {
      width: el.clientWidth || 300,
      height: 180,
      series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, fill: s.fill, points: { show: false }, spanGaps: true }))],
      axes: [
        {
          stroke: '#8b98a5',
          grid: { stroke: '#26303b' },
          ticks: { stroke: '#26303b' },
          space: 90,
          values: (_u, ticks) => ticks.map((t) => new Date(t * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' })),
        },
        { stroke: '#8b98a5', grid: { stroke: '#26303b' }, ticks: { stroke: '#26303b' }, size: 50, values: options.values },
      ],
      scales: { x: { time: true }, y: options.y ?? {} },
      // The panel's heading shows the latest values; the legend only names the lines.
      legend: { show: series.length > 1, live: false },
      cursor: { drag: { x: false, y: false } },
    };
    charts[id] = new uPlot(opts, [[], ...series.map(() => [])], el);
  }

  function resize() {
    for (const [id, chart] of Object.entries(charts)) chart.setSize({ width: $(id).clientWidth, height: 180 });
  }

  makeChart('c-ops', [{ label: 'ops/s', color: '#4cc2ff', fill: 'rgba(76,194,255,.12)' }]);
  makeChart('c-hit', [{ label: 'hit rate', color: '#3fb950', fill: 'rgba(63,185,80,.12)' }], { y: { range: [0, 100] } });
  makeChart('c-lat', [
    { label: 'p50', color: '#4cc2ff' },
    { label: 'p99', color: '#d29922' },
  ]);
  makeChart('c-err', [
    { label: 'refusals/s', color: '#d29922' },
    { label: 'errors/s', color: '#f85149' },
  ]);
  window.addEventListener('resize', resize);

  function setBar(id, fraction) {
    const bar = $(id);
    const pct = Math.max(0, Math.min(1, fraction)) * 100;
    bar.firstElementChild.style.width = `${pct}%`;
    bar.className = `bar${pct >= 90 ? ' bad' : pct >= 75 ? ' warn' : ''}`;
  }

  let previous = null;
  // What the page last drew, for people reading it with tools (and the browser test).
  window.remembrDashboard = { polls: 0, points: 0, latest: null, error: null };

  function render(data) {
    const status = $('status');
    status.textContent = data.up ? `${data.store} up` : `${data.store} down`;
    status.className = `badge ${data.up ? 'up' : 'down'}`;
    $('meta').textContent = `v${data.version} · updated ${new Date(data.at).toLocaleTimeString()}`;

    const mem = data.memory;
    $('t-mem').textContent = bytes(mem.usedBytes);
    $('t-mem-sub').textContent = mem.maxBytes > 0 ? `of ${bytes(mem.maxBytes)} maxmemory (${((100 * mem.usedBytes) / mem.maxBytes).toFixed(1)}%)` : data.store === 'memory' ? 'embedded store (approximate)' : 'no maxmemory set';
    setBar('b-mem', mem.maxBytes > 0 ? mem.usedBytes / mem.maxBytes : 0);
    $('t-conn').textContent = data.store === 'memory' ? 'in process' : `${data.connections.open} / ${data.connections.max}`;
    $('t-conn-sub').textContent = data.store === 'memory' ? 'no connections needed' : 'open of the maximum';
    setBar('b-conn', data.connections.max > 0 ? data.connections.open / data.connections.max : 0);

    const t = data.totals;
    $('t-ref').textContent = count(t.rateLimitRefused);
    $('t-evi').textContent = count(t.windowEvictions);
    const errors = t.cacheErrors + t.storeFailures + t.httpServerErrors;
    $('t-err').textContent = count(errors);
    $('t-err').classList.toggle('bad-text', errors > 0);
    $('t-err-sub').textContent = `store ${count(t.storeFailures)} · cache ${count(t.cacheErrors)} · HTTP 5xx ${count(t.httpServerErrors)}`;

    if (previous) {
      const dt = (data.at - previous.at) / 1000;
      if (dt > 0) {
        const p = previous.totals;
        const ops = (t.storeCommands - p.storeCommands) / dt;
        const reads = t.cacheHits - p.cacheHits + (t.cacheMisses - p.cacheMisses);
        const hit = reads > 0 ? (100 * (t.cacheHits - p.cacheHits)) / reads : null;
        const delta = data.latency.counts.map((n, i) => n - (previous.latency.counts[i] ?? 0));
        const p50 = quantile(data.latency.buckets, delta, 0.5);
        const p99 = quantile(data.latency.buckets, delta, 0.99);
        const refused = (t.rateLimitRefused - p.rateLimitRefused) / dt;
        const errs = (errors - (p.cacheErrors + p.storeFailures + p.httpServerErrors)) / dt;

        history.t.push(data.at / 1000);
        history.ops.push(ops);
        history.hit.push(hit);
        history.p50.push(p50 === null ? null : p50 * 1000);
        history.p99.push(p99 === null ? null : p99 * 1000);
        history.refused.push(refused);
        history.errors.push(errs);
        for (const series of Object.values(history)) if (series.length > KEEP) series.shift();

        $('t-ops').textContent = rate(ops);
        $('t-ops-sub').textContent = data.redisOpsPerSecond !== undefined ? `Redis reports ${count(data.redisOpsPerSecond)}/s (all clients)` : 'store calls by this service';
        $('t-hit').textContent = hit === null ? '–' : `${hit.toFixed(1)}%`;
        $('t-hit-sub').textContent = `${count(t.cacheHits)} hits · ${count(t.cacheMisses)} misses in all`;
        $('t-lat').textContent = p50 === null ? '–' : ms(p50);
        $('t-lat-sub').textContent = p99 === null ? 'no calls in the last poll' : `p99 ${ms(p99)}`;
        $('t-ref-sub').textContent = `${rate(refused)}/s now`;
        $('t-evi-sub').textContent = `${rate((t.windowEvictions - p.windowEvictions) / dt)}/s now`;
        $('n-ops').textContent = rate(ops);
        $('n-hit').textContent = hit === null ? '' : `${hit.toFixed(1)}%`;
        $('n-lat').textContent = p50 === null ? '' : `${ms(p50)} · ${ms(p99)}`;
        $('n-err').textContent = `${rate(refused)} · ${rate(errs)}`;

        charts['c-ops'].setData([history.t, history.ops]);
        charts['c-hit'].setData([history.t, history.hit]);
        charts['c-lat'].setData([history.t, history.p50, history.p99]);
        charts['c-err'].setData([history.t, history.refused, history.errors]);
        window.remembrDashboard.points = history.t.length;
      }
    }
    previous = data;
    window.remembrDashboard.polls++;
    window.remembrDashboard.latest = { history, data };
  }

  async function poll() {
    try {
      const res = await fetch('/dashboard/data', { cache: 'no-store', credentials: 'same-origin' });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      render(await res.json());
      window.remembrDashboard.error = null;
    } catch (err) {
      window.remembrDashboard.error = String(err);
      const status = $('status');
      status.textContent = 'service unreachable';
      status.className = 'badge down';
    } finally {
      setTimeout(poll, POLL_MS);
    }
  }
  poll();
})();
