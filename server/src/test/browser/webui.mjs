// The web view in a real headless Chromium, driven by Playwright: run by WebUiBrowserE2ETest, which starts the
// cluster, acts on it with kubectl and moves its clock. Each step the page passes is one JSON line on stdout
// ({"step": ...}); where the test must act first, the script reads one JSON line from stdin.
//
//   node webui.mjs --url https://127.0.0.1:PORT/ui/ --token T --viewer-token V --screenshot DIR [--system-pods N]
//                  [--cert CLIENT.crt --key CLIENT.key]
import { chromium } from 'playwright-core';
import { join } from 'node:path';
import readline from 'node:readline';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, a, i, all) =>
  (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []));
const WAIT = { timeout: Number(args['wait-ms'] || 120000) };
const input = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();

function report(step, fields = {}) {
  process.stdout.write(`${JSON.stringify({ step, ...fields })}\n`);
}

async function command() {
  const { value, done } = await input.next();
  if (done) throw new Error('the test closed stdin');
  return JSON.parse(value);
}

const browser = await chromium.launch({
  executablePath: process.env.KUBEFAKE_CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  // Playwright gives the browser a fresh --user-data-dir of its own, removed when it closes
});
const pageErrors = [];
try {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  const node = (name) => page.locator(`.node[data-node="${name}"]`);
  const pod = (key) => page.locator(`.pod[data-pod="${key}"]`);

  // an unauthenticated visitor gets the login page; a bad token is refused with the server's answer
  await page.goto(args.url);
  await page.locator('#login-form').waitFor(WAIT);
  await page.fill('#token', 'not-a-valid-token');
  await page.click('#login-form button[type=submit]');
  await page.locator('#login-error:not(:empty)').waitFor(WAIT);
  report('bad-login', { error: await page.textContent('#login-error'), clusterShown: await page.isVisible('#cluster') });

  // the cluster: every node a box, kube-system's pods inside
  await page.fill('#token', args.token);
  await page.click('#login-form button[type=submit]');
  await page.locator('.node[data-node]:not([data-node=""])').nth(3).waitFor(WAIT);
  const systemPods = Number(args['system-pods'] || 1);
  await page.waitForFunction((n) => document.querySelectorAll('.pod[data-pod^="kube-system/"]').length >= n, systemPods, WAIT);
  report('loaded', {
    user: await page.textContent('#who'),
    nodes: await page.$$eval('.node[data-node]', (els) => els.map((e) => ({ name: e.dataset.node, status: e.dataset.status }))),
    pods: await page.$$eval('.pod', (els) => els.map((e) => ({ pod: e.dataset.pod, node: e.closest('.node').dataset.node }))),
  });
  await page.screenshot({ path: join(args.screenshot, 'loaded.png'), fullPage: true });

  // a pod kubectl creates appears live, and runs
  const { pod: created } = await command();
  await pod(created).waitFor(WAIT);
  report('pod-appeared', { node: await pod(created).evaluate((e) => e.closest('.node').dataset.node) });
  await page.locator(`.pod[data-pod="${created}"][data-phase="Running"]`).waitFor(WAIT);
  const worker = await pod(created).evaluate((e) => e.closest('.node').dataset.node);
  report('pod-running', { node: worker, status: await pod(created).getAttribute('data-status') });

  // its YAML on click
  await pod(created).click();
  await page.locator('#yaml', { hasText: 'kind: Pod' }).waitFor(WAIT);
  report('yaml', { title: await page.textContent('#details-title'), yaml: await page.textContent('#yaml') });

  // stop the node's kubelet: the node turns NotReady on the cluster's clock (the test moves it)
  await node(worker).locator('[data-action="stop-kubelet"]').click();
  await node(worker).locator('[data-kubelet="stopped"]').waitFor(WAIT);
  report('kubelet-stopped', { node: worker });
  await page.locator(`.node[data-node="${worker}"][data-status^="NotReady"]`).waitFor(WAIT);
  report('node-notready', { node: worker, status: await node(worker).getAttribute('data-status') });
  await page.screenshot({ path: join(args.screenshot, 'notready.png'), fullPage: true });
  await command(); // the test has looked at the node with kubectl
  await node(worker).locator('[data-action="start-kubelet"]').click();
  await page.locator(`.node[data-node="${worker}"][data-status="Ready"]`).waitFor(WAIT);
  report('node-ready', { node: worker });

  // kube-proxy broken and restored
  await node(worker).locator('[data-action="break-kube-proxy"]').click();
  await node(worker).locator('[data-proxy="broken"]').waitFor(WAIT);
  report('kube-proxy-broken', { node: worker });
  await command();
  await node(worker).locator('[data-action="restore-kube-proxy"]').click();
  await node(worker).locator('[data-proxy="ok"]').waitFor(WAIT);
  report('kube-proxy-restored', { node: worker });

  // delete the pod from its YAML panel
  await pod(created).click();
  await page.locator('#details-title', { hasText: created }).waitFor(WAIT);
  await page.click('#delete-pod');
  await pod(created).waitFor({ ...WAIT, state: 'detached' });
  report('pod-deleted', { pod: created });

  // drain a node: cordoned, its pods evicted but DaemonSets'
  const { drain } = await command();
  await node(drain).locator('[data-action="drain"]').click();
  await page.locator('#log li', { hasText: `node/${drain} drained` }).waitFor(WAIT);
  report('drained', {
    status: await node(drain).getAttribute('data-status'),
    pods: await node(drain).locator('.pod').evaluateAll((els) => els.map((e) => e.dataset.pod)),
    log: await page.$$eval('#log li', (els) => els.map((e) => e.textContent)),
  });
  await command(); // the test has looked at the cordoned node
  await node(drain).locator('[data-action="uncordon"]').click();
  await page.locator(`.node[data-node="${drain}"][data-status="Ready"]`).waitFor(WAIT);
  report('uncordoned', { node: drain });

  // a user with rights on nodes only: the real 403s for the rest, and its fault buttons are refused
  await page.click('#logout');
  await page.fill('#token', args['viewer-token']);
  await page.click('#login-form button[type=submit]');
  await page.locator('#banner div').nth(1).waitFor(WAIT);
  await node(worker).locator('[data-action="stop-kubelet"]').click();
  await page.locator('#log li.error').waitFor(WAIT);
  report('forbidden', {
    user: await page.textContent('#who'),
    nodes: await page.$$eval('.node[data-node]', (els) => els.map((e) => e.dataset.node)),
    banner: await page.$$eval('#banner div', (els) => els.map((e) => e.textContent)),
    refused: await page.textContent('#log li.error'),
  });
  await page.screenshot({ path: join(args.screenshot, 'forbidden.png'), fullPage: true });
  // a browser presenting a client certificate of the cluster's CA is its user, without a login
  if (args.cert) {
    const certified = await browser.newContext({ ignoreHTTPSErrors: true, clientCertificates: [
      { origin: new URL(args.url).origin, certPath: args.cert, keyPath: args.key }] });
    const certPage = await certified.newPage();
    certPage.on('pageerror', (e) => pageErrors.push(String(e)));
    await certPage.goto(args.url);
    await certPage.locator('.node[data-node]').nth(3).waitFor(WAIT);
    report('certificate', { user: await certPage.textContent('#who'), loginShown: await certPage.isVisible('#login') });
  }
  report('done', { pageErrors });
} catch (e) {
  report('error', { message: String(e && e.stack || e), pageErrors });
  process.exitCode = 1;
} finally {
  await browser.close();
  input.return?.();
  process.stdin.destroy();
}
