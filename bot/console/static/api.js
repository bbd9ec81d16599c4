// The REST API of SPEC §5 with the session's cookie. State-changing requests carry the
// session's CSRF token; an error answer becomes an ApiError with the server's code and message.
let csrf = '';

export class ApiError extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export function setCsrf(token) { csrf = token; }

export async function request(method, path, body, contentType = 'application/json') {
  const headers = {};
  if (method !== 'GET') headers['X-CSRF-Token'] = csrf;
  let payload;
  if (body !== undefined) {
    headers['Content-Type'] = contentType;
    payload = contentType === 'application/json' ? JSON.stringify(body) : body;
  }
  const response = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  const type = response.headers.get('Content-Type') || '';
  const data = type.startsWith('application/json') ? await response.json() : await response.text();
  if (!response.ok) {
    const e = (data && data.error) || {};
    throw new ApiError(response.status, e.code || String(response.status), e.message || response.statusText, e.field);
  }
  return data;
}

export const get = (path) => request('GET', path);
export const post = (path, body) => request('POST', path, body);
export const put = (path, body) => request('PUT', path, body);

export function query(params) {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== '' && value !== undefined && value !== null) q.set(key, value);
  const s = q.toString();
  return s ? `?${s}` : '';
}
