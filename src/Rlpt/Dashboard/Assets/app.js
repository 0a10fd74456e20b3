// Rlpt dashboard: lists the runs under the served folder, draws their metrics.jsonl live (uPlot), and shows their
// logged completions, evaluation estimates with intervals, plots and configs. Plain script, no build step.
'use strict';

const POLL_MS = 2000, RUNS_MS = 10000;
const PREFERRED = ['loss', 'val_loss', 'reward', 'eval_loss', 'eval_return'];
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];

const state = {
  runs: [],              // from /api/runs
  selected: [],          // run ids, in the order picked (colours follow it)
  data: new Map(),       // id -> { metrics: [], metricsOffset, completions: [], completionsOffset }
  picked: null,          // Set of metric names, null until first chosen
  smoothing: 0,
  log: false,
  tab: 'charts',
  charts: new Map(),     // metric -> { plot, element }
};

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  for (const child of children) node.append(child);
  return node;
};
const fmt = (v) => (typeof v !== 'number' ? String(v) : Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : +v.toFixed(4) + '');
const api = async (path) => {
  const response = await fetch(path, { cache: 'no-store' });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
};
const query = (params) => new URLSearchParams(params).toString();
const runLabel = (id) => id || '(root)';
const colorOf = (id) => COLORS[state.selected.indexOf(id) % COLORS.length];

// ---- runs ----------------------------------------------------------------------------------------------------------

async function refreshRuns() {
  try {
    state.runs = await api('api/runs');
    $('status').textContent = `${state.runs.length} runs · updated ${new Date().toLocaleTimeString()}`;
  } catch (error) {
    $('status').textContent = `server unreachable (${error.message})`;
  }
  state.selected = state.selected.filter((id) => state.runs.some((r) => r.id === id));
  renderRuns();
}

function renderRuns() {
  const filter = $('run-filter').value.toLowerCase();
  const list = $('runs');
  list.replaceChildren();
  for (const run of state.runs) {
    const text = `${runLabel(run.id)} ${run.command}`.toLowerCase();
    if (filter && !text.includes(filter)) continue;
    const box = el('input', { type: 'checkbox', checked: state.selected.includes(run.id) });
    box.dataset.run = run.id;
    box.addEventListener('change', () => toggleRun(run.id, box.checked));
    const swatch = el('span', { className: 'swatch' });
    if (state.selected.includes(run.id)) swatch.style.background = colorOf(run.id);
    list.append(el('li', {}, el('label', { title: run.command }, box, swatch, runLabel(run.id),
      el('small', {}, run.command ? ` ${run.command}` : ''))));
  }
}

function toggleRun(id, on) {
  state.selected = on ? [...new Set([...state.selected, id])] : state.selected.filter((r) => r !== id);
  location.hash = query({ runs: state.selected.join(',') });
  renderRuns();
  poll().then(renderAll);
}

// ---- data ----------------------------------------------------------------------------------------------------------

async function fetchTail(kind, id, record) {
  const offsetKey = `${kind}Offset`;
  const chunk = await api(`api/${kind}?${query({ run: id, offset: record[offsetKey] })}`);
  if (chunk.restarted) record[kind] = [];
  record[offsetKey] = chunk.offset;
  record[kind].push(...chunk.rows);
  return chunk.rows.length > 0 || chunk.restarted;
}

async function poll() {
  let changed = false;
  for (const id of state.selected) {
    const run = state.runs.find((r) => r.id === id);
    if (!run) continue;
    if (!state.data.has(id)) state.data.set(id, { metrics: [], metricsOffset: 0, completions: [], completionsOffset: 0 });
    const record = state.data.get(id);
    try {
      if (run.has_metrics && await fetchTail('metrics', id, record)) changed = true;
      if (run.has_completions && await fetchTail('completions', id, record)) { changed = true; record.completionsChanged = true; }
    } catch (error) {
      $('status').textContent = `${runLabel(id)}: ${error.message}`;
    }
  }
  return changed;
}

function metricNames() {
  const names = new Set();
  for (const id of state.selected) {
    for (const row of state.data.get(id)?.metrics ?? []) {
      for (const [key, value] of Object.entries(row)) if (key !== 'step' && typeof value === 'number') names.add(key);
    }
  }
  return [...names].sort();
}

// ---- metrics panel -------------------------------------------------------------------------------------------------

function renderMetricList(names) {
  if (state.picked === null && names.length > 0) {
    const preferred = PREFERRED.filter((n) => names.includes(n));
    state.picked = new Set(preferred.length > 0 ? preferred : names.slice(0, 4));
  }
  const filter = $('metric-filter').value.toLowerCase();
  const list = $('metrics');
  list.replaceChildren();
  for (const name of names) {
    if (filter && !name.toLowerCase().includes(filter)) continue;
    const box = el('input', { type: 'checkbox', checked: state.picked?.has(name) ?? false });
    box.dataset.metric = name;
    box.addEventListener('change', () => {
      if (box.checked) state.picked.add(name); else state.picked.delete(name);
      renderCharts();
    });
    list.append(el('li', {}, el('label', {}, box, name)));
  }
}

// TensorBoard's smoothing: an exponential moving average, debiased so the first points are not pulled towards 0.
function smooth(values, weight) {
  if (weight <= 0) return values;
  let last = 0, count = 0;
  return values.map((v) => {
    if (v === null || !Number.isFinite(v)) return null;
    last = last * weight + (1 - weight) * v;
    count++;
    return last / (1 - Math.pow(weight, count));
  });
}

function seriesFor(metric) {
  const steps = new Set();
  const perRun = state.selected.map((id) => {
    const points = new Map();
    (state.data.get(id)?.metrics ?? []).forEach((row, index) => {
      const value = row[metric];
      if (typeof value !== 'number') return;
      const x = typeof row.step === 'number' ? row.step : index + 1;
      points.set(x, value);
      steps.add(x);
    });
    return { id, points };
  }).filter((s) => s.points.size > 0);
  const xs = [...steps].sort((a, b) => a - b);
  const raw = perRun.map((s) => xs.map((x) => (s.points.has(x) ? s.points.get(x) : null)));
  const ys = raw.map((values) => smooth(values, state.smoothing).map((v) => (state.log && v !== null && v <= 0 ? null : v)));
  return { xs, ys, runs: perRun.map((s) => s.id), points: perRun.reduce((n, s) => n + s.points.size, 0) };
}

function renderCharts() {
  const container = $('charts');
  const names = metricNames();
  renderMetricList(names);
  const picked = names.filter((n) => state.picked?.has(n));
  if (state.selected.length === 0 || picked.length === 0) {
    for (const { plot } of state.charts.values()) plot.destroy();
    state.charts.clear();
    container.replaceChildren(el('p', { className: 'empty' }, state.selected.length === 0 ? 'Pick a run on the left.' : 'No metrics yet: waiting for metrics.jsonl.'));
    return;
  }
  container.querySelector('.empty')?.remove();
  for (const [metric, chart] of state.charts) {
    if (!picked.includes(metric)) { chart.plot.destroy(); chart.element.remove(); state.charts.delete(metric); }
  }
  for (const metric of picked) {
    const { xs, ys, runs, points } = seriesFor(metric);
    const signature = `${runs.join('|')}|${state.log}`;
    let chart = state.charts.get(metric);
    if (chart && chart.signature !== signature) { chart.plot.destroy(); chart.element.remove(); state.charts.delete(metric); chart = null; }
    if (!chart) {
      const element = el('div', { className: 'chart' });
      element.dataset.metric = metric;
      container.append(element);
      const width = Math.max(320, Math.min(640, Math.floor((container.clientWidth - 40) / 2))); // two charts a row
      const plot = new uPlot({
        title: metric, width, height: 240,
        scales: { x: { time: false }, y: state.log ? { distr: 3 } : {} },
        axes: [{ label: 'step' }, { size: 70, values: (u, ticks) => ticks.map(fmt) }],
        series: [{ label: 'step' }, ...runs.map((id) => ({ label: runLabel(id), stroke: colorOf(id), width: 1.5, spanGaps: true }))],
      }, [xs, ...ys], element);
      chart = { plot, element, signature };
      state.charts.set(metric, chart);
    } else {
      chart.plot.setData([xs, ...ys]);
    }
    chart.element.dataset.points = String(points);
  }
}

// ---- completions ---------------------------------------------------------------------------------------------------

function completionRows() {
  return state.selected.flatMap((id) => (state.data.get(id)?.completions ?? []).map((row) => ({ run: id, ...row })));
}

function renderCompletions() {
  const rows = completionRows();
  const steps = [...new Set(rows.map((r) => r.step))].sort((a, b) => a - b);
  const select = $('completion-step');
  const chosen = select.value;
  select.replaceChildren(el('option', { value: '' }, 'every step'), ...steps.map((s) => el('option', { value: String(s) }, `step ${s}`)));
  select.value = steps.map(String).includes(chosen) ? chosen : '';
  const functions = [...new Set(rows.flatMap((r) => Object.keys(r.rewards ?? {})))].sort();
  const hasAdvantage = rows.some((r) => typeof r.advantage === 'number');
  const hasReference = rows.some((r) => typeof r.reference === 'string');
  const columns = ['run', 'step', 'prompt', ...(hasReference ? ['reference'] : []), 'completion', 'reward', ...functions.map((f) => `reward: ${f}`), ...(hasAdvantage ? ['advantage'] : [])];
  const table = $('completion-table');
  table.tHead.replaceChildren(el('tr', {}, ...columns.map((c) => el('th', {}, c))));
  const filter = $('completion-filter').value.toLowerCase();
  const shown = rows.filter((r) => (select.value === '' || String(r.step) === select.value) &&
    (!filter || [r.prompt, r.completion, r.reference].some((t) => typeof t === 'string' && t.toLowerCase().includes(filter))));
  const body = table.tBodies[0];
  body.replaceChildren(...shown.slice(-500).map((r) => {
    const cells = [runLabel(r.run), r.step, text(r.prompt), ...(hasReference ? [text(r.reference)] : []), text(r.completion), number(r.reward),
      ...functions.map((f) => number(r.rewards?.[f])), ...(hasAdvantage ? [number(r.advantage)] : [])];
    return el('tr', { className: 'completion-row' }, ...cells.map((c) => (c instanceof Node ? el('td', {}, c) : el('td', {}, String(c ?? '')))));
  }));
  $('completion-count').textContent = rows.length === 0 ? 'no completions.jsonl in the picked runs'
    : `${shown.length} of ${rows.length} completions${shown.length > 500 ? ' (the last 500 shown)' : ''}`;
}

function text(value) {
  if (typeof value !== 'string') return '';
  const cell = el('div', { className: 'text', title: 'click to expand' }, value);
  cell.addEventListener('click', () => cell.classList.toggle('open'));
  return cell;
}

function number(value) {
  if (typeof value !== 'number') return '';
  const span = el('span', { className: value > 0 ? 'positive' : value < 0 ? 'negative' : '' }, fmt(value));
  return span;
}

// ---- evaluation, plots, config -------------------------------------------------------------------------------------

// Every object with numeric mean, low and high in a result file is an estimate with its interval; its label is its path,
// with array items named by their kind / name / level / learner when they have one.
function estimates(node, path = '', found = new Map()) {
  if (Array.isArray(node)) {
    node.forEach((item, i) => {
      const name = item && typeof item === 'object' ? item.kind ?? item.name ?? item.level ?? item.learner ?? i : i;
      estimates(item, `${path}[${name}]`, found);
    });
  } else if (node && typeof node === 'object') {
    if (['mean', 'low', 'high'].every((k) => typeof node[k] === 'number')) found.set(path || 'value', node);
    else for (const [key, value] of Object.entries(node)) estimates(value, path ? `${path}.${key}` : key, found);
  }
  return found;
}

async function renderEvaluation() {
  const section = $('evaluation');
  const results = [];
  for (const id of state.selected) {
    const run = state.runs.find((r) => r.id === id);
    for (const name of (run?.files ?? []).filter((f) => f === 'eval.json' || f === 'report.json' || f === 'result.json')) {
      try { results.push({ id, name, found: estimates(await api(`api/file?${query({ run: id, name })}`)) }); } catch { /* a file being rewritten */ }
    }
  }
  const withEstimates = results.filter((r) => r.found.size > 0);
  if (withEstimates.length === 0) {
    section.replaceChildren(el('p', { className: 'empty' }, 'No estimates with intervals (eval.json, report.json) in the picked runs.'));
    return;
  }
  const labels = [...new Set(withEstimates.flatMap((r) => [...r.found.keys()]))];
  const table = el('table', { className: 'estimates' });
  table.append(el('thead', {}, el('tr', {}, el('th', {}, 'estimate (95% CI)'), ...withEstimates.map((r) => el('th', {}, `${runLabel(r.id)} · ${r.name}`)))));
  const body = el('tbody');
  for (const label of labels) {
    const cells = withEstimates.map((r) => r.found.get(label));
    const lows = cells.filter(Boolean).map((c) => c.low), highs = cells.filter(Boolean).map((c) => c.high);
    const min = Math.min(...lows), max = Math.max(...highs), span = max - min || 1;
    body.append(el('tr', {}, el('td', {}, label), ...cells.map((c) => {
      if (!c) return el('td');
      const bar = el('div', { className: 'ci' }, el('span', {}));
      bar.firstChild.style.left = `${((c.low - min) / span) * 100}%`;
      bar.firstChild.style.width = `${Math.max(1, ((c.high - c.low) / span) * 100)}%`;
      return el('td', { className: 'estimate' }, `${fmt(c.mean)} [${fmt(c.low)}, ${fmt(c.high)}]`, bar);
    })));
  }
  table.append(body);
  section.replaceChildren(table);
}

function renderPlots() {
  const section = $('plots');
  const figures = state.selected.flatMap((id) => (state.runs.find((r) => r.id === id)?.files ?? [])
    .filter((f) => f.endsWith('.png') || f.endsWith('.svg'))
    .map((name) => el('figure', {}, el('img', { src: `api/file?${query({ run: id, name })}&t=${Date.now()}`, alt: name, loading: 'lazy' }),
      el('figcaption', {}, `${runLabel(id)} · ${name}`))));
  section.replaceChildren(...(figures.length > 0 ? figures : [el('p', { className: 'empty' }, 'No plots in the picked runs.')]));
}

async function renderConfig() {
  const section = $('config');
  const blocks = [];
  for (const id of state.selected) {
    const run = state.runs.find((r) => r.id === id);
    if (!run?.files.includes('run_config.json')) continue;
    try {
      const config = await api(`api/file?${query({ run: id, name: 'run_config.json' })}`);
      blocks.push(el('div', { className: 'config' }, el('h3', {}, runLabel(id)), el('pre', {}, JSON.stringify(config, null, 2))));
    } catch { /* skip */ }
  }
  section.replaceChildren(...(blocks.length > 0 ? blocks : [el('p', { className: 'empty' }, 'No run_config.json in the picked runs.')]));
}

// ---- wiring --------------------------------------------------------------------------------------------------------

function renderAll() {
  renderCharts();
  if (state.tab === 'completions') renderCompletions();
  if (state.tab === 'evaluation') renderEvaluation();
  if (state.tab === 'plots') renderPlots();
  if (state.tab === 'config') renderConfig();
}

function showTab(tab) {
  state.tab = tab;
  document.querySelectorAll('nav button').forEach((b) => b.classList.toggle('active', b.dataset.tab === tab));
  document.querySelectorAll('.tab').forEach((s) => s.classList.toggle('active', s.id === tab));
  renderAll();
}

document.querySelectorAll('nav button').forEach((b) => b.addEventListener('click', () => showTab(b.dataset.tab)));
$('run-filter').addEventListener('input', renderRuns);
$('metric-filter').addEventListener('input', () => renderMetricList(metricNames()));
$('smoothing').addEventListener('input', (e) => { state.smoothing = +e.target.value; $('smoothing-value').textContent = e.target.value; renderCharts(); });
$('log-scale').addEventListener('change', (e) => { state.log = e.target.checked; renderCharts(); });
$('completion-filter').addEventListener('input', renderCompletions);
$('completion-step').addEventListener('change', renderCompletions);

(async function start() {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('runs');
  await refreshRuns();
  state.selected = fromHash ? fromHash.split(',').filter((id) => state.runs.some((r) => r.id === id))
    : state.runs.filter((r) => r.has_metrics).sort((a, b) => (a.modified < b.modified ? -1 : 1)).slice(-1).map((r) => r.id); // the latest run
  renderRuns();
  await poll();
  renderAll();
  setInterval(async () => {
    if (await poll()) {
      renderCharts();
      if (state.tab === 'completions') renderCompletions();
    }
  }, POLL_MS);
  setInterval(async () => { await refreshRuns(); }, RUNS_MS);
})();
