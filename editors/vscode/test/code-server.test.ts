/**
 * The packaged extension in a real VS Code, used as a new user would: code-server (VS Code 1.100)
 * with `trackplan.vsix` installed, `trackplan` on the login shell's PATH (where rustup's installer
 * puts `~/.cargo/bin`), a copy of the e-commerce template opened, and Chromium typing into it.
 *
 * Screenshots of every step, and VS Code's logs, are left in `test-results/code-server/`
 * (git-ignored). Waits are long: a hang fails the test, a slow machine does not.
 */

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { editorPrograms, installExtension, machine, openBrowser, serve, writeUserSettings } from './codeServer';
import { gitPlanRepository, locate, PACKAGE_DIR, tempDir, trackplanBinary, waitFor } from './helpers';

const VSIX = process.env.TRACKPLAN_VSIX ?? path.join(PACKAGE_DIR, 'trackplan.vsix');
const ARTIFACTS = path.join(PACKAGE_DIR, 'test-results', 'code-server');

/**
 * Settings written before the page loads: a quiet window, suggestions only when asked for, and no
 * auto-save (on by default in a browser), so that typed text reaches the disk only when saved.
 */
const USER_SETTINGS = {
  'files.autoSave': 'off',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
  'git.enabled': false,
};

/** One log entry as VS Code writes it: `2026-01-02 10:12:03.123 [info] message`. */
const LOG_ENTRY = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} \[(trace|debug|info|warning|error)\] (.*)$/;

test('VS Code with the packaged extension: diagnostics, completion, hover, go to definition and the commands', { timeout: 15 * 60_000 }, async (t) => {
  const binary = trackplanBinary(t);
  const programs = editorPrograms(t);
  if (binary === undefined || programs === undefined) {
    return;
  }
  assert.ok(fs.existsSync(VSIX), `${VSIX} is built by scripts/setup-test-deps.sh`);
  fs.rmSync(ARTIFACTS, { recursive: true, force: true });
  fs.mkdirSync(ARTIFACTS, { recursive: true });

  const box = machine(tempDir('code-server'));
  const cargoBin = path.join(box.home, '.cargo', 'bin');
  fs.mkdirSync(cargoBin, { recursive: true });
  fs.symlinkSync(binary, path.join(cargoBin, 'trackplan'));
  fs.writeFileSync(path.join(box.home, '.profile'), 'export PATH="$HOME/.cargo/bin:$PATH"\n');

  // The template committed on `main` (for the diff command), with a typo made since, on disk.
  const { repo, plan } = gitPlanRepository('ecommerce');
  const flowsFile = path.join(plan, 'flows.yaml');
  const accountFile = path.join(plan, 'events', 'account.yaml');
  const original = fs.readFileSync(flowsFile, 'utf8');
  const guestOrder = 'after-guest-order: [Order Completed, Sign Up Completed]';
  assert.ok(original.includes(guestOrder));
  const onDisk = original.replace(guestOrder, 'after-guest-order: [Order Completed, Sign Up Complted]');
  fs.writeFileSync(flowsFile, onDisk);
  const typo = locate(flowsFile, 'Sign Up Complted');

  writeUserSettings(box, USER_SETTINGS);
  await installExtension(programs.codeServer, box, VSIX);
  const served = await serve(programs.codeServer, box, repo);
  t.after(() => served.stop());
  const { context, page } = await openBrowser(programs.chromium, box, path.join(box.home, 'chromium-profile'));
  t.after(() => context.close());
  const editor = new Workbench(page);

  try {
    await page.goto(served.url);
    await page.locator('.monaco-workbench').waitFor();

    // At start: the typo on disk is reported without opening its file.
    await editor.command('Problems: Focus on Problems View');
    await editor.problem(/unknown event `Sign Up Complted`/, `[Ln ${typo.line + 1}, Col ${typo.character + 1}]`);
    await editor.screenshot('01-diagnostics-at-start');

    // Typing an error: `Sign Up Completed` becomes `Sign Upx Completed` in the sign-up flow.
    await editor.quickOpen(path.relative(repo, flowsFile));
    const steps = locate(flowsFile, 'steps: [Sign Up Started, Sign Up Completed]', 'steps: [Sign Up Started, '.length);
    await editor.goTo(steps.line, steps.character + 'Sign Up'.length);
    await page.keyboard.type('x');
    await editor.problem(/unknown event `Sign Upx Completed`/, `[Ln ${steps.line + 1}, Col ${steps.character + 1}]`);
    await editor.screenshot('02-diagnostic-after-typing');
    await page.keyboard.press('Control+Z');
    await waitFor('the typed error to be cleared', async () => !(await editor.problemRows()).some((row) => row.includes('Sign Upx')));

    // Completion in `steps:` lists events: all of them, then those starting with what is typed.
    await editor.goTo(steps.line, steps.character);
    const all = await editor.suggestions();
    assert.ok(all.includes('Sign Up Completed'), `completion lists the events: ${all.join(', ')}`);
    assert.ok(all.length >= 10, `a screenful of events: ${all.join(', ')}`);
    await editor.screenshot('03-completion');
    await page.keyboard.press('Escape');
    const alternative = locate(flowsFile, 'during-checkout: [Checkout Started, Sign Up Started, Sign Up Completed, Order Completed]');
    const orderAt = locate(flowsFile, 'Order Completed]');
    assert.equal(orderAt.line, alternative.line);
    await editor.goTo(orderAt.line, orderAt.character + 'Order'.length);
    const orders = await editor.suggestions();
    assert.ok(orders.includes('Order Completed') && orders.includes('Order Delivered'), `events of other files: ${orders.join(', ')}`);
    assert.ok(orders.every((label) => label.startsWith('Order')), `only the events that match: ${orders.join(', ')}`);
    await editor.screenshot('04-completion-filtered');
    await page.keyboard.press('Escape');

    // Hover over the event shows its card.
    await editor.goTo(steps.line, steps.character + 3);
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    const hover = page.locator('.monaco-hover:visible');
    await hover.locator('h3', { hasText: 'Sign Up Completed' }).waitFor();
    const card = await hover.innerText();
    const definition = locate(accountFile, 'Sign Up Completed:');
    const description = (fs.readFileSync(accountFile, 'utf8').split('\n')[definition.line + 2] ?? '').trim().split(',')[0] ?? '';
    assert.ok(description.length > 20 && card.includes(description), `the hover is the event's card, with "${description}":\n${card}`);
    await editor.screenshot('05-hover');
    await page.keyboard.press('Escape');

    // F12 opens the file that defines the event, at its line.
    await page.keyboard.press('F12');
    await waitFor('the definition to open', async () => (await editor.activeTab())?.startsWith('account.yaml'));
    await waitFor(`the cursor on line ${definition.line + 1}`, async () =>
      (await editor.cursor()).startsWith(`Ln ${definition.line + 1}, Col`),
    );
    await editor.screenshot('06-go-to-definition');

    // The commands: check, diff, restart, show output.
    await editor.command('trackplan: Check the Plan');
    const checked = await editor.notification(new RegExp(`^trackplan check: checked ${path.basename(plan)} `));
    assert.match(checked, /: 1 error,/, 'the typo on disk; the one typed and undone never reached the disk');
    assert.equal(fs.readFileSync(flowsFile, 'utf8'), onDisk);
    await editor.screenshot('07-check');
    await editor.dismissNotifications();

    await editor.command('trackplan: Show Plan Changes Against the Default Branch');
    await page.locator(`.tab[aria-label^="Preview ${path.basename(plan)} plan changes.md"]`).waitFor();
    const preview = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame').locator('body');
    await waitFor('the diff in the preview', async () => /Sign Up Complted/.test(await preview.innerText().catch(() => '')));
    await editor.screenshot('08-diff-preview');

    const log = () => serverLog(box.userData);
    await waitFor('the server to be ready', () => log().some((entry) => entry.message.startsWith('trackplan language server ready')));
    await editor.command('trackplan: Restart the Language Server');
    await waitFor('the restarted server to be ready', () =>
      log().filter((entry) => entry.message.startsWith('trackplan language server ready')).length === 2,
    );
    await waitFor('the first server to exit', () => log().some((entry) => entry.message.startsWith('Server process exited')));
    await editor.command('Problems: Focus on Problems View');
    await editor.problem(/unknown event `Sign Up Complted`/, `[Ln ${typo.line + 1}`);

    await editor.command('trackplan: Show Output');
    await page.locator('.panel .output-view .view-line', { hasText: 'trackplan language server ready' }).first().waitFor();
    await editor.screenshot('09-output');

    // The output as VS Code wrote it: one stamp per line, the server found on the login shell's PATH,
    // and a restart is no error.
    const entries = log();
    assert.ok(
      entries.some((entry) => entry.message === `starting ${path.join(cargoBin, 'trackplan')} lsp (found on PATH)`),
      'the server is the `trackplan` on the login shell PATH',
    );
    for (const entry of entries) {
      assert.doesNotMatch(entry.message, /\d{1,2}:\d{2}:\d{2}/, 'no second timestamp');
    }
    assert.deepEqual(
      entries.filter((entry) => entry.level === 'error' || entry.message.startsWith('Server process exited')),
      [{ level: 'info', message: 'Server process exited with code 0.' }],
    );
    // Nothing of the extension failed in the extension host (an exception in a command, say).
    const host = findFile(path.join(box.userData, 'logs'), (file) => path.basename(file) === 'remoteexthost.log');
    assert.ok(host !== undefined, "the extension host's log");
    const failures = fs
      .readFileSync(host, 'utf8')
      .split(/\n(?=\d{4}-\d{2}-\d{2} )/)
      .filter((entry) => /^\S+ \S+ \[error\]/.test(entry) && /trackplan/i.test(entry));
    assert.deepEqual(failures, [], 'no error of the extension in the extension host');
  } catch (error) {
    await editor.screenshot('failure').catch(() => undefined);
    throw error;
  } finally {
    fs.writeFileSync(path.join(ARTIFACTS, 'code-server.log'), served.output());
    if (fs.existsSync(path.join(box.userData, 'logs'))) {
      fs.cpSync(path.join(box.userData, 'logs'), path.join(ARTIFACTS, 'logs'), { recursive: true });
    }
  }
});

/** The "trackplan" output channel, as VS Code wrote it to its log file: one entry per line. */
function serverLog(userData: string): { level: string; message: string }[] {
  const file = findFile(path.join(userData, 'logs'), (candidate) => candidate.endsWith(path.join('trackplan.trackplan', 'trackplan.log')));
  if (file === undefined) {
    return [];
  }
  const text = fs.readFileSync(file, 'utf8');
  return text
    .split('\n')
    .slice(0, -1)
    .map((line) => {
      const entry = LOG_ENTRY.exec(line);
      assert.ok(entry !== null, `every line of the output is one entry: ${JSON.stringify(line)}\n${text}`);
      return { level: entry[1] ?? '', message: entry[2] ?? '' };
    });
}

function findFile(dir: string, wanted: (file: string) => boolean): string | undefined {
  if (!fs.existsSync(dir)) {
    return undefined;
  }
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    const found = entry.isDirectory() ? findFile(full, wanted) : wanted(full) ? full : undefined;
    if (found !== undefined) {
      return found;
    }
  }
  return undefined;
}

/** What a user does in the window, with the keyboard, and what they see. */
class Workbench {
  constructor(private readonly page: Page) {}

  /** A picture of the window once its animations (a hover fading in) have ended. */
  async screenshot(name: string): Promise<void> {
    await this.page.evaluate(
      'Promise.all(document.getAnimations().filter((a) => a.effect?.getComputedTiming().endTime !== Infinity).map((a) => a.finished.catch(() => undefined)))',
    );
    await this.page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
  }

  /** Runs a command from the Command Palette (F1), by its title. */
  async command(title: string): Promise<void> {
    await this.openQuickInput('F1');
    await this.quickInput(title, title);
  }

  /** Opens a file with Quick Open (Ctrl+P). */
  async quickOpen(relativePath: string): Promise<void> {
    await this.openQuickInput('Control+P');
    const name = path.basename(relativePath);
    await this.quickInput(relativePath, name);
    await this.page.locator(`.tab.active[aria-label^="${name}"]`).waitFor();
  }

  /** Moves the cursor with Go to Line (Ctrl+G); line and character are 0-based. */
  async goTo(line: number, character: number): Promise<void> {
    await this.openQuickInput('Control+G');
    await this.quickInput(`:${line + 1}:${character + 1}`, `Go to line ${line + 1} and character ${character + 1}`);
    await waitFor(`the cursor at ${line + 1}:${character + 1}`, async () =>
      (await this.cursor()).startsWith(`Ln ${line + 1}, Col ${character + 1}`),
    );
  }

  async cursor(): Promise<string> {
    return (await this.page.locator('[id="status.editor.selection"]').textContent()) ?? '';
  }

  async activeTab(): Promise<string | null> {
    return this.page.locator('.tab.active').first().getAttribute('aria-label');
  }

  /** The rows of the Problems view. */
  async problemRows(): Promise<string[]> {
    return this.page.locator('.markers-panel .monaco-list-row').allTextContents();
  }

  /** Waits for a problem in the Problems view, at a place (`[Ln 9, Col 30]`). */
  async problem(message: RegExp, at: string): Promise<string> {
    return waitFor(`a problem ${message} at ${at}`, async () =>
      (await this.problemRows()).find((row) => message.test(row) && row.includes(at)),
    );
  }

  /** Triggers completion (Ctrl+Space) and returns the labels it shows. */
  async suggestions(): Promise<string[]> {
    await this.page.keyboard.press('Control+Space');
    const rows = this.page.locator('.suggest-widget.visible .monaco-list-row');
    await rows.first().waitFor();
    const labels = await rows.locator('.label-name').allTextContents();
    return labels.map((label) => label.trim());
  }

  async notification(message: RegExp): Promise<string> {
    return waitFor(`a notification ${message}`, async () =>
      (await this.page.locator('.notification-toast .notification-list-item-message').allTextContents()).find((text) => message.test(text)),
    );
  }

  async dismissNotifications(): Promise<void> {
    await this.command('Notifications: Clear All Notifications');
  }

  /**
   * Presses the key that opens a quick input until it opens: a window still restoring its state
   * takes keys before it has bound them.
   */
  private async openQuickInput(key: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget:visible input');
    await waitFor(`${key} to open a quick input`, async () => {
      await this.page.keyboard.press(key);
      return input.waitFor({ timeout: 5_000 }).then(
        () => true,
        () => false,
      );
    });
  }

  /**
   * Types into the open quick input and accepts its entry once it is the wanted one. An Enter that
   * arrives while the input is still updating its entries is dropped, so it is pressed again while
   * the input stays open.
   */
  private async quickInput(text: string, expected: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget:visible input');
    await this.page.keyboard.type(text);
    const focused = this.page.locator('.quick-input-list .monaco-list-row.focused');
    await waitFor(`"${expected}" in the quick input`, async () => {
      if (!((await focused.getAttribute('aria-label', { timeout: 1_000 }).catch(() => null)) ?? '').includes(expected)) {
        return false;
      }
      await this.page.keyboard.press('Enter');
      return input.waitFor({ state: 'hidden', timeout: 5_000 }).then(
        () => true,
        () => false,
      );
    });
  }

}
