/**
 * The trackplan extension: starts `trackplan lsp` for the YAML files of the workspace's plan folders
 * (folders holding a `trackplan.yaml`) and adds commands to check the plan and to preview its
 * semantic diff against the default branch.
 *
 * It works beside the YAML extension instead of against it: plan files keep the `yaml` language,
 * the client only sees files inside plan folders, and the plan's JSON Schema is never registered with
 * the YAML extension (the language server already reports everything the schema would, so every
 * problem would be reported twice).
 */

import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { type BinarySource, resolveBinary, type Resolution } from './binary';
import { PlanDictionary } from './dictionary';
import { documentSelector, EXCLUDE_GLOB, planOf, planRoots, ROOT_FILE_GLOB, sameRoots } from './plans';
import { errorSummary, lastLine, run } from './run';
import { ServerLog } from './serverLog';
import { RESTART_SETTINGS, readSettings, SECTION, serverSettings, type Settings } from './settings';

const CLIENT_ID = 'trackplan';
const CLIENT_NAME = 'trackplan';
const INSTALL_URL = 'https://github.com/trackplan/trackplan#install';
const OPEN_SETTINGS = 'Open Settings';
const SHOW_OUTPUT = 'Show Output';
/** Opens the settings at `trackplan.server.path` (User, or Remote in a remote window); not in the palette. */
const OPEN_SERVER_PATH_SETTING = 'trackplan.openServerPathSetting';

/** What `activate` returns: read by other extensions and by the tests. */
export interface TrackplanApi {
  /** The plan folders the language server serves. */
  planRoots(): readonly string[];
  /** The running language client, if the server is started. */
  client(): LanguageClient | undefined;
  /** Resolves when the pending start, restart or refresh has finished. */
  settled(): Promise<void>;
}

/** The running extension, for `deactivate`. */
let instance: Trackplan | undefined;

export function activate(context: vscode.ExtensionContext): TrackplanApi {
  const trackplan = new Trackplan(context);
  instance = trackplan;
  context.subscriptions.push(trackplan);
  void trackplan.refresh();
  return {
    planRoots: () => trackplan.roots,
    client: () => trackplan.client,
    settled: () => trackplan.settled(),
  };
}

/** Stops the server; VS Code waits for it before disposing the subscriptions. */
export function deactivate(): Thenable<void> | undefined {
  const stopping = instance?.shutdown();
  instance = undefined;
  return stopping;
}

/** The command the server's code lenses carry: find the references of the name they stand on. */
export const FIND_REFERENCES = 'trackplan.findReferences';

/** The extension's state: the plan folders, the language client and the commands. */
class Trackplan implements vscode.Disposable {
  roots: string[] = [];
  client: LanguageClient | undefined;
  private queue: Promise<void> = Promise.resolve();
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly log: vscode.LogOutputChannel;
  private readonly traceChannel: vscode.LogOutputChannel;
  private readonly checkChannel: vscode.OutputChannel;
  private readonly disposables: vscode.Disposable[] = [];
  /** The "cannot start" notification while it is shown: closed once the server starts. */
  private missingBinaryNotice: (() => void) | undefined;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.log = vscode.window.createOutputChannel('trackplan', { log: true });
    this.traceChannel = vscode.window.createOutputChannel('trackplan Language Server Trace', { log: true });
    this.checkChannel = vscode.window.createOutputChannel('trackplan check');
    const watcher = vscode.workspace.createFileSystemWatcher(ROOT_FILE_GLOB, false, true, false);
    const dictionary = new PlanDictionary(() => this.commandBinary(), this.log);
    this.disposables.push(
      dictionary,
      vscode.commands.registerCommand('trackplan.showDictionary', async () => {
        await this.settled();
        const root = await this.pickPlan();
        return root === undefined ? undefined : dictionary.show(root);
      }),
      this.log,
      this.traceChannel,
      this.checkChannel,
      watcher,
      watcher.onDidCreate(() => this.scheduleRefresh()),
      watcher.onDidDelete(() => this.scheduleRefresh()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.scheduleRefresh()),
      vscode.workspace.onDidChangeConfiguration((event) => this.configurationChanged(event)),
      vscode.commands.registerCommand('trackplan.check', () => this.check()),
      vscode.commands.registerCommand('trackplan.diff', () => this.diff()),
      vscode.commands.registerCommand('trackplan.restartServer', () => this.enqueue(() => this.restart())),
      vscode.commands.registerCommand('trackplan.showOutput', () => this.log.show()),
      vscode.commands.registerCommand(OPEN_SERVER_PATH_SETTING, () => openServerPathSetting()),
      // The command of the server's code lenses (`3 flows · 2 KPIs`): its arguments are plain JSON
      // (the document's URI and the name's position), which VS Code's own find-references does not
      // take as they are.
      vscode.commands.registerCommand(FIND_REFERENCES, (uri: string, position: { line: number; character: number }) =>
        vscode.commands.executeCommand(
          'editor.action.findReferences',
          vscode.Uri.parse(uri),
          new vscode.Position(position.line, position.character),
        ),
      ),
    );
  }

  dispose(): void {
    if (this.refreshTimer !== undefined) {
      clearTimeout(this.refreshTimer);
    }
    this.closeMissingBinaryNotice();
    void this.shutdown();
    for (const disposable of this.disposables) {
      disposable.dispose();
    }
  }

  settled(): Promise<void> {
    return this.queue;
  }

  /** Stops the server: on deactivation and when the extension is disposed. */
  shutdown(): Promise<void> {
    return this.enqueue(() => this.stop());
  }

  /** Finds the plan folders again; starts, restarts or stops the server when they changed. */
  refresh(): Promise<void> {
    return this.enqueue(async () => {
      const roots = await findPlanRoots();
      if (sameRoots(roots, this.roots) && (this.client !== undefined || roots.length === 0)) {
        return;
      }
      this.log.info(roots.length === 0 ? 'no plan folder in the workspace' : `plan folders: ${roots.join(', ')}`);
      this.roots = roots;
      await this.restart();
    });
  }

  /** Runs start/stop work one at a time, in order; a failure is logged and does not block the rest. */
  private enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.queue.then(work).catch((error: unknown) => {
      this.log.error(`trackplan: ${describe(error)}`);
    });
    this.queue = next;
    return next;
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer !== undefined) {
      clearTimeout(this.refreshTimer);
    }
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.refresh();
    }, 300);
  }

  private configurationChanged(event: vscode.ConfigurationChangeEvent): void {
    if (RESTART_SETTINGS.some((setting) => event.affectsConfiguration(setting))) {
      void this.enqueue(() => this.restart());
    } else if (event.affectsConfiguration(`${SECTION}.docsBaseUrl`)) {
      const client = this.client;
      if (client?.isRunning() === true) {
        void client.sendNotification(DidChangeConfigurationNotification.type, {
          settings: { [SECTION]: serverSettings(this.settings()) },
        });
      }
    }
  }

  private settings(): Settings {
    return readSettings(vscode.workspace.getConfiguration(SECTION));
  }

  private resolve(settings: Settings): Resolution {
    return resolveBinary(settings.serverPath, {
      workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
      extensionPath: this.context.extensionPath,
      env: process.env,
      platform: process.platform,
      homedir: os.homedir(),
    });
  }

  /** Where the server and `check` run: the first workspace folder. */
  private workingDirectory(): string {
    return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? this.roots[0] ?? os.homedir();
  }

  private async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  private async start(): Promise<void> {
    if (this.roots.length === 0) {
      this.closeMissingBinaryNotice();
      return;
    }
    const settings = this.settings();
    const binary = this.resolve(settings);
    if (!binary.found) {
      this.reportMissingBinary(binary.message);
      return;
    }
    this.closeMissingBinaryNotice();
    const serverOptions: ServerOptions = {
      command: binary.path,
      args: ['lsp', ...settings.extraArgs],
      options: { cwd: this.workingDirectory() },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: documentSelector(this.roots),
      initializationOptions: serverSettings(settings),
      // Adapters, new for each server process: they strip the timestamps the client and the
      // server put on their lines, which the log channels stamp already.
      outputChannel: new ServerLog(this.log),
      traceOutputChannel: new ServerLog(this.traceChannel),
      diagnosticCollectionName: CLIENT_ID,
      markdown: { isTrusted: false, supportHtml: false },
    };
    this.log.info(`starting ${binary.path} ${['lsp', ...settings.extraArgs].join(' ')} (${SOURCES[binary.source]})`);
    const client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
    this.client = client;
    try {
      await client.start();
    } catch (error) {
      this.log.error(`the language server did not start: ${describe(error)}`);
      void vscode.window
        .showErrorMessage(`trackplan: the language server did not start: ${describe(error)}`, SHOW_OUTPUT)
        .then((choice) => (choice === SHOW_OUTPUT ? this.log.show() : undefined));
    }
  }

  private async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client === undefined) {
      return;
    }
    try {
      await client.dispose();
    } catch (error) {
      this.log.warn(`stopping the language server: ${describe(error)}`);
    }
  }

  /**
   * Says that the server cannot start, in a notification that closes by itself once it can (the
   * setting fixed, the binary installed and the server restarted). VS Code cannot close a message
   * of `showErrorMessage`, so this is a notification with progress, which ends with its task; its
   * ways out are links (notifications render links, and command links, but no other Markdown).
   */
  private reportMissingBinary(message: string): void {
    this.log.error(message);
    this.closeMissingBinaryNotice();
    let close: () => void = () => undefined;
    const closed = new Promise<void>((resolve) => {
      close = resolve;
    });
    this.missingBinaryNotice = close;
    const links = `[${OPEN_SETTINGS}](command:${OPEN_SERVER_PATH_SETTING}) · [How to Install](${INSTALL_URL})`;
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'trackplan cannot start the language server', cancellable: true },
      (progress, token) => {
        progress.report({ message: `${message} ${links}` });
        token.onCancellationRequested(() => close());
        return closed;
      },
    );
  }

  private closeMissingBinaryNotice(): void {
    this.missingBinaryNotice?.();
    this.missingBinaryNotice = undefined;
  }

  /** The binary for a command, or `undefined` after telling the user why there is none. */
  private commandBinary(): string | undefined {
    const binary = this.resolve(this.settings());
    if (!binary.found) {
      void vscode.window.showErrorMessage(`trackplan: ${binary.message}`, OPEN_SETTINGS).then(async (choice) => {
        if (choice === OPEN_SETTINGS) {
          await openServerPathSetting();
        }
      });
      return undefined;
    }
    return binary.path;
  }

  private async noPlan(): Promise<void> {
    await vscode.window.showInformationMessage(
      'trackplan: there is no plan in this workspace (a folder with a trackplan.yaml). Create one with "trackplan init".',
    );
  }

  /** `trackplan check` on every plan of the workspace, into the "trackplan check" output. */
  private async check(): Promise<void> {
    await this.settled();
    const binary = this.commandBinary();
    if (binary === undefined) {
      return;
    }
    if (this.roots.length === 0) {
      return this.noPlan();
    }
    const cwd = this.workingDirectory();
    const args = ['check', '--color', 'never', ...this.roots.map((root) => relativeArg(cwd, root))];
    const unsaved = vscode.workspace.textDocuments.some(
      (document) => document.isDirty && planOf(document.uri.fsPath, this.roots) !== undefined,
    );
    this.checkChannel.clear();
    this.checkChannel.appendLine(`$ trackplan ${args.join(' ')}   (in ${cwd})`);
    if (unsaved) {
      this.checkChannel.appendLine('note: plan files with unsaved changes are checked as they are on disk');
    }
    this.checkChannel.show(true);
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'trackplan check' },
      () => run(binary, args, cwd),
    );
    this.checkChannel.append(result.stdout);
    this.checkChannel.append(result.stderr);
    if (result.code === 0 || result.code === 1) {
      const summary = lastLine(result.stdout + result.stderr);
      const message = `trackplan check: ${summary}`;
      const choice =
        result.code === 0
          ? await vscode.window.showInformationMessage(message, SHOW_OUTPUT)
          : await vscode.window.showWarningMessage(message, SHOW_OUTPUT);
      if (choice === SHOW_OUTPUT) {
        this.checkChannel.show();
      }
    } else {
      const choice = await vscode.window.showErrorMessage(`trackplan check failed: ${errorSummary(result)}`, SHOW_OUTPUT);
      if (choice === SHOW_OUTPUT) {
        this.checkChannel.show();
      }
    }
  }

  /** `trackplan diff --format markdown` against the default branch, shown in a Markdown preview. */
  private async diff(): Promise<void> {
    await this.settled();
    const binary = this.commandBinary();
    if (binary === undefined) {
      return;
    }
    const root = await this.pickPlan();
    if (root === undefined) {
      return;
    }
    // The plan folder as it is: the CLI joins `--plan` to its working folder, and `.` showed in its
    // messages as `…/shop/.`.
    const args = ['diff', '--format', 'markdown', '--plan', root];
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'trackplan diff' },
      () => run(binary, args, root),
    );
    if (result.code !== 0) {
      this.log.error(`trackplan ${args.join(' ')} (in ${root}): ${result.stderr.trim() || result.error || ''}`);
      await vscode.window.showErrorMessage(`trackplan diff failed: ${errorSummary(result)}`);
      return;
    }
    const storage = (this.context.storageUri ?? this.context.globalStorageUri).fsPath;
    await fs.mkdir(storage, { recursive: true });
    const file = path.join(storage, `${fileName(path.basename(root))} plan changes.md`);
    await fs.writeFile(file, result.stdout, 'utf8');
    await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(file));
  }

  /** The plan of the active editor, the only plan, or the one the user picks. */
  private async pickPlan(): Promise<string | undefined> {
    if (this.roots.length === 0) {
      await this.noPlan();
      return undefined;
    }
    const active = vscode.window.activeTextEditor?.document.uri;
    const fromEditor = active?.scheme === 'file' ? planOf(active.fsPath, this.roots) : undefined;
    if (fromEditor !== undefined) {
      return fromEditor;
    }
    if (this.roots.length === 1) {
      return this.roots[0];
    }
    const picked = await vscode.window.showQuickPick(
      this.roots.map((root) => ({ label: vscode.workspace.asRelativePath(root, true), root })),
      { placeHolder: 'Which plan?' },
    );
    return picked?.root;
  }
}

const SOURCES: Record<BinarySource, string> = {
  setting: 'set in trackplan.server.path',
  bundled: 'bundled with the extension',
  PATH: 'found on PATH',
};

/**
 * Opens the settings at `trackplan.server.path`. In a remote window (code-server, Remote-SSH, WSL)
 * the machine-overridable setting is shown in the Remote settings, not in the User settings.
 */
async function openServerPathSetting(): Promise<void> {
  const query = `${SECTION}.server.path`;
  if (vscode.env.remoteName !== undefined && vscode.env.remoteName !== '') {
    await vscode.commands.executeCommand('workbench.action.openRemoteSettings', { query });
  } else {
    await vscode.commands.executeCommand('workbench.action.openSettings', query);
  }
}

async function findPlanRoots(): Promise<string[]> {
  if ((vscode.workspace.workspaceFolders ?? []).length === 0) {
    return [];
  }
  const files = await vscode.workspace.findFiles(ROOT_FILE_GLOB, EXCLUDE_GLOB);
  return planRoots(files.filter((uri) => uri.scheme === 'file').map((uri) => uri.fsPath));
}

function relativeArg(cwd: string, target: string): string {
  const relative = path.relative(cwd, target);
  return relative === '' ? '.' : relative.startsWith('..') || path.isAbsolute(relative) ? target : relative;
}

function fileName(name: string): string {
  return name.replace(/[^\p{L}\p{N}._ -]+/gu, '-') || 'plan';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
