// Queue: the open items, overdue first, then by due time, with filters (kind, status, role,
// assignee, overdue) and due times that count down.
import { get, query } from './api.js';
import { h, show } from './dom.js';
import { dateTime, kindName, relative, statusName, t } from './i18n.js';

const openStatuses = ['pending', 'changes_requested', 'open', 'acknowledged'];
const kinds = ['draft', 'complaint', 'query', 'feedback'];
const filters = { kind: '', status: '', role: '', assignee: '', overdue: false };

async function openItems(f) {
  const statuses = f.status ? [f.status] : openStatuses;
  const pages = await Promise.all(statuses.map((status) => get(`/api/v1/items${query({
    status, kind: f.kind, role: f.role, assignee: f.assignee, overdue: f.overdue ? 'true' : '', limit: 500,
  })}`)));
  const items = pages.flatMap((p) => p.items);
  const now = Date.now();
  const overdue = (it) => new Date(it.due).getTime() < now;
  return items.sort((a, b) => (overdue(b) - overdue(a)) || (new Date(a.due) - new Date(b.due)));
}

function select(name, options, current, label) {
  return h('label', {}, label,
    h('select', { name, 'data-filter': name },
      h('option', { value: '' }, t('console.filter.any')),
      options.map(([value, text]) => h('option', { value, selected: value === current }, text))));
}

function dueCell(it) {
  const late = new Date(it.due).getTime() < Date.now();
  return h('span', { class: late ? 'due late' : 'due', title: dateTime(it.due), 'data-due': it.due },
    late ? t('console.queue.overdue', { when: relative(it.due) }) : relative(it.due));
}

function tick(table) {
  if (!table.isConnected) return clearInterval(tick.timer);
  for (const el of table.querySelectorAll('[data-due]')) {
    const late = new Date(el.dataset.due).getTime() < Date.now();
    el.textContent = late ? t('console.queue.overdue', { when: relative(el.dataset.due) }) : relative(el.dataset.due);
    el.classList.toggle('late', late);
  }
}

export async function renderQueue(view, ctx) {
  const items = await openItems(filters);
  const people = ctx.directory.people.map((p) => [p.id, p.name]);
  const roles = ctx.directory.roles.map((r) => [r.id, r.title]);
  const form = h('form', { class: 'filters', onchange: (e) => {
    const el = e.target;
    filters[el.dataset.filter] = el.type === 'checkbox' ? el.checked : el.value;
    renderQueue(view, ctx);
  } },
  select('kind', kinds.map((k) => [k, kindName(k)]), filters.kind, t('console.filter.kind')),
  select('status', openStatuses.map((s) => [s, statusName(s)]), filters.status, t('console.filter.status')),
  select('role', roles, filters.role, t('console.filter.role')),
  select('assignee', people, filters.assignee, t('console.filter.assignee')),
  h('label', { class: 'check' }, h('input', { type: 'checkbox', 'data-filter': 'overdue', checked: filters.overdue }),
    t('console.filter.overdue')),
  h('button', { type: 'button', class: 'link', onclick: () => {
    filters.assignee = filters.assignee === ctx.session.person ? '' : ctx.session.person;
    renderQueue(view, ctx);
  } }, filters.assignee === ctx.session.person ? t('console.queue.everyone') : t('console.queue.mine')));

  const rows = items.map((it) => h('tr', { class: it.urgent ? 'urgent' : '', 'data-item': it.id },
    h('td', {}, h('a', { href: `#/items/${it.id}` }, `#${it.id}`)),
    h('td', {}, kindName(it.kind)),
    h('td', { class: 'title' }, h('a', { href: `#/items/${it.id}` }, it.title || it.body.slice(0, 80)),
      it.urgent ? h('span', { class: 'tag urgent' }, t('console.urgent')) : null),
    h('td', {}, h('span', { class: `status ${it.status}` }, statusName(it.status))),
    h('td', {}, ctx.personName(it.assignee)),
    h('td', {}, dueCell(it))));
  const table = items.length
    ? h('table', { class: 'list queue' },
      h('thead', {}, h('tr', {}, ['#', 'console.col.kind', 'console.col.title', 'console.col.status', 'console.col.assignee',
        'console.col.due'].map((k) => h('th', {}, k === '#' ? k : t(k))))),
      h('tbody', {}, rows))
    : h('p', { class: 'muted empty' }, t('console.queue.empty'));
  show(view, h('h1', {}, t('console.queue.title'), ' ', h('span', { class: 'count' }, String(items.length))), form, table);
  clearInterval(tick.timer);
  tick.timer = setInterval(() => tick(view), 30000);
}
