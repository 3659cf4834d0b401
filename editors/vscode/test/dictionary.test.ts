/**
 * "trackplan: Open the Plan Dictionary": the page `trackplan doc` writes for the plan of the active
 * editor, in a web view beside it, made again when a file of that plan is saved.
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { activate, copyTemplate, tempDir, trackplanBinary, waitFor } from './helpers';
import { panels } from './stub/webview';

/** The data the page holds (see crates/trackplan-doc). */
function pageData(html: string): { plan: { name?: string }; events: { id: string }[] } {
  const marker = '<script type="application/json" id="trackplan-data">';
  const start = html.indexOf(marker);
  assert.ok(start >= 0, 'the page holds its data');
  const end = html.indexOf('</script>', start);
  return JSON.parse(html.slice(start + marker.length, end)) as { plan: { name?: string }; events: { id: string }[] };
}

test('"trackplan: Open the Plan Dictionary" shows the plan beside the editor and follows its saves', async (t) => {
  const binary = trackplanBinary(t);
  if (binary === undefined) {
    return;
  }
  const workspace = tempDir('dictionary');
  const plan = copyTemplate('ecommerce', path.join(workspace, 'shop'));
  const other = copyTemplate('blank', path.join(workspace, 'other'));
  const session = await activate([workspace], { 'trackplan.server.path': binary });
  t.after(() => session.close());
  const { host } = session;
  host.openDocument(path.join(plan, 'flows.yaml'));
  const before = panels.length;

  await host.executeCommand('trackplan.showDictionary');
  assert.equal(panels.length, before + 1, 'one web view is opened');
  const panel = panels.at(-1);
  assert.ok(panel !== undefined);
  assert.equal(panel.viewType, 'trackplan.dictionary');
  assert.equal(panel.title, 'Plan dictionary: shop');
  assert.deepEqual(panel.showOptions, { viewColumn: -2, preserveFocus: true }, 'beside the editor, which keeps the focus');
  assert.equal(panel.webview.options.enableScripts, true);
  assert.deepEqual(panel.webview.options.localResourceRoots, [], 'the page loads nothing');
  assert.deepEqual(host.messages.filter((m) => m.level === 'error'), []);
  const first = pageData(panel.webview.html);
  assert.equal(first.plan.name, 'Acme Shop', 'the plan of the active editor');
  assert.ok(first.events.some((e) => e.id === 'Order Completed'));
  assert.ok(!first.events.some((e) => e.id === 'Wishlist Shared'));

  // A file of the plan saved: the page is made again with the change.
  const catalog = path.join(plan, 'events', 'catalog.yaml');
  fs.appendFileSync(catalog, '  Wishlist Shared:\n    description: The shopper shared the wishlist.\n    status: proposed\n');
  host.onDidSaveTextDocument.fire(host.openDocument(catalog));
  await waitFor('the page to show the saved change', () => pageData(panel.webview.html).events.some((e) => e.id === 'Wishlist Shared'));
  const pages = panel.history.length;

  // A save in another plan leaves this page alone.
  host.onDidSaveTextDocument.fire(host.openDocument(path.join(other, 'trackplan.yaml')));
  await new Promise((resolve) => setTimeout(resolve, 600));
  assert.equal(panel.history.length, pages, 'no new page for another plan');

  // The command again brings the same view forward.
  host.openDocument(path.join(plan, 'flows.yaml'));
  await host.executeCommand('trackplan.showDictionary');
  assert.equal(panels.length, before + 1, 'no second web view for the same plan');
  assert.equal(panel.revealed, 1);

  // Closed, it is no longer made.
  panel.dispose();
  const closed = panel.history.length;
  host.onDidSaveTextDocument.fire(host.openDocument(catalog));
  await new Promise((resolve) => setTimeout(resolve, 600));
  assert.equal(panel.history.length, closed, 'a closed view is left alone');
});
