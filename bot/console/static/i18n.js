// The console's words in the person's language (GET /console/texts: the bot's own catalogues)
// and times in the office's time zone, formatted by the browser's Intl for that language.
let texts = {};
let lang = 'en';
let timeZone = 'UTC';

export async function loadTexts(language) {
  const response = await fetch(`/console/texts?lang=${encodeURIComponent(language)}`);
  const data = await response.json();
  texts = data.texts;
  lang = data.lang;
  document.documentElement.lang = lang;
}

export function setTimeZone(zone) { timeZone = zone || 'UTC'; }
export function language() { return lang; }

// The text of `key` with {name} placeholders filled; a missing key shows as itself.
export function t(key, values = {}) {
  const pattern = texts[key] ?? key;
  return pattern.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

export const kindName = (kind) => t(`kind.${kind}`);
export const statusName = (status) => t(`status.${status}`);
export const stepName = (status) => t(`step.${status}`);
export const eventName = (type) => texts[`event.${type}`] ?? type;

export function dateTime(iso) {
  if (!iso) return '';
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(iso));
}

export function day(iso) {
  return new Intl.DateTimeFormat(lang, { weekday: 'short', day: 'numeric', month: 'short', timeZone }).format(new Date(iso));
}

export function monthName(date) {
  return new Intl.DateTimeFormat(lang, { month: 'long', year: 'numeric', timeZone }).format(date);
}

// "in 3 hours", "2 days ago": the largest whole unit.
export function relative(iso, now = Date.now()) {
  const seconds = (new Date(iso).getTime() - now) / 1000;
  const format = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  for (const [unit, size] of [['day', 86400], ['hour', 3600], ['minute', 60]])
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  return format.format(Math.trunc(seconds), 'second');
}

export function number(n, options = {}) { return new Intl.NumberFormat(lang, options).format(n); }

// Applies the texts to elements marked data-text="key" (the page's fixed chrome).
export function translate(root = document) {
  for (const el of root.querySelectorAll('[data-text]')) el.textContent = t(el.dataset.text);
}

// The instant of a wall-clock time ("2026-12-13T10:00", as a datetime-local field gives it) in
// the office's time zone, as RFC 3339 UTC; '' stays ''. Pages show and take times in the office's
// zone whatever the browser's own is.
export function officeTimeToIso(value) {
  if (!value) return '';
  const [date, time] = value.split('T');
  const [y, mo, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  const wall = Date.UTC(y, mo - 1, d, hh, mm);
  const zoneWall = (instant) => {
    const p = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric',
    }).formatToParts(instant).map((x) => [x.type, Number(x.value)]));
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
  };
  let instant = wall - (zoneWall(wall) - wall);
  instant = wall - (zoneWall(instant) - instant);  // again, for a guess on the other side of a change of offset
  return new Date(instant).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function officeTimeZone() { return timeZone; }
