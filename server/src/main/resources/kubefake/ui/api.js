// The cluster's API as the page calls it: same origin, the user's bearer token (or the browser's client certificate),
// so the server authenticates and authorizes every call exactly as it does kubectl's.

/** A refused call: the HTTP code and the server's Status (its message is what kubectl would print). */
export class ApiError extends Error {
  constructor(code, status) {
    super(status.message || `the server answered ${code}`);
    this.code = code;
    this.status = status;
  }
}

export class Api {
  /** @param token a bearer token, or null to rely on the browser's client certificate */
  constructor(token) {
    this.token = token;
  }

  headers(extra) {
    const h = { ...extra };
    if (this.token) h.Authorization = `Bearer ${this.token}`;
    return h;
  }

  /** The answer's JSON (or text for another Accept); a non-2xx answer throws its Status as an ApiError. */
  async request(method, path, { body, contentType = 'application/json', accept = 'application/json', signal } = {}) {
    const headers = this.headers({ Accept: accept });
    if (body !== undefined) headers['Content-Type'] = contentType;
    const r = await fetch(path, {
      method, headers, signal, cache: 'no-store', credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    if (!r.ok) throw new ApiError(r.status, parseStatus(text, r.statusText));
    if (!accept.includes('json')) return text;
    return text ? JSON.parse(text) : null;
  }

  get(path, options) {
    return this.request('GET', path, options);
  }

  /** The object as YAML, written by the server (as kubectl get -o yaml shows it). */
  yaml(path) {
    return this.request('GET', path, { accept: 'application/yaml' });
  }

  /** Who the server takes this user for (a SelfSubjectReview). */
  async whoAmI() {
    const review = await this.request('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews',
      { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } });
    return review.status.userInfo;
  }

  /** The events of a watch from resourceVersion, one parsed object per line of the stream, until it ends. */
  async *watch(path, resourceVersion, signal) {
    const sep = path.includes('?') ? '&' : '?';
    const url = `${path}${sep}watch=1&allowWatchBookmarks=true&resourceVersion=${encodeURIComponent(resourceVersion)}`;
    const r = await fetch(url, { headers: this.headers({ Accept: 'application/json' }), signal, cache: 'no-store' });
    if (!r.ok) throw new ApiError(r.status, parseStatus(await r.text(), r.statusText));
    const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffered = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffered += value;
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl).trim();
        buffered = buffered.slice(nl + 1);
        if (line) yield JSON.parse(line);
      }
    }
  }
}

function parseStatus(text, fallback) {
  try {
    const s = JSON.parse(text);
    if (s && typeof s === 'object') return s;
  } catch (e) {
    // not a Status: a plain-text answer
  }
  return { message: (text || '').trim() || fallback };
}
