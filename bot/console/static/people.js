// People: who is away until when; an admin sets anyone's availability.
import { put } from './api.js';
import { h, show, toast } from './dom.js';
import { dateTime, officeTimeToIso, t } from './i18n.js';

export async function renderPeople(view, ctx) {
  await ctx.refreshDirectory();
  const roleOf = new Map();
  for (const r of ctx.directory.roles) {
    roleOf.set(r.head, [...(roleOf.get(r.head) || []), r.title]);
    if (r.fallback) roleOf.set(r.fallback, [...(roleOf.get(r.fallback) || []), t('console.people.fallback', { role: r.title })]);
  }
  const admin = ctx.session.admin;
  const rows = ctx.directory.people.map((p) => {
    let controls = null;
    if (admin) {
      const until = h('input', { type: 'datetime-local', name: 'until', 'aria-label': t('console.people.until') });
      const set = async (away) => {
        try {
          await put(`/api/v1/people/${encodeURIComponent(p.id)}/availability`,
            { away, ...(away && until.value ? { until: officeTimeToIso(until.value) } : {}) });
          toast(t(away ? 'console.people.now_away' : 'console.people.now_back', { name: p.name }));
          await renderPeople(view, ctx);
        } catch (e) {
          toast(e.message, true);
        }
      };
      controls = p.away
        ? h('button', { type: 'button', onclick: () => set(false), 'data-action': 'back' }, t('console.people.back'))
        : h('span', { class: 'inline' }, until, h('button', { type: 'button', onclick: () => set(true), 'data-action': 'away' },
          t('console.people.away')));
    }
    return h('tr', { 'data-person': p.id, class: p.away ? 'away' : '' },
      h('td', {}, h('strong', {}, p.name), h('div', { class: 'muted' }, p.id)),
      h('td', {}, (roleOf.get(p.id) || []).join('; ')),
      h('td', {}, p.away ? (p.until ? t('console.people.away_until', { until: dateTime(p.until) }) : t('console.people.away_now'))
        : t('console.people.present')),
      admin ? h('td', {}, controls) : null);
  });
  show(view, h('h1', {}, t('console.people.title')),
    h('table', { class: 'list people' },
      h('thead', {}, h('tr', {}, h('th', {}, t('console.people.person')), h('th', {}, t('console.people.roles')),
        h('th', {}, t('console.people.availability')), admin ? h('th', {}) : null)),
      h('tbody', {}, rows)));
}
