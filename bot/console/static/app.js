// The console: who is signed in, the directory, and which page the address (#/…) asks for.
import { ApiError, get, post, setCsrf } from './api.js';
import { h, show, toast } from './dom.js';
import { loadTexts, setTimeZone, t, translate } from './i18n.js';
import { renderCalendar } from './calendar.js';
import { renderItem } from './item.js';
import { renderPeople } from './people.js';
import { renderQueue } from './queue.js';
import { renderReport } from './report.js';
import { renderSubmit } from './submit.js';

const pages = [
  [/^#\/queue$/, renderQueue],
  [/^#\/items\/(\d+)$/, renderItem],
  [/^#\/submit$/, renderSubmit],
  [/^#\/calendar$/, renderCalendar],
  [/^#\/people$/, renderPeople],
  [/^#\/report$/, renderReport],
];

const view = document.getElementById('view');

// What every page reads: the session (person, rights, CSRF token) and the directory.
const context = {
  session: null,
  directory: null,
  personName(id) {
    const p = this.directory?.people.find((x) => x.id === id);
    return p ? p.name : id ?? '';
  },
  canSubmit() { return this.session.admin; },
  async refreshDirectory() { this.directory = await get('/api/v1/directory'); },
};

async function route() {
  const hash = location.hash || '#/queue';
  for (const [pattern, render] of pages) {
    const match = hash.match(pattern);
    if (!match) continue;
    for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('here', hash.startsWith(a.getAttribute('href')));
    show(view, h('p', { class: 'muted' }, t('console.loading')));
    try {
      await render(view, context, match.slice(1));
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return signedOut();
      show(view, h('p', { class: 'error' }, e.message));
    }
    return;
  }
  location.hash = '#/queue';
}

function signedOut() {
  document.getElementById('nav').hidden = true;
  document.getElementById('sign-out').hidden = true;
  document.getElementById('who').textContent = '';
  show(view, h('section', { class: 'card sign-in' },
    h('h1', {}, t('console.sign_in.title')),
    h('p', {}, t('console.sign_in.how')),
    h('p', { class: 'muted' }, t('console.sign_in.admin'))));
}

async function start() {
  let session = null;
  try {
    session = await get('/api/v1/session');
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) throw e;
  }
  await loadTexts(session ? session.language : navigator.language || 'en');
  translate();
  if (!session) return signedOut();
  context.session = session;
  setCsrf(session.csrf);
  await context.refreshDirectory();
  setTimeZone(context.directory.timezone);
  for (const a of document.querySelectorAll('#nav [data-needs="submit"]')) a.hidden = !context.canSubmit();
  document.getElementById('nav').hidden = false;
  document.getElementById('who').textContent = session.name;
  const out = document.getElementById('sign-out');
  out.hidden = false;
  out.addEventListener('click', async () => {
    try {
      await post('/logout');
    } catch (e) {
      toast(e.message, true);
    }
    location.hash = '';
    signedOut();
  });
  window.addEventListener('hashchange', route);
  await route();
}

start().catch((e) => show(view, h('p', { class: 'error' }, e.message)));
