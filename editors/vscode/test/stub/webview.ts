/**
 * Web view panels for the `vscode` stand-in: what the extension opened (its view type, title,
 * column and options) and the HTML it set, kept in `panels` for the tests to read.
 */

import { EventEmitter } from './types';

export class StubWebviewPanel {
  readonly webview = { html: '', options: {} as Record<string, unknown>, cspSource: 'vscode-webview:' };
  /** Every HTML the extension set, in order. */
  readonly history: string[] = [];
  visible = true;
  disposed = false;
  revealed = 0;
  private readonly disposeEmitter = new EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;
  readonly onDidChangeViewState = new EventEmitter<unknown>().event;

  constructor(
    readonly viewType: string,
    public title: string,
    readonly showOptions: unknown,
    options: Record<string, unknown> | undefined,
  ) {
    const webview = this.webview;
    const history = this.history;
    Object.defineProperty(webview, 'html', {
      get: () => history.at(-1) ?? '',
      set: (html: string) => {
        history.push(html);
      },
    });
    webview.options = options ?? {};
  }

  reveal(): void {
    this.revealed += 1;
  }

  /** Closes the panel, as the user does with its tab. */
  dispose(): void {
    if (!this.disposed) {
      this.disposed = true;
      this.visible = false;
      this.disposeEmitter.fire(undefined);
    }
  }
}

/** The panels opened since the test process started. */
export const panels: StubWebviewPanel[] = [];

export function createWebviewPanel(viewType: string, title: string, showOptions: unknown, options?: Record<string, unknown>): StubWebviewPanel {
  const panel = new StubWebviewPanel(viewType, title, showOptions, options);
  panels.push(panel);
  return panel;
}
