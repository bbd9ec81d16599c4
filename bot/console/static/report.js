// Report: the SLA report for a period (GET /api/v1/reports/sla) as a table and a chart of
// on-time, late and open items per role, its CSV, and the audit trail as NDJSON.
import { ApiError, get, query } from './api.js';
import { h, show, toast } from './dom.js';
import { number, t } from './i18n.js';

const svgNs = 'http://www.w3.org/2000/svg';
function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(svgNs, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

// One horizontal bar per row: on time, late and open side by side, scaled to the largest row.
function chart(rows) {
  const shown = rows.filter((r) => r.items > 0 || r.late > 0);
  if (!shown.length) return null;
  const rowHeight = 28, labelWidth = 170, width = 640, barWidth = width - labelWidth - 50;
  const most = Math.max(...shown.map((r) => r.on_time + r.late + r.open), 1);
  const bars = shown.map((r, i) => {
    const y = i * rowHeight;
    let x = labelWidth;
    const parts = [['on_time', r.on_time], ['late', r.late], ['open', r.open]].map(([name, n]) => {
      const w = (n / most) * barWidth;
      const rect = svg('rect', { x, y: y + 5, width: Math.max(w, 0), height: rowHeight - 10, class: `bar ${name}` },
        svg('title', {}, `${t(`console.report.${name}`)}: ${n}`));
      x += w;
      return rect;
    });
    const rate = r.on_time_rate === null ? '–' : number(r.on_time_rate, { style: 'percent' });
    return svg('g', {}, svg('text', { x: labelWidth - 8, y: y + rowHeight / 2 + 4, 'text-anchor': 'end' }, r.title || r.role),
      ...parts, svg('text', { x: x + 6, y: y + rowHeight / 2 + 4, class: 'rate' }, rate));
  });
  const legend = h('p', { class: 'legend' }, ['on_time', 'late', 'open'].map((k) => h('span', { class: `key ${k}` }, t(`console.report.${k}`))));
  return h('figure', { class: 'chart' },
    svg('svg', { viewBox: `0 0 ${width} ${shown.length * rowHeight}`, role: 'img', 'aria-label': t('console.report.chart') }, ...bars),
    legend);
}

function hours(x) { return x === null ? '–' : number(x, { maximumFractionDigits: 1 }); }

function table(report) {
  const cols = ['items', 'handled', 'on_time', 'late', 'open', 'on_time_rate', 'median_hours', 'p90_hours', 'escalations'];
  const cell = (r, c) => {
    if (c === 'on_time_rate') return r[c] === null ? '–' : number(r[c], { style: 'percent', maximumFractionDigits: 1 });
    if (c.endsWith('_hours')) return hours(r[c]);
    return number(r[c]);
  };
  const line = (r, label, extra = {}) => h('tr', extra, h('th', { scope: 'row' }, label), cols.map((c) => h('td', { 'data-col': c }, cell(r, c))));
  return h('div', { class: 'scroll' }, h('table', { class: 'list report' },
    h('thead', {}, h('tr', {}, h('th', {}, t('console.filter.role')), cols.map((c) => h('th', {}, t(`console.report.${c}`))))),
    h('tbody', {}, report.rows.map((r) => line(r, [r.title || r.role, r.head ? h('div', { class: 'muted' }, r.head) : null], { 'data-role': r.role }))),
    h('tfoot', {}, line(report.total, t('console.report.total'), { 'data-role': 'total' }))));
}

// Every event, page by page (X-Next-After), saved as one file.
async function downloadAudit(button) {
  const parts = [];
  let after = 0;
  button.disabled = true;
  try {
    for (;;) {
      const response = await fetch(`/api/v1/audit${query({ after })}`, { headers: { Accept: 'application/x-ndjson' } });
      if (!response.ok) throw new ApiError(response.status, String(response.status), (await response.json()).error.message);
      parts.push(await response.blob());
      const next = response.headers.get('X-Next-After');
      if (!next) break;
      after = next;
      button.textContent = t('console.report.audit_progress', { n: after });
    }
    const link = h('a', { href: URL.createObjectURL(new Blob(parts, { type: 'application/x-ndjson' })), download: 'signoff-audit.ndjson' });
    document.body.append(link);
    link.click();
    link.remove();
  } catch (e) {
    toast(e.message, true);
  } finally {
    button.disabled = false;
    button.textContent = t('console.report.audit');
  }
}

function isoDay(d) { return d.toISOString().slice(0, 10); }

export async function renderReport(view, ctx, _params, period = null) {
  const to = period?.to || isoDay(new Date());
  const from = period?.from || isoDay(new Date(Date.now() - 29 * 86400000));
  const report = await get(`/api/v1/reports/sla${query({ from, to })}`);
  const fromInput = h('input', { type: 'date', name: 'from', value: report.from });
  const toInput = h('input', { type: 'date', name: 'to', value: report.to });
  const audit = h('button', { type: 'button', onclick: () => downloadAudit(audit) }, t('console.report.audit'));
  show(view, h('h1', {}, t('console.report.title')),
    h('form', { class: 'filters', onsubmit: (e) => {
      e.preventDefault();
      renderReport(view, ctx, _params, { from: fromInput.value, to: toInput.value }).catch((err) => toast(err.message, true));
    } },
    h('label', {}, t('console.report.from'), fromInput), h('label', {}, t('console.report.to'), toInput),
    h('button', { type: 'submit' }, t('console.report.show'))),
    h('p', { class: 'muted' }, t('console.report.period', { from: report.from, to: report.to, zone: report.timezone })),
    chart(report.rows),
    table(report),
    h('p', { class: 'downloads' },
      h('a', { class: 'button', href: `/api/v1/reports/sla${query({ from: report.from, to: report.to, format: 'csv' })}`,
        download: `signoff-sla-${report.from}-${report.to}.csv` }, t('console.report.csv')),
      ' ', audit));
}
