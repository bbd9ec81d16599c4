// Calendar: the drafts planned for the next two months by publish_at, day by day, with status.
import { get, query } from './api.js';
import { h, show } from './dom.js';
import { day, monthName, statusName, t } from './i18n.js';

// The office's local date of an instant, as YYYY-MM-DD.
function localDate(instant, timeZone) {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

export async function renderCalendar(view, ctx) {
  const zone = ctx.directory.timezone;
  const data = await get(`/api/v1/calendar${query({ from: localDate(new Date(), zone) })}`);
  const byMonth = new Map();
  for (const it of data.items) {
    const when = new Date(it.publish_at);
    const month = monthName(when);
    const date = localDate(when, zone);
    if (!byMonth.has(month)) byMonth.set(month, new Map());
    const days = byMonth.get(month);
    if (!days.has(date)) days.set(date, []);
    days.get(date).push(it);
  }
  const time = new Intl.DateTimeFormat(document.documentElement.lang, { timeStyle: 'short', timeZone: zone });
  const months = [...byMonth].map(([month, days]) => h('section', { class: 'month' }, h('h2', {}, month),
    h('ol', { class: 'days' }, [...days].map(([, items]) => h('li', { class: 'day' },
      h('h3', {}, day(items[0].publish_at)),
      h('ul', {}, items.map((it) => h('li', { class: `planned ${it.status}`, 'data-item': it.id },
        h('time', {}, time.format(new Date(it.publish_at))), ' ',
        h('a', { href: `#/items/${it.id}` }, it.title || `#${it.id}`), ' ',
        h('span', { class: `status ${it.status}` }, statusName(it.status)),
        it.platforms.length ? h('span', { class: 'muted' }, ` · ${it.platforms.join(', ')}`) : null))))))));
  show(view, h('h1', {}, t('console.calendar.title')),
    h('p', { class: 'muted' }, t('console.calendar.period', { from: data.from, to: data.to })),
    months.length ? months : h('p', { class: 'muted empty' }, t('console.calendar.empty')),
    data.truncated ? h('p', { class: 'error' }, t('console.calendar.truncated')) : null);
}
