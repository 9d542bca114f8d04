// What the buttons do, each through the API with the user's own rights (a refusal is the server's Status).

const enc = encodeURIComponent;

/** systemctl stop|start kubelet on the node (kubefake's node endpoint, for cluster administrators). */
export function switchKubelet(api, node, action) {
  return api.request('POST', `/kubefake/v1/nodes/${enc(node)}/kubelet/${action}`);
}

/** The kubelet and kube-proxy state of every node (kubefake's node endpoint). */
export async function nodeFaults(api) {
  const list = await api.get('/kubefake/v1/nodes');
  return new Map(list.items.map((n) => [n.node, n]));
}

/**
 * The lab's kube-proxy fault on the node's shell: br_netfilter unloaded (or loaded again) and the network restarted,
 * so that traffic to the node's pods bypasses (or passes again) kube-proxy's rules.
 */
export async function switchKubeProxy(api, node, broken) {
  const commands = [broken ? ['modprobe', '-r', 'br_netfilter'] : ['modprobe', 'br_netfilter'],
    ['systemctl', 'restart', 'NetworkManager']];
  for (const argv of commands) {
    const query = argv.map((a) => `command=${enc(a)}`).join('&');
    const r = await api.request('POST', `/kubefake/v1/nodes/${enc(node)}/shell?${query}`);
    if (r.exitCode !== 0) throw new Error(`${argv.join(' ')} on ${node}: ${r.stderr.trim() || `exit status ${r.exitCode}`}`);
  }
}

/** kubectl cordon / uncordon. */
export function cordon(api, node, unschedulable) {
  return api.request('PATCH', `/api/v1/nodes/${enc(node)}`, {
    body: { spec: { unschedulable: unschedulable ? true : null } },
    contentType: 'application/strategic-merge-patch+json',
  });
}

/**
 * kubectl drain --ignore-daemonsets: cordon, then evict every pod of the node through the eviction subresource, except
 * DaemonSet pods and mirror pods (which eviction would not remove); an eviction a disruption budget refuses (429) is
 * tried again until it passes or the attempts run out.
 *
 * @param say called with each line kubectl drain would print
 */
export async function drain(api, node, say, { retries = 20, retryMs = 5000 } = {}) {
  await cordon(api, node, true);
  say(`node/${node} cordoned`);
  const pods = await api.get(`/api/v1/pods?fieldSelector=${enc(`spec.nodeName=${node}`)}`);
  const daemonSetPods = [];
  const evicted = [];
  for (const pod of pods.items) {
    const m = pod.metadata;
    const owner = (m.ownerReferences || []).find((o) => o.controller);
    if (owner && owner.kind === 'DaemonSet') {
      daemonSetPods.push(`${m.namespace}/${m.name}`);
      continue;
    }
    if (m.annotations && m.annotations['kubernetes.io/config.mirror']) continue;
    evicted.push(evict(api, pod, say, retries, retryMs));
  }
  if (daemonSetPods.length) say(`Warning: ignoring DaemonSet-managed Pods: ${daemonSetPods.join(', ')}`);
  await Promise.all(evicted);
  say(`node/${node} drained`);
}

async function evict(api, pod, say, retries, retryMs) {
  const { name, namespace } = pod.metadata;
  const body = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace } };
  for (let attempt = 0; ; attempt++) {
    try {
      say(`evicting pod ${namespace}/${name}`);
      await api.request('POST', `/api/v1/namespaces/${enc(namespace)}/pods/${enc(name)}/eviction`, { body });
      await deleted(api, pod);
      say(`pod/${name} evicted`);
      return;
    } catch (e) {
      if (e.code === 404) return; // gone already
      if (e.code !== 429 || attempt >= retries) throw e;
      say(`error when evicting pods/"${name}" -n "${namespace}" (will retry after 5s): ${e.message}`);
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  }
}

/** Returns once the pod is gone (or replaced by another of its name), as kubectl drain waits for each evicted pod. */
async function deleted(api, pod) {
  const { name, namespace, uid } = pod.metadata;
  for (;;) {
    try {
      const now = await api.get(`/api/v1/namespaces/${enc(namespace)}/pods/${enc(name)}`);
      if (now.metadata.uid !== uid) return;
    } catch (e) {
      if (e.code === 404) return;
      throw e;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** kubectl delete pod. */
export function deletePod(api, namespace, name) {
  return api.request('DELETE', `/api/v1/namespaces/${enc(namespace)}/pods/${enc(name)}`);
}
