// The web view: log in, then nodes as boxes with their pods, the cluster's events and an object's YAML, kept live
// through the API's watches; the buttons act through the API with the user's rights.
import { Api, ApiError } from './api.js';
import { Informer } from './informer.js';
import * as actions from './actions.js';

const TOKEN_KEY = 'kubefake.token';
const EVENTS_SHOWN = 25;
const $ = (id) => document.getElementById(id);

let session = null;

/** An element with attributes (on* are listeners) and children (strings become text: nothing is parsed as HTML). */
function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'class') e.className = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c);
  return e;
}

// ---- logging in ----

async function start() {
  $('login-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    logIn($('token').value.trim(), true);
  });
  $('logout').addEventListener('click', logOut);
  $('details-close').addEventListener('click', closeDetails);
  $('show-system').addEventListener('change', () => session && session.render());
  const saved = sessionStorage.getItem(TOKEN_KEY);
  if (saved) return logIn(saved, false);
  // a client certificate the browser presented may already name a user
  try {
    const user = await new Api(null).whoAmI();
    if (user.username && user.username !== 'system:anonymous') return enter(new Api(null), user);
  } catch (e) {
    // anonymous: the login form
  }
  showLogin('');
}

async function logIn(token, typed) {
  const api = new Api(token);
  try {
    const user = await api.whoAmI();
    sessionStorage.setItem(TOKEN_KEY, token);
    enter(api, user);
  } catch (e) {
    sessionStorage.removeItem(TOKEN_KEY);
    showLogin(typed ? `Login refused: ${e.message}` : '');
  }
}

function showLogin(error) {
  $('cluster').hidden = true;
  $('logout').hidden = true;
  $('system-toggle').hidden = true;
  $('who').textContent = '';
  $('login').hidden = false;
  $('login-error').textContent = error;
  $('token').focus();
}

function logOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  if (session) session.stop();
  session = null;
  $('token').value = '';
  showLogin('');
}

function enter(api, user) {
  $('login').hidden = true;
  $('cluster').hidden = false;
  $('logout').hidden = false;
  $('system-toggle').hidden = false;
  $('who').textContent = user.username;
  $('who').title = (user.groups || []).join(', ');
  session = new Session(api);
}

// ---- the cluster ----

class Session {
  constructor(api) {
    this.api = api;
    this.faults = new Map();
    this.faultsError = null;
    this.pending = false;
    const changed = () => this.render();
    this.nodes = new Informer(api, '/api/v1/nodes', () => { this.refreshFaults(); changed(); }).start();
    this.pods = new Informer(api, '/api/v1/pods', changed).start();
    this.events = new Informer(api, '/api/v1/events', changed).start();
    this.lastFaultRead = 0;
  }

  stop() {
    for (const i of [this.nodes, this.pods, this.events]) i.stop();
    closeDetails();
    $('log').replaceChildren();
  }

  /** The kubelet and kube-proxy switches (administrators only: for others, the 403 is shown once). */
  async refreshFaults(force) {
    const now = Date.now();
    if (!force && now - this.lastFaultRead < 2000) return;
    this.lastFaultRead = now;
    try {
      this.faults = await actions.nodeFaults(this.api);
      this.faultsError = null;
    } catch (e) {
      this.faultsError = e;
    }
    this.render();
  }

  /** Re-renders once per frame, however many changes came. */
  render() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      if (session !== this) return;
      renderBanner(this);
      renderNodes(this);
      renderEvents(this);
    });
  }

  /** Runs a button's action: its lines and its refusal (the server's message) go to the log. */
  async act(label, fn) {
    say(`${label}…`);
    try {
      await fn((line) => say(line));
      say(`${label}: done`);
    } catch (e) {
      say(`${label}: ${e instanceof ApiError ? `Error from server (${e.status.reason || e.code}): ${e.message}` : e.message}`, true);
    }
    this.refreshFaults(true);
  }
}

function say(text, error) {
  const log = $('log');
  log.prepend(h('li', { class: error ? 'error' : '' }, `${new Date().toLocaleTimeString()} ${text}`));
  while (log.children.length > 20) log.lastChild.remove();
}

function renderBanner(s) {
  const errors = [s.nodes, s.pods, s.events].filter((i) => i.error).map((i) => i.error.message);
  $('banner').replaceChildren(...[...new Set(errors)].map((m) => h('div', {}, m)));
}

function nodeStatus(node) {
  const ready = (node.status.conditions || []).find((c) => c.type === 'Ready');
  let status = ready && ready.status === 'True' ? 'Ready' : 'NotReady';
  if (node.spec.unschedulable) status += ',SchedulingDisabled';
  return status;
}

function roles(node) {
  const r = Object.keys(node.metadata.labels || {})
    .filter((l) => l.startsWith('node-role.kubernetes.io/')).map((l) => l.slice('node-role.kubernetes.io/'.length));
  return r.length ? r.join(',') : '<none>';
}

/** What kubectl get pods shows in STATUS, and the phase its colour comes from. */
function podStatus(pod) {
  if (pod.metadata.deletionTimestamp) return { text: 'Terminating', phase: 'terminating' };
  const phase = pod.status.phase || 'Pending';
  let text = phase;
  for (const c of pod.status.containerStatuses || []) {
    const waiting = c.state && c.state.waiting;
    const terminated = c.state && c.state.terminated;
    if (waiting && waiting.reason) text = waiting.reason;
    else if (terminated && terminated.reason && phase !== 'Running') text = terminated.reason;
  }
  return { text, phase: phase.toLowerCase() };
}

function renderNodes(s) {
  const showSystem = $('show-system').checked;
  const byNode = new Map();
  for (const pod of s.pods.items.values()) {
    if (!showSystem && pod.metadata.namespace === 'kube-system') continue;
    const n = pod.spec.nodeName || '';
    if (!byNode.has(n)) byNode.set(n, []);
    byNode.get(n).push(pod);
  }
  const boxes = [...s.nodes.items.values()]
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
    .map((node) => nodeBox(s, node, byNode.get(node.metadata.name) || []));
  const unscheduled = byNode.get('') || [];
  if (unscheduled.length) {
    boxes.push(h('article', { class: 'node unscheduled', 'data-node': '' },
      h('header', {}, h('h3', {}, 'Not scheduled')), podList(s, unscheduled)));
  }
  $('nodes').replaceChildren(...boxes);
}

function nodeBox(s, node, pods) {
  const name = node.metadata.name;
  const status = nodeStatus(node);
  const fault = s.faults.get(name);
  const kubelet = fault ? (fault.running ? 'running' : 'stopped') : 'unknown';
  const proxyBroken = fault ? fault.podTrafficDropped : false;
  const unschedulable = !!node.spec.unschedulable;
  const button = (action, label, fn, cls) => h('button', { type: 'button', 'data-action': action, class: cls,
    onclick: () => s.act(`${label} ${name}`, fn) }, label);
  return h('article', { class: `node ${status.startsWith('Ready') ? 'ready' : 'notready'}`, 'data-node': name,
    'data-status': status },
  h('header', {},
    h('h3', {}, h('a', { href: '#', onclick: (e) => { e.preventDefault(); showYaml(s, 'node', `/api/v1/nodes/${name}`, null); } }, name)),
    h('span', { class: 'status' }, status),
    h('span', { class: 'roles' }, roles(node))),
  h('div', { class: 'facts' },
    h('span', { class: `kubelet ${kubelet}`, 'data-kubelet': kubelet }, `kubelet ${kubelet}`),
    h('span', { class: `proxy ${proxyBroken ? 'broken' : ''}`, 'data-proxy': fault ? (proxyBroken ? 'broken' : 'ok') : 'unknown' },
      `kube-proxy ${proxyBroken ? 'broken' : fault ? 'ok' : 'unknown'}`)),
  h('div', { class: 'buttons' },
    kubelet === 'stopped'
      ? button('start-kubelet', 'Start kubelet', () => actions.switchKubelet(s.api, name, 'start'))
      : button('stop-kubelet', 'Stop kubelet', () => actions.switchKubelet(s.api, name, 'stop'), 'danger'),
    proxyBroken
      ? button('restore-kube-proxy', 'Restore kube-proxy', () => actions.switchKubeProxy(s.api, name, false))
      : button('break-kube-proxy', 'Break kube-proxy', () => actions.switchKubeProxy(s.api, name, true), 'danger'),
    unschedulable
      ? button('uncordon', 'Uncordon', () => actions.cordon(s.api, name, false))
      : button('drain', 'Drain', (log) => actions.drain(s.api, name, log), 'danger')),
  podList(s, pods));
}

function podList(s, pods) {
  pods.sort((a, b) => (a.metadata.namespace + a.metadata.name).localeCompare(b.metadata.namespace + b.metadata.name));
  return h('ul', { class: 'pods' }, pods.map((pod) => {
    const { name, namespace } = pod.metadata;
    const st = podStatus(pod);
    return h('li', { class: `pod phase-${st.phase}`, 'data-pod': `${namespace}/${name}`, 'data-phase': pod.status.phase || 'Pending',
      'data-status': st.text, title: `${namespace}/${name}: ${st.text}`, tabindex: '0',
      onclick: () => showYaml(s, 'pod', `/api/v1/namespaces/${namespace}/pods/${name}`, { namespace, name }) },
    h('span', { class: 'name' }, name), h('span', { class: 'ns' }, namespace), h('span', { class: 'pod-status' }, st.text));
  }));
}

function renderEvents(s) {
  const when = (e) => e.lastTimestamp || e.eventTime || e.metadata.creationTimestamp || '';
  const rows = [...s.events.items.values()].sort((a, b) => when(b).localeCompare(when(a))).slice(0, EVENTS_SHOWN)
    .map((e) => h('tr', { class: e.type === 'Warning' ? 'warning' : '' },
      h('td', {}, when(e).replace('T', ' ').replace(/(\.\d+)?Z$/, '')),
      h('td', {}, e.type || ''),
      h('td', {}, e.reason || ''),
      h('td', {}, `${(e.involvedObject.kind || '').toLowerCase()}/${e.involvedObject.name}`),
      h('td', {}, e.message || '')));
  $('event-rows').replaceChildren(...rows);
}

// ---- an object's YAML ----

async function showYaml(s, kind, path, pod) {
  $('details').hidden = false;
  $('details-title').textContent = `${kind} ${pod ? `${pod.namespace}/${pod.name}` : path.split('/').pop()}`;
  $('yaml').textContent = 'loading…';
  const del = $('delete-pod');
  del.hidden = !pod;
  del.onclick = pod ? () => s.act(`delete pod ${pod.namespace}/${pod.name}`, () => actions.deletePod(s.api, pod.namespace, pod.name)) : null;
  try {
    $('yaml').textContent = withoutManagedFields(await s.api.yaml(path));
  } catch (e) {
    $('yaml').textContent = `Error from server (${e.status ? e.status.reason || e.code : ''}): ${e.message}`;
  }
}

/**
 * The YAML without metadata.managedFields, as kubectl get -o yaml shows it (--show-managed-fields=false): the block
 * under metadata's key (two spaces in), with its sequence items at the same indentation.
 */
function withoutManagedFields(yaml) {
  const kept = [];
  let skipping = false;
  for (const line of yaml.split('\n')) {
    if (line === '  managedFields:') skipping = true;
    else if (skipping && !line.startsWith('  - ') && !line.startsWith('   ')) skipping = false;
    if (!skipping) kept.push(line);
  }
  return kept.join('\n');
}

function closeDetails() {
  $('details').hidden = true;
  $('yaml').textContent = '';
}

start();
