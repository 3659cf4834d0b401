/**
 * The editor side of the `vscode` stand-in: the state VS Code would hold (open documents, settings,
 * registered providers and commands, diagnostics, notifications shown) and the actions a user takes
 * (open a file, type, ask for completion or hover, answer a notification). Tests drive the extension
 * through this object; the extension sees it only through the `vscode` API in `vscode.ts`.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { minimatch } from 'minimatch';
import {
  CancellationTokenSource,
  CompletionItem,
  CompletionList,
  Diagnostic,
  Disposable,
  EventEmitter,
  Hover,
  Position,
  Range,
  RelativePattern,
  Uri,
} from './types';

export class StubTextDocument {
  readonly fileName: string;
  readonly isUntitled = false;
  readonly eol = 1;
  readonly encoding = 'utf8';
  version = 1;
  isDirty = false;
  isClosed = false;
  readonly notebook = undefined;
  constructor(
    readonly uri: Uri,
    readonly languageId: string,
    private text: string,
  ) {
    this.fileName = uri.fsPath;
  }
  get lineCount(): number {
    return this.lines().length;
  }
  getText(range?: Range): string {
    if (range === undefined) {
      return this.text;
    }
    return this.text.slice(this.offsetAt(range.start), this.offsetAt(range.end));
  }
  lineAt(lineOrPosition: number | Position): {
    lineNumber: number;
    text: string;
    range: Range;
    rangeIncludingLineBreak: Range;
    firstNonWhitespaceCharacterIndex: number;
    isEmptyOrWhitespace: boolean;
  } {
    const line = typeof lineOrPosition === 'number' ? lineOrPosition : lineOrPosition.line;
    const text = this.lines()[line] ?? '';
    const firstNonWhitespace = text.search(/\S/);
    return {
      lineNumber: line,
      text,
      range: new Range(line, 0, line, text.length),
      rangeIncludingLineBreak: new Range(line, 0, line + 1, 0),
      firstNonWhitespaceCharacterIndex: firstNonWhitespace === -1 ? text.length : firstNonWhitespace,
      isEmptyOrWhitespace: firstNonWhitespace === -1,
    };
  }
  /** Offsets and characters are UTF-16 code units, as in VS Code (and JavaScript strings). */
  offsetAt(position: Position): number {
    const lines = this.lines();
    const line = Math.min(Math.max(position.line, 0), lines.length - 1);
    let offset = 0;
    for (let i = 0; i < line; i++) {
      offset += (lines[i] ?? '').length + 1;
    }
    return offset + Math.min(Math.max(position.character, 0), (lines[line] ?? '').length);
  }
  positionAt(offset: number): Position {
    const clamped = Math.min(Math.max(offset, 0), this.text.length);
    const before = this.text.slice(0, clamped).split('\n');
    return new Position(before.length - 1, (before[before.length - 1] ?? '').length);
  }
  validatePosition(position: Position): Position {
    return this.positionAt(this.offsetAt(position));
  }
  validateRange(range: Range): Range {
    return new Range(this.validatePosition(range.start), this.validatePosition(range.end));
  }
  getWordRangeAtPosition(position: Position, regex = /[\w$-]+/g): Range | undefined {
    const line = this.lineAt(position.line).text;
    const global = new RegExp(regex.source, regex.flags.includes('g') ? regex.flags : `${regex.flags}g`);
    for (const match of line.matchAll(global)) {
      const start = match.index ?? 0;
      const end = start + match[0].length;
      if (start <= position.character && position.character <= end) {
        return new Range(position.line, start, position.line, end);
      }
    }
    return undefined;
  }
  save(): Promise<boolean> {
    fs.writeFileSync(this.uri.fsPath, this.text);
    this.isDirty = false;
    return Promise.resolve(true);
  }
  /** Replaces a range; returns the change event VS Code would send. */
  applyEdit(range: Range, newText: string): { range: Range; rangeOffset: number; rangeLength: number; text: string } {
    const start = this.offsetAt(range.start);
    const end = this.offsetAt(range.end);
    this.text = this.text.slice(0, start) + newText + this.text.slice(end);
    this.version += 1;
    this.isDirty = true;
    return { range, rangeOffset: start, rangeLength: end - start, text: newText };
  }
  private lines(): string[] {
    return this.text.split('\n');
  }
}

export interface ShownMessage {
  readonly level: 'information' | 'warning' | 'error';
  readonly text: string;
  readonly items: readonly string[];
}

/**
 * A notification with progress (`window.withProgress` at `ProgressLocation.Notification`): VS Code
 * shows `title: message` until the task ends; links in the message are clickable.
 */
export class ProgressNotification {
  message = '';
  open = true;

  constructor(
    readonly title: string,
    readonly cancellable: boolean,
    private readonly onCancel: () => void,
  ) {}

  report(value: { message?: string }): void {
    if (value.message !== undefined) {
      this.message = value.message;
    }
  }

  /** What VS Code shows. */
  get text(): string {
    return this.message === '' ? this.title : `${this.title}: ${this.message}`;
  }

  /** The targets of the message's links, `[label](target)`, by label. */
  get links(): Map<string, string> {
    return new Map([...this.message.matchAll(/\[([^\]]+)\]\(([^)\s]+)\)/g)].map((match) => [match[1] ?? '', match[2] ?? '']));
  }

  /** The user clicks Cancel (only offered when the notification is cancellable). */
  cancel(): void {
    if (!this.cancellable) {
      throw new Error('this notification cannot be cancelled');
    }
    this.onCancel();
  }
}

/**
 * An output channel. A log channel (`{ log: true }`) behaves as VS Code's: every `append` and
 * `appendLine` is an `info` entry, and every entry is one line stamped with the time and its level
 * (`2026-01-02 10:12:03.123 [info] message`); entries below the channel's level (Info, VS Code's
 * default) are dropped.
 */
export class StubOutputChannel {
  text = '';
  shown = false;
  disposed = false;
  /** `vscode.LogLevel.Info`. */
  readonly logLevel = 3;
  private readonly levelChanged = new EventEmitter<number>();
  readonly onDidChangeLogLevel = this.levelChanged.event;
  constructor(
    readonly name: string,
    readonly log: boolean,
  ) {}
  append(value: string): void {
    if (this.log) {
      this.info(value);
    } else {
      this.text += value;
    }
  }
  appendLine(value: string): void {
    if (this.log) {
      this.info(value);
    } else {
      this.text += `${value}\n`;
    }
  }
  replace(value: string): void {
    this.text = '';
    this.append(value);
  }
  clear(): void {
    this.text = '';
  }
  show(): void {
    this.shown = true;
  }
  hide(): void {
    this.shown = false;
  }
  dispose(): void {
    this.disposed = true;
  }
  trace(message: string): void {
    this.entry(1, 'trace', message);
  }
  debug(message: string): void {
    this.entry(2, 'debug', message);
  }
  info(message: string): void {
    this.entry(3, 'info', message);
  }
  warn(message: string): void {
    this.entry(4, 'warning', message);
  }
  error(message: string | Error): void {
    this.entry(5, 'error', message instanceof Error ? message.message : message);
  }
  private entry(level: number, name: string, message: string): void {
    if (level < this.logLevel) {
      return;
    }
    const now = new Date();
    const pad = (value: number, width = 2) => String(value).padStart(width, '0');
    const stamp =
      `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ` +
      `${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}.${pad(now.getMilliseconds(), 3)}`;
    this.text += `${stamp} [${name}] ${message}\n`;
  }
}

export class StubDiagnosticCollection {
  private readonly entries = new Map<string, [Uri, readonly Diagnostic[]]>();
  disposed = false;
  constructor(readonly name: string) {}
  set(uri: Uri | [Uri, readonly Diagnostic[] | undefined][], diagnostics?: readonly Diagnostic[]): void {
    if (Array.isArray(uri)) {
      for (const [entryUri, entryDiagnostics] of uri) {
        this.set(entryUri, entryDiagnostics ?? []);
      }
      return;
    }
    this.entries.set(uri.toString(), [uri, diagnostics ?? []]);
  }
  delete(uri: Uri): void {
    this.entries.delete(uri.toString());
  }
  clear(): void {
    this.entries.clear();
  }
  get(uri: Uri): readonly Diagnostic[] | undefined {
    return this.entries.get(uri.toString())?.[1];
  }
  has(uri: Uri): boolean {
    return this.entries.has(uri.toString());
  }
  forEach(callback: (uri: Uri, diagnostics: readonly Diagnostic[], collection: this) => unknown): void {
    for (const [uri, diagnostics] of this.entries.values()) {
      callback(uri, diagnostics, this);
    }
  }
  dispose(): void {
    this.disposed = true;
    this.entries.clear();
  }
  [Symbol.iterator](): IterableIterator<[Uri, readonly Diagnostic[]]> {
    return this.entries.values();
  }
}

export class StubFileSystemWatcher {
  private readonly created = new EventEmitter<Uri>();
  private readonly changed = new EventEmitter<Uri>();
  private readonly deleted = new EventEmitter<Uri>();
  readonly onDidCreate = this.created.event;
  readonly onDidChange = this.changed.event;
  readonly onDidDelete = this.deleted.event;
  disposed = false;
  constructor(
    readonly pattern: string | RelativePattern,
    readonly ignoreCreateEvents = false,
    readonly ignoreChangeEvents = false,
    readonly ignoreDeleteEvents = false,
  ) {}
  fire(kind: 'create' | 'change' | 'delete', uri: Uri): void {
    if (this.disposed || !globMatches(this.pattern, uri.fsPath)) {
      return;
    }
    if (kind === 'create' && !this.ignoreCreateEvents) {
      this.created.fire(uri);
    } else if (kind === 'change' && !this.ignoreChangeEvents) {
      this.changed.fire(uri);
    } else if (kind === 'delete' && !this.ignoreDeleteEvents) {
      this.deleted.fire(uri);
    }
  }
  dispose(): void {
    this.disposed = true;
  }
}

export interface RegisteredProvider {
  readonly kind: string;
  readonly selector: unknown;
  readonly provider: Record<string, unknown>;
  disposed: boolean;
}

type DocumentFilter = { language?: string; scheme?: string; pattern?: string | RelativePattern; notebookType?: string };

/** Whether a glob (matched on the absolute path, or relative to a RelativePattern's base) matches. */
export function globMatches(pattern: string | RelativePattern, fsPath: string): boolean {
  const file = fsPath.split(path.sep).join('/');
  if (typeof pattern === 'string') {
    return minimatch(file, pattern, { dot: true }) || (!pattern.startsWith('/') && minimatch(file, `**/${pattern}`, { dot: true }));
  }
  const relative = path.relative(pattern.base, fsPath).split(path.sep).join('/');
  return !relative.startsWith('..') && !path.isAbsolute(relative) && minimatch(relative, pattern.pattern, { dot: true });
}

/** `vscode.languages.match`: 0 for no match, higher for a better one (as VS Code scores). */
export function matchSelector(selector: unknown, document: StubTextDocument): number {
  if (Array.isArray(selector)) {
    return Math.max(0, ...selector.map((entry: unknown) => matchSelector(entry, document)));
  }
  if (typeof selector === 'string') {
    return selector === document.languageId ? 10 : selector === '*' ? 5 : 0;
  }
  if (selector === null || typeof selector !== 'object') {
    return 0;
  }
  const filter = selector as DocumentFilter;
  if (filter.notebookType !== undefined) {
    return 0;
  }
  let score = 0;
  if (filter.scheme !== undefined) {
    if (filter.scheme === document.uri.scheme) {
      score = 10;
    } else if (filter.scheme === '*') {
      score = 5;
    } else {
      return 0;
    }
  }
  if (filter.language !== undefined) {
    if (filter.language === document.languageId) {
      score = 10;
    } else if (filter.language === '*') {
      score = Math.max(score, 5);
    } else {
      return 0;
    }
  }
  if (filter.pattern !== undefined) {
    if (globMatches(filter.pattern, document.uri.fsPath)) {
      score = 10;
    } else {
      return 0;
    }
  }
  return score;
}

export interface WorkspaceFolder {
  readonly uri: Uri;
  readonly name: string;
  readonly index: number;
}

export interface ExecutedCommand {
  readonly command: string;
  readonly args: readonly unknown[];
}

/** Answers a notification like a user: returns the item to click, or `undefined` to dismiss it. */
export type Answer = (message: ShownMessage) => string | undefined;

export class Host {
  workspaceFolders: WorkspaceFolder[] = [];
  readonly defaults = new Map<string, unknown>();
  readonly settings = new Map<string, unknown>();
  readonly documents: StubTextDocument[] = [];
  readonly messages: ShownMessage[] = [];
  answer: Answer = () => undefined;
  /** Notifications with progress, in the order shown; `open` until their task ends. */
  readonly progressNotifications: ProgressNotification[] = [];
  /** `vscode.env.remoteName`: set for a remote window (code-server, Remote-SSH, WSL). */
  remoteName: string | undefined;
  readonly outputChannels: StubOutputChannel[] = [];
  readonly diagnosticCollections: StubDiagnosticCollection[] = [];
  readonly watchers: StubFileSystemWatcher[] = [];
  readonly providers: RegisteredProvider[] = [];
  readonly commands = new Map<string, (...args: unknown[]) => unknown>();
  /** Commands executed that no extension registered (VS Code's own, like `markdown.showPreview`). */
  readonly executed: ExecutedCommand[] = [];
  readonly openedExternally: Uri[] = [];
  /** Every `getConfiguration(...).update(...)`: the extension must not change other extensions' settings. */
  readonly configurationUpdates: { section: string; value: unknown }[] = [];
  /** Every `extensions.getExtension(id)`: the extension must not reach into the YAML extension. */
  readonly extensionLookups: string[] = [];
  /** Parts of the API the extension or the client used that the stand-in lacks. */
  readonly missing: string[] = [];
  activeDocument: StubTextDocument | undefined;

  readonly onDidOpenTextDocument = new EventEmitter<StubTextDocument>();
  readonly onDidCloseTextDocument = new EventEmitter<StubTextDocument>();
  readonly onDidChangeTextDocument = new EventEmitter<unknown>();
  readonly onDidSaveTextDocument = new EventEmitter<StubTextDocument>();
  readonly onWillSaveTextDocument = new EventEmitter<unknown>();
  readonly onDidChangeConfiguration = new EventEmitter<{ affectsConfiguration(section: string): boolean }>();
  readonly onDidChangeWorkspaceFolders = new EventEmitter<unknown>();
  readonly onDidChangeActiveTextEditor = new EventEmitter<unknown>();
  readonly onDidChangeVisibleTextEditors = new EventEmitter<unknown>();

  /** Reads the contributed settings' defaults, as VS Code does from the manifest. */
  loadManifestDefaults(packageJson: string): void {
    const manifest = JSON.parse(fs.readFileSync(packageJson, 'utf8')) as {
      contributes?: { configuration?: { properties?: Record<string, { default?: unknown }> } };
    };
    for (const [key, property] of Object.entries(manifest.contributes?.configuration?.properties ?? {})) {
      this.defaults.set(key, property.default);
    }
  }

  setWorkspaceFolders(folders: readonly string[]): void {
    this.workspaceFolders = folders.map((folder, index) => ({ uri: Uri.file(folder), name: path.basename(folder), index }));
    this.onDidChangeWorkspaceFolders.fire({ added: [], removed: [] });
  }

  /** Changes a setting (full key, like `trackplan.server.path`), as the Settings editor does. */
  setSetting(key: string, value: unknown): void {
    if (value === undefined) {
      this.settings.delete(key);
    } else {
      this.settings.set(key, value);
    }
    this.onDidChangeConfiguration.fire({
      affectsConfiguration: (section: string) => key === section || key.startsWith(`${section}.`) || section.startsWith(`${key}.`),
    });
  }

  setting(key: string): unknown {
    return this.settings.has(key) ? this.settings.get(key) : this.defaults.get(key);
  }

  /** Opens a file in an editor and makes it the active one. */
  openDocument(fsPath: string, languageId = languageOf(fsPath)): StubTextDocument {
    const uri = Uri.file(fsPath);
    const existing = this.documents.find((document) => document.uri.toString() === uri.toString());
    const document = existing ?? new StubTextDocument(uri, languageId, fs.readFileSync(fsPath, 'utf8'));
    if (existing === undefined) {
      this.documents.push(document);
      this.onDidOpenTextDocument.fire(document);
    }
    this.activeDocument = document;
    this.onDidChangeVisibleTextEditors.fire(this.visibleEditors());
    this.onDidChangeActiveTextEditor.fire(this.activeEditor());
    return document;
  }

  closeDocument(document: StubTextDocument): void {
    const index = this.documents.indexOf(document);
    if (index >= 0) {
      this.documents.splice(index, 1);
      document.isClosed = true;
      if (this.activeDocument === document) {
        this.activeDocument = undefined;
      }
      this.onDidCloseTextDocument.fire(document);
    }
  }

  /** Types over a range of an open document. */
  edit(document: StubTextDocument, range: Range, text: string): void {
    const change = document.applyEdit(range, text);
    this.onDidChangeTextDocument.fire({ document, contentChanges: [change], reason: undefined });
  }

  activeEditor(): unknown {
    const document = this.activeDocument;
    if (document === undefined) {
      return undefined;
    }
    const selection = new Range(0, 0, 0, 0);
    return { document, selection, selections: [selection], visibleRanges: [], options: {}, viewColumn: 1 };
  }

  visibleEditors(): unknown[] {
    const editor = this.activeEditor();
    return editor === undefined ? [] : [editor];
  }

  diagnostics(document: StubTextDocument): Diagnostic[] {
    return this.diagnosticCollections.flatMap((collection) => [...(collection.get(document.uri) ?? [])]);
  }

  matchingProviders(kind: string, document: StubTextDocument): Record<string, unknown>[] {
    return this.providers
      .filter((entry) => !entry.disposed && entry.kind === kind && matchSelector(entry.selector, document) > 0)
      .map((entry) => entry.provider);
  }

  /** What the completion widget would list at a position (every matching provider). */
  async completion(document: StubTextDocument, position: Position, triggerCharacter?: string): Promise<CompletionItem[]> {
    const items: CompletionItem[] = [];
    for (const provider of this.matchingProviders('completion', document)) {
      const provide = provider.provideCompletionItems as (...args: unknown[]) => Promise<unknown>;
      const context = triggerCharacter === undefined ? { triggerKind: 0 } : { triggerKind: 1, triggerCharacter };
      const result = await provide.call(provider, document, position, new CancellationTokenSource().token, context);
      if (result instanceof CompletionList) {
        items.push(...result.items);
      } else if (Array.isArray(result)) {
        items.push(...(result as CompletionItem[]));
      }
    }
    return items;
  }

  /** What the hover widget would show at a position (every matching provider). */
  async hover(document: StubTextDocument, position: Position): Promise<Hover[]> {
    const hovers: Hover[] = [];
    for (const provider of this.matchingProviders('hover', document)) {
      const provide = provider.provideHover as (...args: unknown[]) => Promise<unknown>;
      const result = await provide.call(provider, document, position, new CancellationTokenSource().token);
      if (result instanceof Hover) {
        hovers.push(result);
      }
    }
    return hovers;
  }

  /** Runs a command as the command palette does. */
  async executeCommand(command: string, ...args: unknown[]): Promise<unknown> {
    const handler = this.commands.get(command);
    if (handler === undefined) {
      this.executed.push({ command, args });
      return undefined;
    }
    return handler(...args);
  }

  /** A file appeared or went away on disk: file watchers hear of it. */
  fileEvent(kind: 'create' | 'change' | 'delete', fsPath: string): void {
    for (const watcher of this.watchers) {
      watcher.fire(kind, Uri.file(fsPath));
    }
  }

  outputChannel(name: string): StubOutputChannel | undefined {
    return this.outputChannels.find((channel) => channel.name === name && !channel.disposed);
  }

  /** Files of the workspace folders matching a glob, as `workspace.findFiles` finds them. */
  findFiles(include: string | RelativePattern, exclude?: string | RelativePattern | null): Uri[] {
    const found: Uri[] = [];
    const walk = (dir: string, folder: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        const relative = path.relative(folder, full).split(path.sep).join('/');
        const excluded =
          exclude !== undefined &&
          exclude !== null &&
          (typeof exclude === 'string' ? minimatch(relative, exclude, { dot: true }) || minimatch(`${relative}/x`, exclude, { dot: true }) : globMatches(exclude, full));
        if (excluded || entry.isSymbolicLink()) {
          continue;
        }
        if (entry.isDirectory()) {
          walk(full, folder);
        } else if (typeof include === 'string' ? minimatch(relative, include, { dot: true }) : globMatches(include, full)) {
          found.push(Uri.file(full));
        }
      }
    };
    for (const folder of this.workspaceFolders) {
      walk(folder.uri.fsPath, folder.uri.fsPath);
    }
    return found;
  }

  disposable(callback: () => void): Disposable {
    return new Disposable(callback);
  }
}

function languageOf(fsPath: string): string {
  const extension = path.extname(fsPath);
  return extension === '.yaml' || extension === '.yml' ? 'yaml' : extension === '.md' ? 'markdown' : 'plaintext';
}

/** The one editor of this test process. */
export let host = new Host();

/** A fresh editor for the next test (the extension module stays loaded, as in VS Code). */
export function resetHost(): Host {
  host = new Host();
  return host;
}
