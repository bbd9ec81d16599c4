// Item: the current revision and its creatives, checks, steps, every revision with the word
// diff from the one before, the audit trail and — for the person whose step it is, or an
// admin — the decisions the chat offers.
import { get, post } from './api.js';
import { h, show, toast } from './dom.js';
import { dateTime, eventName, kindName, relative, statusName, stepName, t } from './i18n.js';

const draftActions = ['approve', 'reject', 'changes'];
const complaintActions = ['interim', 'reply'];
const needsText = new Set(['reject', 'changes', 'interim', 'reply']);
const closed = new Set(['approved', 'published', 'rejected', 'withdrawn', 'resolved']);

// "[-old-]" and "{+new+}" of a word diff (bot/core/word_diff.hpp) as <del> and <ins>.
export function diffView(changes) {
  const parts = [];
  const pattern = /\[-([\s\S]*?)-\]|\{\+([\s\S]*?)\+\}/g;
  let last = 0;
  for (let m; (m = pattern.exec(changes));) {
    if (m.index > last) parts.push(changes.slice(last, m.index));
    parts.push(m[1] !== undefined ? h('del', {}, m[1]) : h('ins', {}, m[2]));
    last = pattern.lastIndex;
  }
  parts.push(changes.slice(last));
  return h('p', { class: 'diff' }, parts);
}

function creative(m) {
  const href = m.link || m.url;
  const label = `${m.type}${m.bytes ? ` · ${Math.round(m.bytes / 1024)} KiB` : ''}${m.width ? ` · ${m.width}×${m.height}` : ''}`;
  let preview = null;
  if (m.link && m.type.startsWith('image/')) preview = h('img', { src: m.link, alt: label, loading: 'lazy' });
  else if (m.link && m.type.startsWith('video/')) preview = h('video', { src: m.link, controls: true, preload: 'metadata' });
  return h('figure', { class: 'creative' }, preview,
    h('figcaption', {}, href ? h('a', { href, target: '_blank', rel: 'noopener' }, label) : label));
}

// One line per content check: "✓ Prohibited terms", "⚠ Length on x — x: 345 of 280 characters".
export function checkLines(list) {
  return list.map((c) => h('li', { class: c.ok ? 'ok' : 'failed' }, c.ok ? '✓ ' : '⚠ ', checkName(c.rule),
    c.ok ? '' : ` — ${c.detail}`));
}

function checks(list) {
  if (!list || !list.length) return null;
  return h('ul', { class: 'checks' }, checkLines(list));
}

function checkName(rule) {
  if (rule.startsWith('limit:')) return t('console.check.limit', { platform: rule.slice(6) });
  if (rule.startsWith('media[')) return t('console.check.media', { n: Number(rule.slice(6, -1)) + 1 });
  return t('console.check.prohibited');
}

function steps(item, ctx) {
  if (!item.steps || !item.steps.length) return null;
  return h('ol', { class: 'steps' }, item.steps.map((s) => h('li', { class: `step ${s.status}` },
    h('strong', {}, ctx.personName(s.person)),
    s.for_person ? ` (${t('console.item.for', { name: ctx.personName(s.for_person) })})` : '',
    ' · ', stepName(s.status),
    s.decided_at ? ` · ${dateTime(s.decided_at)}` : '',
    s.note ? h('div', { class: 'note' }, s.note) : null)));
}

function trail(events, ctx) {
  return h('ol', { class: 'trail' }, events.map((e) => h('li', {},
    h('time', { datetime: e.at }, dateTime(e.at)), ' ',
    h('strong', {}, eventName(e.type)),
    e.actor ? ` · ${ctx.personName(e.actor.replace(/^console:/, ''))}` : '',
    e.on_behalf_of ? ` (${t('console.item.for', { name: ctx.personName(e.on_behalf_of) })})` : '',
    e.channel ? h('span', { class: 'muted' }, ` · ${e.channel}`) : '',
    e.data && (e.data.text || e.data.reason || e.data.note)
      ? h('div', { class: 'note' }, e.data.text || e.data.reason || e.data.note) : null)));
}

// Whose decision the page may record: the person's own step, or any step for an admin.
function decider(item, ctx) {
  const current = (item.steps || []).find((s) => s.status === 'pending');
  const waitingFor = current ? current.person : item.assignee;
  if (!waitingFor || closed.has(item.status)) return null;
  if (waitingFor === ctx.session.person || ctx.session.admin) return waitingFor;
  return null;
}

function decisions(item, ctx, reload) {
  const person = decider(item, ctx);
  if (!person) return null;
  const actions = item.kind === 'draft' ? draftActions : complaintActions;
  const text = h('textarea', { name: 'text', rows: 3, placeholder: t('console.decide.text') });
  const answer = async (action) => {
    if (needsText.has(action) && !text.value.trim()) {
      toast(t('console.decide.reason_required'), true);
      text.focus();
      return;
    }
    try {
      await post(`/api/v1/items/${item.id}/decisions`, {
        action, person, revision: item.revision, ...(text.value.trim() ? { text: text.value.trim() } : {}),
      });
      toast(t(`console.decide.done.${action}`));
      await reload();
    } catch (e) {
      toast(e.message, true);
    }
  };
  return h('section', { class: 'card decide' },
    h('h2', {}, t('console.decide.title')),
    person !== ctx.session.person ? h('p', { class: 'muted' }, t('console.decide.for', { name: ctx.personName(person) })) : null,
    text,
    h('div', { class: 'buttons' }, actions.map((a) => h('button', {
      type: 'button', class: `action ${a}`, 'data-action': a, onclick: () => answer(a),
    }, t(`console.decide.${a}`)))));
}

function revisions(item) {
  if (!item.revisions || item.revisions.length < 2) return null;
  return h('section', {}, h('h2', {}, t('console.item.revisions')),
    h('ol', { class: 'revisions', reversed: true }, [...item.revisions].reverse().map((r) => h('li', {},
      h('strong', {}, t('console.item.revision', { n: r.number })), ` · ${dateTime(r.created_at)}`,
      r.note ? h('div', { class: 'note' }, r.note) : null,
      r.changes ? diffView(r.changes) : (r.number > 1 ? h('p', { class: 'muted' }, t('console.item.no_text_change')) : null)))));
}

export async function renderItem(view, ctx, [id]) {
  const reload = () => renderItem(view, ctx, [id]);
  const item = await get(`/api/v1/items/${id}`);
  const stepList = steps(item, ctx);
  const facts = [
    [t('console.col.status'), h('span', { class: `status ${item.status}` }, statusName(item.status))],
    [t('console.item.tier'), item.tier],
    item.assignee ? [t('console.col.assignee'), ctx.personName(item.assignee)] : null,
    [t('console.col.due'), `${dateTime(item.due)} (${relative(item.due)})`],
    item.interim_due ? [t('console.item.interim_due'), dateTime(item.interim_due)] : null,
    item.publish_at ? [t('console.item.publish_at'), dateTime(item.publish_at)] : null,
    item.platforms?.length ? [t('console.item.platforms'), item.platforms.join(', ')] : null,
    item.source ? [t('console.item.source'), [item.source.platform, item.source.author].filter(Boolean).join(' · ')] : null,
    Object.keys(item.published || {}).length
      ? [t('console.item.published'), Object.entries(item.published).map(([p, url]) => h('a', { href: url, rel: 'noopener' }, p))] : null,
  ].filter(Boolean);
  show(view,
    h('p', {}, h('a', { href: '#/queue' }, `← ${t('console.nav.queue')}`)),
    h('h1', {}, `${kindName(item.kind)} #${item.id} `, item.urgent ? h('span', { class: 'tag urgent' }, t('console.urgent')) : null),
    h('div', { class: 'columns' },
      h('article', { class: 'card' },
        h('h2', { class: 'item-title' }, item.title),
        h('p', { class: 'body' }, item.body),
        item.media?.length ? h('div', { class: 'creatives' }, item.media.map(creative)) : null,
        checks(item.checks)),
      h('aside', {},
        h('dl', { class: 'facts' }, facts.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
        decisions(item, ctx, reload),
        stepList ? h('section', {}, h('h2', {}, t('console.item.steps')), stepList) : null)),
    revisions(item),
    h('section', {}, h('h2', {}, t('console.item.trail')), trail(item.events, ctx)));
}
