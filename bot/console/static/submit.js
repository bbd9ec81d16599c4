// Submit: a draft (with creatives uploaded to POST /api/v1/media) or a complaint, query or
// feedback. While a draft is typed, the server's content checks (POST /api/v1/checks) show
// what the approver will be warned of.
import { post, request } from './api.js';
import { h, show, toast } from './dom.js';
import { kindName, officeTimeToIso, officeTimeZone, t } from './i18n.js';
import { checkLines } from './item.js';

const kinds = ['draft', 'complaint', 'query', 'feedback'];

function field(label, input, hint) {
  return h('label', { class: 'field' }, h('span', {}, label), input, hint ? h('small', { class: 'muted' }, hint) : null);
}

export async function renderSubmit(view, ctx) {
  const uploads = [];  // {id, type, bytes, width, height, name}
  const topics = ctx.directory.roles.flatMap((r) => r.topics.map((topic) => [topic, `${topic} — ${r.title}`]));
  const kind = h('select', { name: 'kind' }, kinds.map((k) => h('option', { value: k }, kindName(k))));
  const title = h('input', { name: 'title', maxlength: 500 });
  const body = h('textarea', { name: 'body', rows: 6 });
  const topic = h('select', { name: 'topic', required: true }, topics.map(([v, text]) => h('option', { value: v }, text)));
  const tier = h('select', { name: 'tier' }, ctx.directory.tiers.map((x) => h('option', { value: x, selected: x === 'general' }, x)));
  const platformBoxes = Object.keys(ctx.directory.platform_limits).map((p) =>
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'platform', value: p }), p));
  const urgent = h('input', { type: 'checkbox', name: 'urgent' });
  const publishAt = h('input', { type: 'datetime-local', name: 'publish_at' });
  const due = h('input', { type: 'datetime-local', name: 'due' });
  const file = h('input', { type: 'file', name: 'creative', accept: 'image/*,video/mp4,application/pdf', multiple: true });
  const uploaded = h('ul', { class: 'uploads' });
  const sourcePlatform = h('input', { name: 'source_platform', placeholder: 'x' });
  const sourceAuthor = h('input', { name: 'source_author', placeholder: '@citizen' });
  const sourceUrl = h('input', { name: 'source_url', type: 'url' });
  const checks = h('ul', { class: 'checks live', 'aria-live': 'polite' });

  const draftOnly = h('div', { class: 'draft-only' },
    field(t('console.item.platforms'), h('div', { class: 'boxes' }, platformBoxes)),
    field(t('console.item.publish_at'), publishAt, `${t('console.submit.publish_hint')} (${officeTimeZone()})`),
    field(t('console.submit.creatives'), file, t('console.submit.creatives_hint')), uploaded);
  const complaintOnly = h('fieldset', { class: 'complaint-only', hidden: true },
    h('legend', {}, t('console.item.source')),
    field(t('console.submit.source_platform'), sourcePlatform),
    field(t('console.submit.source_author'), sourceAuthor),
    field(t('console.submit.source_url'), sourceUrl));

  function submission() {
    const s = { kind: kind.value, title: title.value, body: body.value, topic: topic.value, tier: tier.value, urgent: urgent.checked };
    if (due.value) s.due = officeTimeToIso(due.value);
    if (s.kind === 'draft') {
      s.platforms = platformBoxes.map((b) => b.firstChild).filter((b) => b.checked).map((b) => b.value);
      s.media = uploads.map((u) => ({ id: u.id }));
      if (publishAt.value) s.publish_at = officeTimeToIso(publishAt.value);
    } else {
      s.source = { platform: sourcePlatform.value || 'other', ...(sourceAuthor.value ? { author: sourceAuthor.value } : {}),
        ...(sourceUrl.value ? { url: sourceUrl.value } : {}) };
    }
    return s;
  }

  let pending = 0;
  async function liveChecks() {
    if (kind.value !== 'draft' || (!title.value && !body.value)) return show(checks);
    const mine = ++pending;
    try {
      const result = await post('/api/v1/checks', submission());
      if (mine !== pending) return;
      show(checks, checkLines(result.checks),
        result.tier !== tier.value ? h('li', { class: 'failed' }, t('console.submit.tier_raised', { tier: result.tier })) : null);
    } catch (e) {
      if (mine === pending) show(checks, h('li', { class: 'failed' }, e.message));
    }
  }
  let timer;
  const soon = () => { clearTimeout(timer); timer = setTimeout(liveChecks, 300); };

  function showUploads() {
    show(uploaded, uploads.map((u, i) => h('li', {}, `${u.name} · ${u.type}${u.width ? ` · ${u.width}×${u.height}` : ''} `,
      h('button', { type: 'button', class: 'link', onclick: () => { uploads.splice(i, 1); showUploads(); } },
        t('console.submit.remove')))));
    soon();
  }
  file.addEventListener('change', async () => {
    for (const f of file.files) {
      try {
        const stored = await request('POST', '/api/v1/media', f, f.type || 'application/octet-stream');
        uploads.push({ ...stored, name: f.name });
      } catch (e) {
        toast(`${f.name}: ${e.message}`, true);
      }
    }
    file.value = '';
    showUploads();
  });
  kind.addEventListener('change', () => {
    draftOnly.hidden = kind.value !== 'draft';
    complaintOnly.hidden = kind.value === 'draft';
    soon();
  });

  const form = h('form', { class: 'card submit', oninput: soon, onsubmit: async (e) => {
    e.preventDefault();
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    try {
      const created = await request('POST', '/api/v1/items', submission());
      toast(t('console.submit.done', { id: created.id }));
      location.hash = `#/items/${created.id}`;
    } catch (err) {
      toast(err.field ? `${err.field}: ${err.message}` : err.message, true);
      const bad = err.field && form.querySelector(`[name="${err.field.split(/[.[]/)[0]}"]`);
      if (bad) bad.focus();
    } finally {
      button.disabled = false;
    }
  } },
  field(t('console.col.kind'), kind),
  field(t('console.col.title'), title),
  field(t('console.submit.body'), body),
  field(t('console.submit.topic'), topic),
  field(t('console.item.tier'), tier),
  h('label', { class: 'check' }, urgent, t('console.urgent')),
  field(t('console.col.due'), due, `${t('console.submit.due_hint')} (${officeTimeZone()})`),
  draftOnly, complaintOnly,
  h('section', {}, h('h2', {}, t('console.submit.checks')), checks),
  h('button', { type: 'submit', class: 'primary' }, t('console.submit.send')));
  show(view, h('h1', {}, t('console.submit.title')), form);
}
