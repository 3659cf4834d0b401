/**
 * "trackplan: Open the Plan Dictionary": the page `trackplan doc` writes for a plan (its map, a page
 * per entity, search and history), shown in a web view beside the editor and made again each time a
 * file of that plan is saved, so that a plan can be written beside its documentation.
 *
 * The page holds its script and data and loads nothing, so the web view needs scripts and nothing
 * else (no local resources). When the page is replaced after a save it keeps the reader's view:
 * the page stores its address in the web view's state (see `restoreEditorView` in the page).
 */

import * as path from 'node:path';
import * as vscode from 'vscode';
import { planOf } from './plans';
import { errorSummary, run } from './run';

const VIEW_TYPE = 'trackplan.dictionary';
/** Saves of several files (Save All) make one new page. */
const SAVE_SETTLE_MS = 200;

interface Preview {
  readonly panel: vscode.WebviewPanel;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** The page being made, so that saves while it runs make one more page after it, not several. */
  running: Promise<void> | undefined;
  again: boolean;
}

/** The open dictionaries, one per plan folder. */
export class PlanDictionary implements vscode.Disposable {
  private readonly previews = new Map<string, Preview>();
  private readonly disposables: vscode.Disposable[];

  /**
   * @param binary the `trackplan` binary, or `undefined` after telling the user why there is none
   * @param log where failures are written
   */
  constructor(
    private readonly binary: () => string | undefined,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables = [vscode.workspace.onDidSaveTextDocument((document) => this.saved(document.uri))];
  }

  /** Opens the dictionary of a plan beside the editor, or brings it forward and makes it anew. */
  async show(root: string): Promise<void> {
    const existing = this.previews.get(root);
    if (existing !== undefined) {
      existing.panel.reveal(vscode.ViewColumn.Beside, true);
      return this.refresh(root);
    }
    const panel = vscode.window.createWebviewPanel(
      VIEW_TYPE,
      `Plan dictionary: ${path.basename(root)}`,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, enableFindWidget: true, localResourceRoots: [] },
    );
    const preview: Preview = { panel, timer: undefined, running: undefined, again: false };
    this.previews.set(root, preview);
    panel.onDidDispose(() => {
      if (preview.timer !== undefined) {
        clearTimeout(preview.timer);
      }
      this.previews.delete(root);
    });
    panel.webview.html = message('Writing the plan dictionary…');
    return this.refresh(root);
  }

  dispose(): void {
    for (const preview of this.previews.values()) {
      preview.panel.dispose();
    }
    for (const disposable of this.disposables) {
      disposable.dispose();
    }
  }

  private saved(uri: vscode.Uri): void {
    if (uri.scheme !== 'file') {
      return;
    }
    const root = planOf(uri.fsPath, [...this.previews.keys()]);
    const preview = root === undefined ? undefined : this.previews.get(root);
    if (root === undefined || preview === undefined) {
      return;
    }
    if (preview.timer !== undefined) {
      clearTimeout(preview.timer);
    }
    preview.timer = setTimeout(() => {
      preview.timer = undefined;
      void this.refresh(root);
    }, SAVE_SETTLE_MS);
  }

  /** Makes the page again (at most one run at a time per plan; saves during a run make one more). */
  private refresh(root: string): Promise<void> {
    const preview = this.previews.get(root);
    if (preview === undefined) {
      return Promise.resolve();
    }
    if (preview.running !== undefined) {
      preview.again = true;
      return preview.running;
    }
    const work = async (): Promise<void> => {
      do {
        preview.again = false;
        await this.render(root, preview.panel);
      } while (preview.again && this.previews.get(root) === preview);
    };
    preview.running = work().finally(() => {
      preview.running = undefined;
    });
    return preview.running;
  }

  private async render(root: string, panel: vscode.WebviewPanel): Promise<void> {
    const binary = this.binary();
    if (binary === undefined) {
      panel.webview.html = message('The trackplan binary was not found: see the notification.');
      return;
    }
    const args = ['doc', '--plan', '.', '--out', '-'];
    const result = await run(binary, args, root);
    if (this.previews.get(root)?.panel !== panel) {
      return; // closed meanwhile
    }
    if (result.code === 0 && result.stdout.startsWith('<!doctype html>')) {
      panel.webview.html = result.stdout;
      return;
    }
    const summary = errorSummary(result);
    this.log.error(`trackplan ${args.join(' ')} (in ${root}): ${result.stderr.trim() || result.error || ''}`);
    panel.webview.html = message(`The plan dictionary could not be written: ${summary}`);
    void vscode.window.showErrorMessage(`trackplan doc failed: ${summary}`);
  }
}

/** A page that only says something (no script). */
function message(text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><title>Plan dictionary</title></head><body><p>${escaped}</p></body></html>`;
}
