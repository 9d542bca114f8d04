// One resource's objects kept current as client-go's informers keep them: a list, then a watch from its
// resourceVersion, resumed where it ended, relisted when the server says the version is gone.

const RETRY_MS = 3000;

export class Informer {
  /**
   * @param api      the user's Api
   * @param path     the collection (e.g. /api/v1/pods)
   * @param onChange called after every change (and when an error comes or goes)
   */
  constructor(api, path, onChange) {
    this.api = api;
    this.path = path;
    this.onChange = onChange;
    this.items = new Map();
    this.error = null;
    this.synced = false;
    this.abort = new AbortController();
  }

  start() {
    this.run();
    return this;
  }

  stop() {
    this.abort.abort();
  }

  async run() {
    const signal = this.abort.signal;
    while (!signal.aborted) {
      try {
        let rv = await this.relist(signal);
        for (;;) {
          const next = await this.follow(rv, signal);
          if (next === null) break; // the version is gone: list again
          rv = next;
        }
      } catch (e) {
        if (signal.aborted) return;
        this.error = e;
        this.onChange();
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  }

  async relist(signal) {
    const list = await this.api.get(this.path, { signal });
    this.items = new Map(list.items.map((o) => [key(o), o]));
    this.error = null;
    this.synced = true;
    this.onChange();
    return list.metadata.resourceVersion;
  }

  /** Applies a watch's events; the resourceVersion to resume from when it ends, null when a relist is needed. */
  async follow(rv, signal) {
    for await (const event of this.api.watch(this.path, rv, signal)) {
      if (event.type === 'ERROR') return null;
      const o = event.object;
      rv = o.metadata.resourceVersion;
      if (event.type === 'BOOKMARK') continue;
      if (event.type === 'DELETED') this.items.delete(key(o));
      else this.items.set(key(o), o);
      this.onChange();
    }
    return rv;
  }
}

export function key(o) {
  const m = o.metadata;
  return m.namespace ? `${m.namespace}/${m.name}` : m.name;
}
