// The browser half of `cargo run --release -p trackplan-bench --bin bench-doc`: opens a page written
// by `trackplan doc` in Debian's Chromium, RUNS times in a fresh tab, and prints how long it takes
// until the page is shown and answers, how long opening the map and an entity takes, and how long a
// keystroke in the search box takes until its results are painted. Figures go to docs/benchmarks.md;
// nothing here passes or fails on a time.
//
// Usage: node tests/browser/bench-doc.mjs PAGE.html [RUNS]

import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [page, runsText] = process.argv.slice(2);
const runs = Number(runsText || 10);
const url = pathToFileURL(page).href;
const QUERY = 'object 42 clicked';

const browser = await chromium.launch({
  executablePath: process.env.TRACKPLAN_CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

/** Installs `window.__painted()`: resolves with the page's clock once the next frame is painted. */
const PAINTED = () => {
  window.__painted = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0)));
};

const samples = { open: [], interactive: [], map: [], entity: [], keystroke: [], keystrokeScript: [] };
for (let run = 0; run < runs + 1; run++) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const tab = await context.newPage();
  const errors = [];
  tab.on('pageerror', (error) => errors.push(error.message));
  await tab.goto(url, { waitUntil: 'commit' });
  await tab.waitForSelector('html[data-ready="true"]', { timeout: 60_000 });
  // Shown: the first view drawn. Answering: a click on a link is handled and painted.
  const shown = await tab.evaluate(() => performance.getEntriesByName('trackplan-ready')[0].startTime);
  await tab.evaluate(PAINTED);
  const interactive = await tab.evaluate(async () => {
    const link = document.querySelector('main a[href^="#kpi/"]');
    link.click();
    await new Promise((resolve) => window.addEventListener('hashchange', resolve, { once: true }));
    return { at: await window.__painted() };
  });
  const navigate = (hash, selector) =>
    tab.evaluate(
      async ({ hash, selector }) => {
        const start = performance.now();
        location.hash = hash;
        await new Promise((resolve) => window.addEventListener('hashchange', resolve, { once: true }));
        const end = await window.__painted();
        if (!document.querySelector(selector)) throw new Error(`${hash} shows no ${selector}`);
        return end - start;
      },
      { hash, selector },
    );
  const map = await navigate('#map', '.map-svg .node');
  const entity = await navigate('#event/Object%204000%20Viewed', 'main article.entity');
  await navigate('#', 'main .overview');
  // Each keystroke: from the input event to its results painted, and the script's own part.
  await tab.evaluate(() => {
    window.__keystrokes = [];
    document.getElementById('q').addEventListener('input', () => {
      const start = performance.now();
      requestAnimationFrame(() => setTimeout(() => window.__keystrokes.push(performance.now() - start), 0));
    }, true);
  });
  await tab.focus('#q');
  for (const key of QUERY) {
    await tab.keyboard.type(key);
    await tab.waitForFunction((n) => window.__keystrokes.length >= n, QUERY.indexOf(key) + 1);
    await tab.waitForTimeout(50);
  }
  const keystrokes = await tab.evaluate(() => window.__keystrokes);
  const script = await tab.evaluate(() => performance.getEntriesByName('trackplan-search').map((m) => m.duration));
  if (errors.length) throw new Error(errors.join('\n'));
  await context.close();
  if (run === 0) continue; // a warm-up: the file in the disk cache, the browser's code compiled
  samples.open.push(shown);
  samples.interactive.push(interactive.at);
  samples.map.push(map);
  samples.entity.push(entity);
  samples.keystroke.push(...keystrokes);
  samples.keystrokeScript.push(...script);
}
const version = browser.version();
await browser.close();

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.round((sorted.length - 1) * q)];
  return `min ${sorted[0].toFixed(0)}, median ${at(0.5).toFixed(0)}, p95 ${at(0.95).toFixed(0)}, max ${sorted[sorted.length - 1].toFixed(0)}`;
}

console.log(`Chromium ${version}, ${runs} runs in fresh tabs (after one warm-up), times in ms:`);
console.log(`page shown (first view drawn, from navigation start): ${summary(samples.open)}`);
console.log(`page answering (a click on a link handled and painted, from navigation start): ${summary(samples.interactive)}`);
console.log(`opening the map: ${summary(samples.map)}`);
console.log(`opening an event's page: ${summary(samples.entity)}`);
console.log(`search, keystroke to results painted (${samples.keystroke.length} keystrokes typing "${QUERY}"): ${summary(samples.keystroke)}`);
console.log(`search, the script's part of it (matching and building the results): ${summary(samples.keystrokeScript)}`);
