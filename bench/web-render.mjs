// The web UI's speed in headless Chromium (issue 15), against a real server
// with the fake model:
//   - first render of a conversation of 200 messages and 500 tool steps (target: under 300 ms,
//     from its items in hand to the thread's end painted; then the time until all of it is mounted);
//   - a streamed answer of 5,000 deltas: the page's long tasks (target: none over 50 ms).
// Needs the build (npm run build) and Debian's Chromium.
//
//   node bench/web-render.mjs            (both)
//   node bench/web-render.mjs --stream   (only the 5,000 deltas)
//   node bench/web-render.mjs --dist <dir>  (serve that build, e.g. of another commit, to compare)

import { chromium } from 'playwright-core';
import { startAgentdWithFakeModel } from '../packages/test-server/dist/index.js';
import { buildWeb } from '../scripts/build-web.mjs';

const TURNS = 100;
const STEPS_PER_TURN = 5;
const DELTAS = 5000;
const ONLY_STREAM = process.argv.includes('--stream');
const distAt = process.argv.indexOf('--dist');
const dist = distAt > 0 ? process.argv[distAt + 1] : new URL('../apps/web/dist', import.meta.url).pathname;

if (distAt < 0) buildWeb();
console.log(`build: ${dist}`);
const agentd = await startAgentdWithFakeModel({ backend: 'pglite', env: { AGENTD_WEB_DIR: dist } });
const browser = await chromium.launch({
  executablePath: process.env.AGENTD_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  chromiumSandbox: false,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});

try {
  const { api, server, fake } = agentd;
  // 200 messages (a question and an answer a turn) and 500 tool calls with their results.
  const items = [];
  for (let turn = 0; turn < TURNS; turn++) {
    items.push({ type: 'message', role: 'user', content: `Question ${turn}: what is ${turn} squared?` });
    for (let step = 0; step < STEPS_PER_TURN; step++) {
      const call_id = `call_${turn}_${step}`;
      items.push({
        type: 'function_call',
        call_id,
        name: 'calculator',
        arguments: `{"x":${turn},"step":${step}}`,
      });
      items.push({ type: 'function_call_output', call_id, output: `{"value":${turn * turn + step}}` });
    }
    items.push({
      type: 'message',
      role: 'assistant',
      content: [
        {
          type: 'output_text',
          text: `**${turn}² = ${turn * turn}**\n\n| x | x² |\n|---|---|\n| ${turn} | ${turn * turn} |`,
        },
      ],
    });
  }
  const conversation = await api.post('/v1/conversations', { metadata: { title: 'Bench' } });
  for (let i = 0; i < items.length; i += 20) {
    const added = await api.post(`/v1/conversations/${conversation.body.id}/items`, {
      items: items.slice(i, i + 20),
    });
    if (added.status !== 200) throw new Error(`adding items: ${JSON.stringify(added.body)}`);
  }

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByLabel('API key').fill(server.adminKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'New chat' }).waitFor();

  const renders = [];
  const mounted = [];
  for (let round = 0; round < (ONLY_STREAM ? 0 : 5); round++) {
    await page.goto(`${server.url}/c/${conversation.body.id}`);
    await page.waitForFunction(
      () => performance.getEntriesByName('agentd:history-painted').length > 0,
      null,
      {
        timeout: 30_000,
      },
    );
    renders.push(
      await page.evaluate(
        () => performance.measure('render', 'agentd:history-fetched', 'agentd:history-painted').duration,
      ),
    );
    // The first paint shows the conversation's end; the older items mount a chunk per frame after it.
    await page.waitForFunction(
      (turns) => document.querySelectorAll('[data-testid="user-message"]').length === turns,
      TURNS,
      { timeout: 30_000 },
    );
    mounted.push(
      await page.evaluate(
        () => performance.now() - performance.getEntriesByName('agentd:history-fetched')[0].startTime,
      ),
    );
  }
  renders.sort((a, b) => a - b);
  if (!ONLY_STREAM)
    console.log(
      `first render of ${TURNS * 2} messages and ${TURNS * STEPS_PER_TURN} steps: median ${renders[2].toFixed(0)} ms ` +
        `(of 5: ${renders.map((ms) => ms.toFixed(0)).join(', ')}; target under 300 ms)`,
    );
  mounted.sort((a, b) => a - b);
  if (!ONLY_STREAM)
    console.log(
      `  the whole thread mounted (older items a chunk per frame after the first paint): median ${mounted[2].toFixed(0)} ms`,
    );

  // 5,000 deltas streamed into a new chat; every long task the page has meanwhile.
  fake.enqueue({ chunks: Array.from({ length: DELTAS }, (_, i) => `t${i} `), chunkDelayMs: 1 });
  await page.goto(server.url);
  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longTasks.push(entry.duration);
    }).observe({ type: 'longtask' });
  });
  // The renderer's main-thread work (CPU, not wall time: on a loaded machine wall time stretches).
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async () =>
    Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const before = await metrics();
  const started = Date.now();
  await page.getByLabel('Message', { exact: true }).fill('Stream a lot');
  await page.keyboard.press('Enter');
  await page.locator('[data-testid="answer"][aria-busy="false"]').waitFor({ timeout: 120_000 });
  const seconds = (Date.now() - started) / 1000;
  const text = (await page.getByTestId('answer').locator('.markdown').textContent()) ?? '';
  if (!text.trim().endsWith(`t${DELTAS - 1}`)) throw new Error('the streamed answer is incomplete');
  const after = await metrics();
  const busy = (name) => ((after[name] ?? 0) - (before[name] ?? 0)).toFixed(2);
  const longTasks = await page.evaluate(() => window.__longTasks);
  const worst = longTasks.length ? Math.max(...longTasks) : 0;
  console.log(
    `streaming ${DELTAS} deltas (${seconds.toFixed(1)} s): ${longTasks.length} long tasks over 50 ms, ` +
      `the longest ${worst.toFixed(0)} ms (target: none); main thread busy ${busy('TaskDuration')} s ` +
      `(script ${busy('ScriptDuration')} s, layout ${busy('LayoutDuration')} s)`,
  );
  await context.close();
} finally {
  await browser.close();
  await agentd.close();
}
