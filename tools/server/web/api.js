// The REST API as the page uses it: JSON calls whose errors become exceptions, the access token
// kept in sessionStorage and sent as a bearer header, and images fetched with that header (as
// blob: URLs) when the server wants a token, since an <img src> cannot send one.
const TOKEN_KEY = 'pixlake.token';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

let onUnauthorized = () => {};
export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }

export function token() { return sessionStorage.getItem(TOKEN_KEY) || ''; }
export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

function authHeaders() {
  const headers = new Headers();
  const t = token();
  if (t) headers.set('Authorization', 'Bearer ' + t);
  return headers;
}

async function call(method, url, body) {
  const init = { method, headers: authHeaders() };
  if (body instanceof FormData) {
    init.body = body;
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers.set('Content-Type', 'application/json');
  }
  const res = await fetch(url, init);
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  if (!res.ok) {
    if (res.status === 401) onUnauthorized();
    const e = json && json.error;
    throw new ApiError(res.status, e ? e.code : 'http_' + res.status,
                       e ? e.message : `${res.status} ${res.statusText}`);
  }
  return json;
}

export const api = {
  get: (url) => call('GET', url),
  post: (url, body) => call('POST', url, body),
  del: (url, body) => call('DELETE', url, body),
};

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== '' && v != null) q.set(k, v);
  return q.toString();
}

export const thumbUrl = (id, size = 256) => `/api/images/${id}/thumb?size=${size}`;

// Shows `url` in `img`: straight through src without a token; with one, fetched with the
// header into a blob: URL that is released once the image has been decoded.
export async function loadImage(img, url) {
  if (!token()) {
    img.src = url;
    return;
  }
  const res = await fetch(url, { headers: authHeaders() });
  if (!res.ok) {
    if (res.status === 401) onUnauthorized();
    img.classList.add('broken');
    return;
  }
  const blobUrl = URL.createObjectURL(await res.blob());
  const release = () => URL.revokeObjectURL(blobUrl);
  img.addEventListener('load', release, { once: true });
  img.addEventListener('error', release, { once: true });
  img.src = blobUrl;
}

// Opens an image file in a new tab (through a blob: URL when a token is needed).
export async function openFile(id) {
  const url = `/api/images/${id}/file`;
  if (!token()) {
    window.open(url, '_blank', 'noopener');
    return;
  }
  const res = await fetch(url, { headers: authHeaders() });
  if (!res.ok) throw new ApiError(res.status, 'http_' + res.status, 'cannot open the file');
  const blobUrl = URL.createObjectURL(await res.blob());
  window.open(blobUrl, '_blank', 'noopener');
  setTimeout(() => URL.revokeObjectURL(blobUrl), 60000);
}

// Calls fn(el) once, when el first comes near the viewport (thumbnails load lazily, so a page of
// a 100k-image lake fetches only what is on screen).
const lazyCallbacks = new WeakMap();
const lazyObserver = new IntersectionObserver((entries) => {
  for (const entry of entries) {
    if (!entry.isIntersecting) continue;
    lazyObserver.unobserve(entry.target);
    const fn = lazyCallbacks.get(entry.target);
    lazyCallbacks.delete(entry.target);
    if (fn) fn(entry.target);
  }
}, { rootMargin: '400px' });
export function whenVisible(el, fn) {
  lazyCallbacks.set(el, fn);
  lazyObserver.observe(el);
}

// A thumbnail <img> that loads when it scrolls into view.
export function lazyThumb(id, size = 256, alt = '') {
  const img = document.createElement('img');
  img.alt = alt;
  img.decoding = 'async';
  whenVisible(img, () => loadImage(img, thumbUrl(id, size)));
  return img;
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c == null) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

export const baseName = (path) => path.slice(path.lastIndexOf('/') + 1);
