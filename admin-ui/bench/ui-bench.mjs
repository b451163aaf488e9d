// The web UI's benchmark, against a release bkgd (the binary `make run` ships, UI embedded)
// in headless Chromium (Debian's, via playwright-core):
//   1. JavaScript transferred (compressed bytes on the wire) to load /login and / with an
//      empty cache; goal <= 250 kB.
//   2. Time to interactive of the dashboard: navigation start to the plugin table rendered with
//      its data and the main thread quiet (end of the last long task, if later); median of
//      runs with an empty cache and with a warm one; goal <= 1 s.
//   3. Main-thread long tasks while a plugin prints 10,000 lines/s with PluginLogs open, and
//      whether the page keeps up (lines shown vs printed, frame delay); goal: none > 50 ms.
// Usage: npm run bench (after `cargo build --release --workspace` and `npm run build`).
import { launch } from '../e2e/support/browser.mjs';
import { ADMIN_PASSWORD, Daemon } from '../e2e/support/daemon.mjs';

const RUNS = Number(process.env.BKG_BENCH_RUNS ?? 7);
const FLOOD_SECONDS = Number(process.env.BKG_BENCH_FLOOD_SECONDS ?? 10);
const LINES_PER_SECOND = 10_000;
const TICK_MS = 100;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kB = (b) => `${(b / 1024).toFixed(1)} kB`;

/** Sums the bytes on the wire of every script the page loads until the network is idle. */
async function jsTransferred(page, url) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.clearBrowserCache');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const scripts = new Map();
  cdp.on('Network.responseReceived', (e) => {
    if (e.type === 'Script') scripts.set(e.requestId, { url: e.response.url, bytes: 0, encoding: e.response.headers['content-encoding'] ?? '' });
  });
  cdp.on('Network.loadingFinished', (e) => {
    const s = scripts.get(e.requestId);
    if (s) s.bytes = e.encodedDataLength;
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  await cdp.detach();
  const list = [...scripts.values()];
  return { bytes: list.reduce((a, s) => a + s.bytes, 0), files: list.length, encodings: [...new Set(list.map((s) => s.encoding))] };
}

/** Navigation start to "dashboard usable": rows rendered, then the end of the last long task. */
async function dashboardTti(page, url, cold) {
  const cdp = await page.context().newCDPSession(page);
  if (cold) {
    await cdp.send('Network.enable');
    await cdp.send('Network.clearBrowserCache');
  }
  await page.addInitScript(() => {
    globalThis.__longTasks = [];
    new PerformanceObserver((l) => globalThis.__longTasks.push(...l.getEntries().map((e) => e.startTime + e.duration))).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(url);
  await page.locator('main table tbody tr a').first().waitFor();
  const ready = await page.evaluate(() => performance.now());
  // Give long tasks that started before "ready" time to be reported.
  await page.waitForLoadState('networkidle');
  const lastLongTask = await page.evaluate(() => Math.max(0, ...globalThis.__longTasks));
  await cdp.detach();
  return Math.max(ready, lastLongTask);
}

async function main() {
  const daemon = await new Daemon({ profile: 'release', extraToml: '[logs]\nring_lines = 20000\n' }).start();
  const api = await daemon.api();
  const ctx = await launch();
  const results = {};
  try {
    const page = await ctx.newPage();
    results.login = await jsTransferred(page, `${daemon.url}/login`);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    results.dashboard = await jsTransferred(page, `${daemon.url}/`);

    const cold = [];
    const warm = [];
    for (let i = 0; i < RUNS; i++) {
      const p = await ctx.newPage();
      cold.push(await dashboardTti(p, `${daemon.url}/`, true));
      await p.close();
      const q = await ctx.newPage();
      warm.push(await dashboardTti(q, `${daemon.url}/`, false));
      await q.close();
    }
    results.tti = { cold: median(cold), warm: median(warm), coldAll: cold, warmAll: warm };

    // The flood: the test plugin prints 1,000 lines every 100 ms while its page is open.
    await api.post('/api/plugins/testplugin/start');
    const logs = await ctx.newPage();
    await logs.goto(`${daemon.url}/plugins/testplugin`);
    await logs.getByRole('log').waitFor();
    await logs.evaluate(() => {
      globalThis.__long = [];
      new PerformanceObserver((l) => globalThis.__long.push(...l.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });
      globalThis.__frames = [];
      let last = performance.now();
      const frame = (t) => {
        globalThis.__frames.push(t - last);
        last = t;
        if (!globalThis.__stopFrames) requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
    // Main-thread CPU time (not wall time, which a busy machine stretches) over the flood.
    const perf = await logs.context().newCDPSession(logs);
    await perf.send('Performance.enable');
    const threadTime = async () => (await perf.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime').value;
    const cpu0 = await threadTime();
    const perTick = (LINES_PER_SECOND * TICK_MS) / 1000;
    const ticks = (FLOOD_SECONDS * 1000) / TICK_MS;
    // Each tick's lines are asked for on schedule, without waiting for the previous tick's
    // answer, so the rate holds even when one call is slow.
    const started = Date.now();
    const calls = [];
    for (let i = 0; i < ticks; i++) {
      const wait = started + i * TICK_MS - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      calls.push(api.post('/api/plugins/testplugin/invoke/log', { count: perTick, level: 'info', message: `flood line of about sixty characters, tick ${i}` }));
    }
    const printed = (await Promise.all(calls)).reduce((n, out) => n + (out.output.written ?? perTick), 0);
    const elapsed = (Date.now() - started) / 1000;
    const mainThreadCpu = (await threadTime()) - cpu0;
    // Kept up: the last line printed is on screen (the view follows the tail).
    const lastLine = logs.getByRole('log').getByText(`flood line of about sixty characters, tick ${ticks - 1}`, { exact: true }).last();
    const caughtUp = await lastLine.waitFor({ state: 'attached', timeout: 10_000 }).then(() => true, () => false);
    const lastShown = await logs.locator('.log-row .msg').last().textContent();
    const countText = logs.getByTestId('log-count');
    const shown = async () => Number((await countText.textContent()).replace(/\D/g, ''));
    const flood = await logs.evaluate(() => {
      globalThis.__stopFrames = true;
      const frames = globalThis.__frames.slice(1);
      const sorted = [...frames].sort((a, b) => a - b);
      return {
        longTasks: globalThis.__long.length,
        maxLongTaskMs: Math.max(0, ...globalThis.__long),
        frames: frames.length,
        p50FrameMs: sorted[Math.floor(sorted.length / 2)] ?? 0,
        p99FrameMs: sorted[Math.floor(sorted.length * 0.99)] ?? 0,
        maxFrameMs: sorted[sorted.length - 1] ?? 0,
      };
    });
    const missed = await logs.getByTestId('log-missed').count();
    results.flood = { ...flood, printed, caughtUp, lastShown, cpuPercent: (mainThreadCpu / elapsed) * 100, shown: await shown(), rate: Math.round(printed / elapsed), missedNotice: missed > 0 };
  } finally {
    await ctx.close();
    await daemon.stop();
  }

  const r = results;
  console.log('bkg web UI benchmark (release bkgd, headless Chromium, this machine)');
  console.log(`  JS transferred, /login:          ${kB(r.login.bytes)} in ${r.login.files} files (${r.login.encodings.join(',') || 'identity'})   goal <= 250 kB`);
  console.log(`  JS transferred, / (dashboard):   ${kB(r.dashboard.bytes)} in ${r.dashboard.files} files (${r.dashboard.encodings.join(',') || 'identity'})   goal <= 250 kB`);
  console.log(`  dashboard time to interactive:   ${r.tti.cold.toFixed(0)} ms empty cache, ${r.tti.warm.toFixed(0)} ms warm (median of ${RUNS})   goal <= 1000 ms`);
  console.log(`      empty cache runs: ${r.tti.coldAll.map((x) => x.toFixed(0)).join(' ')}; warm: ${r.tti.warmAll.map((x) => x.toFixed(0)).join(' ')}`);
  const f = r.flood;
  console.log(`  ${f.rate} lines/s for ${FLOOD_SECONDS} s with PluginLogs open: ${f.longTasks} long tasks (max ${f.maxLongTaskMs.toFixed(0)} ms)   goal: none > 50 ms`);
  console.log(`      main-thread CPU ${f.cpuPercent.toFixed(0)} % of one core while flooding`);
  console.log(`      frames p50 ${f.p50FrameMs.toFixed(1)} ms, p99 ${f.p99FrameMs.toFixed(1)} ms, max ${f.maxFrameMs.toFixed(0)} ms; lines printed ${f.printed}, held in the view ${f.shown} (at most 50,000), last line on screen: ${f.caughtUp ? 'yes' : `NO (last shown: ${f.lastShown})`}${f.missedNotice ? ' (the daemon reported lag)' : ''}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
