// The documentation page of `trackplan doc` in Debian's Chromium, driven by playwright-core and
// checked by axe-core. `tests/doc_browser.rs` writes the pages and a spec of what each must show
// (worked out from the plan through the core), then runs this file with node's test runner.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const SPEC = JSON.parse(fs.readFileSync(process.env.TRACKPLAN_DOC_SPEC, 'utf8'));
/** Generous: a hang becomes a failure; no latency is judged here (docs/benchmarks.md measures). */
const WAIT = 60_000;

let browser;

before(async () => {
  browser = await chromium.launch({
    executablePath: SPEC.chromium,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    // playwright-core starts the browser with a fresh, temporary --user-data-dir of its own.
  });
});

after(async () => {
  await browser?.close();
});

/** A page that records console errors, uncaught exceptions and every request it makes. */
async function open(url, { colorScheme = 'light', allowed = [] } = {}) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, colorScheme });
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(url);
  await page.waitForSelector('html[data-ready="true"]', { timeout: WAIT });
  const done = async () => {
    const base = url.split('#')[0];
    const foreign = requests.filter((r) => r.split('#')[0] !== base && !allowed.some((a) => r.startsWith(a)));
    assert.deepEqual(foreign, [], 'the page makes no request');
    assert.deepEqual(problems, [], 'no console error or warning');
    await context.close();
  };
  return { page, done };
}

/** Goes to a view by its address, as a pasted link does, and waits for it to be drawn. */
async function go(page, hash) {
  await page.evaluate(
    (target) =>
      new Promise((resolve) => {
        if (location.hash === target) return resolve();
        window.addEventListener('hashchange', () => setTimeout(resolve, 0), { once: true });
        location.hash = target;
      }),
    hash,
  );
}

function href(kind, id) {
  return `#${kind}/${encodeURIComponent(id)}`;
}

/** axe-core on the current view: no serious or critical violation. */
async function accessible(page, where) {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')})`);
  });
  assert.deepEqual(violations, [], `axe on ${where}`);
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(SPEC.screenshots, `${name}.png`) });
}

for (const spec of SPEC.pages) {
  const url = pathToFileURL(spec.file).href;
  describe(`the page of ${spec.name}`, () => {
    test('every entity has its page, reached by its address, and is listed when browsing', async () => {
      const { page, done } = await open(url);
      for (const [kind, entities] of Object.entries(spec.entities)) {
        const missing = await page.evaluate(
          async ({ kind, entities }) => {
            const out = [];
            for (const [id, label] of entities) {
              await new Promise((resolve) => {
                window.addEventListener('hashchange', () => setTimeout(resolve, 0), { once: true });
                location.hash = `#${kind}/${encodeURIComponent(id)}`;
              });
              const article = document.querySelector('main article.entity');
              const heading = article && article.querySelector('h1');
              if (!article || article.dataset.kind !== kind || article.dataset.id !== id || !heading.textContent.includes(label)) out.push(id);
            }
            return out;
          },
          { kind, entities },
        );
        assert.deepEqual(missing, [], `${kind} pages`);
        await go(page, `#search?kind=${kind}`);
        const more = page.locator('.results button.more');
        if (await more.count()) await more.click();
        const listed = await page.$$eval(`.results-list a[data-kind="${kind}"]`, (links) => links.map((a) => a.dataset.id));
        for (const [id] of entities) assert.ok(listed.includes(id), `${kind} ${id} is listed when browsing`);
      }
      await done();
    });

    test('the map has a node per goal, KPI, flow and event; clicking a KPI shows its flows and events', async () => {
      const { page, done } = await open(`${url}#map`);
      await page.waitForSelector('.map-svg');
      for (const kind of ['goal', 'kpi', 'flow', 'event']) {
        const nodes = await page.$$eval(`.map-svg .node[data-kind="${kind}"]`, (elements) => elements.map((e) => e.dataset.id));
        assert.deepEqual([...nodes].sort(), spec.entities[kind].map(([id]) => id).sort(), `a node per ${kind}`);
      }
      if (spec.kpi) {
        // The whole map on the screen, as the Fit button shows it, then a click on the KPI.
        await page.click('.map-toolbar button:has-text("Fit")');
        await page.click(`.map-svg .node[data-kind="kpi"][data-id="${spec.kpi.id}"] .hit`);
        const panel = page.locator(`.map-panel article.entity[data-kind="kpi"][data-id="${spec.kpi.id}"]`);
        await panel.waitFor({ timeout: WAIT });
        assert.equal(await page.evaluate(() => location.hash), href('map/kpi', spec.kpi.id), 'the selection has an address');
        const links = await panel.locator('a').evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href')));
        for (const flow of spec.kpi.flows) assert.ok(links.includes(href('flow', flow)), `the KPI shows its flow ${flow}`);
        for (const event of spec.kpi.events) assert.ok(links.includes(href('event', event)), `the KPI shows its event ${event}`);
        const lit = await page.$$eval('.map-svg .node.lit', (elements) => elements.map((e) => `${e.dataset.kind}/${e.dataset.id}`));
        for (const flow of spec.kpi.flows) assert.ok(lit.includes(`flow/${flow}`), `the path lights ${flow}`);
        await accessible(page, 'the map with a KPI selected');
        // Keyboard: the selected node has the focus; arrows move it, Enter opens the focused node.
        await page.focus(`.map-svg .node[data-id="${spec.kpi.id}"] .hit`);
        await page.keyboard.press('ArrowLeft');
        const focused = await page.evaluate(() => document.activeElement.closest('.node')?.dataset.kind);
        assert.equal(focused, 'goal', 'ArrowLeft goes to the goal');
        await page.keyboard.press('Enter');
        await page.waitForSelector('.map-panel article.entity[data-kind="goal"]');
        if (spec.name === 'ecommerce') {
          // The README's picture: the map as a link to a KPI opens it.
          const { page: linked, done: closed } = await open(`${url}${href('map/kpi', 'checkout-conversion')}`);
          await linked.waitForSelector('.map-panel article.entity[data-kind="kpi"]');
          await shot(linked, 'ecommerce-map');
          await closed();
        }
      } else {
        await accessible(page, 'the map');
      }
      await done();
    });

    if (spec.search) {
      test('search finds an event by a word of its description, as the reader types', async () => {
        const { page, done } = await open(url);
        await page.keyboard.press('/');
        assert.equal(await page.evaluate(() => document.activeElement.id), 'q', '/ focuses the search');
        await page.keyboard.type(spec.search.word, { delay: 20 });
        const result = page.locator(`.results-list a[data-kind="event"][data-id="${spec.search.event}"]`);
        await result.waitFor({ timeout: WAIT });
        assert.match(await page.evaluate(() => location.hash), /^#search\?q=/, 'the search has an address');
        const marked = await page.locator('.results-list mark').first().textContent();
        assert.equal(marked.toLowerCase(), spec.search.word, 'the match is marked');
        await accessible(page, 'search results');
        if (spec.name === 'ecommerce') {
          await page.selectOption('#filter-kind', 'event');
          const kinds = await page.$$eval('.results-list a', (links) => [...new Set(links.map((a) => a.dataset.kind))]);
          assert.deepEqual(kinds, ['event'], 'the kind filter keeps events only');
          assert.match(await page.evaluate(() => location.hash), /kind=event/, 'filters are part of the address');
          await shot(page, 'ecommerce-search');
        }
        await page.keyboard.press('ArrowDown');
        await page.focus('#q');
        await page.keyboard.press('ArrowDown');
        assert.equal(await page.evaluate(() => document.activeElement.closest('.results-list') !== null), true, 'ArrowDown goes to the results');
        await page.keyboard.press('Enter');
        await page.waitForSelector('main article.entity');
        await done();
      });
    }

    if (spec.deepLink) {
      test('an #event/... address opens that event', async () => {
        const { page, done } = await open(`${url}${href('event', spec.deepLink)}`);
        const article = page.locator(`main article.entity[data-kind="event"][data-id="${spec.deepLink}"]`);
        await article.waitFor({ timeout: WAIT });
        assert.equal((await article.locator('h1').textContent()).trim(), spec.deepLink);
        assert.match(await page.title(), new RegExp(spec.deepLink.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
        await accessible(page, 'an event page');
        if (spec.name.startsWith('ecommerce')) await shot(page, `${spec.name}-event`);
        await page.emulateMedia({ colorScheme: 'dark' });
        await accessible(page, 'an event page in dark mode');
        if (spec.name.startsWith('ecommerce')) await shot(page, `${spec.name}-event-dark`);
        await page.emulateMedia({ colorScheme: 'light', media: 'print' });
        const hidden = await page.evaluate(() => getComputedStyle(document.querySelector('header.top')).display);
        assert.equal(hidden, 'none', 'printing leaves the header out');
        await done();
      });
    }

    test('the overview, a flow with its funnel and the changelog are accessible in light and dark', async () => {
      for (const colorScheme of ['light', 'dark']) {
        const { page, done } = await open(url, { colorScheme });
        await accessible(page, `the overview (${colorScheme})`);
        if (spec.flow) {
          await go(page, href('flow', spec.flow));
          const funnel = page.locator('svg.funnel');
          await funnel.waitFor({ timeout: WAIT });
          const steps = await funnel.locator('[data-id]').count();
          assert.ok(steps > 0, 'the funnel draws its steps');
          await accessible(page, `a flow (${colorScheme})`);
          if (spec.name === 'ecommerce' && colorScheme === 'light') await shot(page, 'ecommerce-flow');
        }
        await go(page, '#changelog');
        await accessible(page, `the changelog (${colorScheme})`);
        await go(page, '#map');
        await page.waitForSelector('.map-svg .node');
        await accessible(page, `the map (${colorScheme})`);
        if (spec.name === 'ecommerce' && colorScheme === 'dark') await shot(page, 'ecommerce-map-dark');
        await done();
      }
    });

    if (spec.history) {
      test('the changelog and the history of an entity come from git', async () => {
        const { page, done } = await open(`${url}#changelog`);
        const commits = await page.$$eval('main .changelog li.commit', (items) => items.length);
        assert.equal(commits, spec.history.commits, 'a changelog entry per commit that changed the plan');
        await go(page, href('event', spec.history.event));
        const heading = await page.locator('main article.entity h2', { hasText: 'History' }).textContent();
        assert.match(heading, new RegExp(`History \\(${spec.history.eventCommits} commits\\)`));
        await go(page, href('event', spec.history.renamed));
        const text = await page.locator('main article.entity').textContent();
        assert.match(text, /Replaced by\s*Promotion Code Applied/);
        assert.match(text, /event-renamed/, 'the rename is in its history');
        // Format 1.1's facts on the new event: its two owners, its link, its sensitivity.
        await go(page, href('event', 'Promotion Code Applied'));
        const added = page.locator('main article.entity');
        assert.match(await added.textContent(), /Owners\s*Checkout.*Growth/s);
        assert.match(await added.textContent(), /Sensitivity\s*internal: for the company only/);
        assert.equal(await added.locator('a', { hasText: 'spec' }).getAttribute('href'), 'https://example.com/specs/promotions');
        assert.equal(await added.locator('.badge.sensitivity-internal').count(), 1);
        await accessible(page, 'an entity with history');
        await done();
      });
    }
  });
}

test('a page served by trackplan doc --serve reloads when a plan file changes', async () => {
  const serve = SPEC.serve;
  const { page, done } = await open(serve.url, { allowed: [serve.url] });
  await go(page, href('event', serve.event));
  await page.waitForSelector('main article.missing-entity');
  const reloaded = page.waitForEvent('load', { timeout: WAIT });
  fs.appendFileSync(serve.file, serve.append);
  await reloaded;
  await page.waitForSelector('html[data-ready="true"]', { timeout: WAIT });
  const article = page.locator(`main article.entity[data-kind="event"][data-id="${serve.event}"]`);
  await article.waitFor({ timeout: WAIT });
  assert.equal(await page.evaluate(() => location.hash), href('event', serve.event), 'the reader stays on the same view');
  await done();
});
