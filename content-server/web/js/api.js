/* api.js: the only way the UI talks to the server: /api/v1 with the session
 * cookie, and the session's CSRF token on every write. Errors come back as
 * ApiError with the server's code, field and message in fi/sv/en. */

let csrf = null;

export function setCsrf(token) {
  csrf = token || null;
}

export class ApiError extends Error {
  constructor(status, err) {
    super((err && err.code) || `http_${status}`);
    this.status = status;
    this.code = (err && err.code) || `http_${status}`;
    this.field = (err && err.field) || null;
    this.messages = (err && err.message) || null;
  }
}

export async function api(method, path, body, opts = {}) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (method !== 'GET' && method !== 'HEAD' && csrf) headers['X-CSRF-Token'] = csrf;
  if (body instanceof Blob) {
    headers['Content-Type'] = opts.contentType || body.type || 'application/octet-stream';
    init.body = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (opts.signal) init.signal = opts.signal;
  let res;
  try {
    res = await fetch(`/api/v1${path}`, init);
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new ApiError(0, { code: 'network' });
  }
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  if (!res.ok) {
    let err = null;
    if (type.includes('json')) {
      try {
        err = (await res.json()).error;
      } catch {
        err = null;
      }
    }
    throw new ApiError(res.status, err);
  }
  if (type.includes('json')) return res.json();
  return res.blob();
}

export const get = (path, opts) => api('GET', path, undefined, opts);
export const post = (path, body, opts) => api('POST', path, body === undefined ? {} : body, opts);
export const put = (path, body) => api('PUT', path, body);
export const del = (path) => api('DELETE', path);

/* A route the server does not offer (yet), or a side of it that is not
 * configured: the UI hides that panel instead of showing anything made up. */
export function isMissing(e) {
  return e instanceof ApiError && [404, 405, 501, 503].includes(e.status);
}
