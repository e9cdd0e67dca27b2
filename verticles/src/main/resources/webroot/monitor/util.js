// Small helpers shared by the monitor's modules: DOM building, formatting, and the REST API with the page's token.

export const PRIORITIES = ['Immediately', 'Important', 'Normal', 'Unimportant'];

const TOKEN_KEY = 'taskhub.token';

/** The API token the operator pasted, kept in this tab's sessionStorage only. */
export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY) || '',
  set: value => value ? sessionStorage.setItem(TOKEN_KEY, value) : sessionStorage.removeItem(TOKEN_KEY),
};

export function authHeaders(extra = {}) {
  const t = token.get();
  return t ? { ...extra, Authorization: 'Bearer ' + t } : extra;
}

/** Calls the REST API; resolves to the parsed JSON, or rejects with the server's {"error"} text. */
export async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: authHeaders(body === undefined ? {} : { 'content-type': 'application/json' }),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { /* not JSON */ }
  if (!response.ok) {
    const message = json && json.error ? json.error : `${response.status} ${response.statusText}`;
    throw new Error(message);
  }
  return json;
}

/** Creates an element: el('div', {class: 'x', text: 'hi'}, child…). */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key === 'style') node.style.cssText = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}

/** Sets textContent only when it changed: most cells stay the same from one frame to the next. */
export function setText(node, text) {
  const value = text === null || text === undefined ? '' : String(text);
  if (node.textContent !== value) node.textContent = value;
}

export function setClass(node, name) {
  if (node.className !== name) node.className = name;
}

const numbers = new Intl.NumberFormat('en-US');
export const count = n => numbers.format(n || 0);

export function percent(p) {
  return p === null || p === undefined ? '' : `${Math.round(p)}%`;
}

export function megabytes(mb) {
  if (mb === null || mb === undefined) return '?';
  return mb >= 1024 ? `${(mb / 1024).toFixed(1)} GB` : `${mb} MB`;
}

/** 0:07, 12:31, 3:02:15 — or '' when there is nothing to measure. */
export function duration(ms) {
  if (ms === null || ms === undefined || isNaN(ms)) return '';
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = n => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

export function ago(ms) {
  if (ms === null || ms === undefined || isNaN(ms)) return '';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ago`;
}

export function clock(iso) {
  return iso ? new Date(iso).toLocaleTimeString([], { hour12: false }) : '';
}

export function dateTime(iso) {
  return iso ? new Date(iso).toLocaleString([], { hour12: false }) : '—';
}

/** The last part of an agent id ("host-1a2b3c/agent-7f…" → "agent-7f…"). */
export function shortAgent(id) {
  if (!id) return '';
  const slash = id.lastIndexOf('/');
  return slash >= 0 ? id.slice(slash + 1) : id;
}
