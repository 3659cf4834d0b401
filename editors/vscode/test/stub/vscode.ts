/**
 * A small stand-in for the `vscode` module, enough to run the extension and vscode-languageclient
 * unchanged: `require('vscode')` resolves here during the tests (see `register.ts`). The client
 * computes its capabilities and messages itself, so the server sees what VS Code's client sends;
 * this module only has to hold the editor's state (in `host.ts`) and hand it over.
 *
 * Every namespace is guarded: using a part of the API that is not here is recorded in
 * `host.missing` (the tests assert it stays empty) and throws, so a gap never passes silently.
 */

import * as path from 'node:path';
import { host, type StubTextDocument, StubDiagnosticCollection, StubFileSystemWatcher, StubOutputChannel, matchSelector, ProgressNotification } from './host';
import * as types from './types';
import { createWebviewPanel } from './webview';

function current() {
  return host;
}

function guard<T extends object>(name: string, target: T): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      if (typeof property === 'symbol' || property in object) {
        return Reflect.get(object, property, receiver);
      }
      // Probes that are not API use: promise detection, module interop, inspection.
      if (property === 'then' || property === '__esModule' || property === 'default' || property === 'toJSON' || property === 'inspect') {
        return undefined;
      }
      const qualified = `${name}.${property}`;
      current().missing.push(qualified);
      throw new Error(`vscode stand-in: ${qualified} is not implemented`);
    },
  });
}

function register(kind: string) {
  return (selector: unknown, provider: Record<string, unknown>): types.Disposable => {
    const entry = { kind, selector, provider, disposed: false };
    current().providers.push(entry);
    return new types.Disposable(() => {
      entry.disposed = true;
    });
  };
}

function showMessage(level: 'information' | 'warning' | 'error') {
  return (text: string, ...rest: unknown[]): Promise<unknown> => {
    const items = rest.filter((item) => typeof item === 'string' || (typeof item === 'object' && item !== null && 'title' in item));
    const titles = items.map((item) => (typeof item === 'string' ? item : String((item as { title: unknown }).title)));
    const message = { level, text, items: titles };
    current().messages.push(message);
    const choice = current().answer(message);
    const picked = items[titles.indexOf(choice ?? '\u0000')];
    return Promise.resolve(picked);
  };
}

const enums = {
  DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3, 0: 'Error', 1: 'Warning', 2: 'Information', 3: 'Hint' },
  DiagnosticTag: { Unnecessary: 1, Deprecated: 2 },
  CompletionItemKind: {
    Text: 0, Method: 1, Function: 2, Constructor: 3, Field: 4, Variable: 5, Class: 6, Interface: 7, Module: 8, Property: 9,
    Unit: 10, Value: 11, Enum: 12, Keyword: 13, Snippet: 14, Color: 15, File: 16, Reference: 17, Folder: 18, EnumMember: 19,
    Constant: 20, Struct: 21, Event: 22, Operator: 23, TypeParameter: 24, User: 25, Issue: 26,
  },
  CompletionItemTag: { Deprecated: 1 },
  CompletionTriggerKind: { Invoke: 0, TriggerCharacter: 1, TriggerForIncompleteCompletions: 2 },
  InsertTextMode: { AsIs: 1, AdjustIndentation: 2 },
  SymbolKind: {
    File: 0, Module: 1, Namespace: 2, Package: 3, Class: 4, Method: 5, Property: 6, Field: 7, Constructor: 8, Enum: 9,
    Interface: 10, Function: 11, Variable: 12, Constant: 13, String: 14, Number: 15, Boolean: 16, Array: 17, Object: 18,
    Key: 19, Null: 20, EnumMember: 21, Struct: 22, Event: 23, Operator: 24, TypeParameter: 25,
  },
  SymbolTag: { Deprecated: 1 },
  DocumentHighlightKind: { Text: 0, Read: 1, Write: 2 },
  CodeActionTriggerKind: { Invoke: 1, Automatic: 2 },
  SignatureHelpTriggerKind: { Invoke: 1, TriggerCharacter: 2, ContentChange: 3 },
  InlineCompletionTriggerKind: { Invoke: 0, Automatic: 1 },
  InlayHintKind: { Type: 1, Parameter: 2 },
  FoldingRangeKind: { Comment: 1, Imports: 2, Region: 3 },
  TextDocumentSaveReason: { Manual: 1, AfterDelay: 2, FocusOut: 3 },
  EndOfLine: { LF: 1, CRLF: 2 },
  FileType: { Unknown: 0, File: 1, Directory: 2, SymbolicLink: 64 },
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
  LogLevel: { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 },
  ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2, Three: 3 },
  NotebookCellKind: { Markup: 1, Code: 2 },
  UIKind: { Desktop: 1, Web: 2 },
  ExtensionMode: { Production: 1, Development: 2, Test: 3 },
  ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
};

const workspace = guard('workspace', {
  get workspaceFolders() {
    const folders = current().workspaceFolders;
    return folders.length === 0 ? undefined : folders;
  },
  get name() {
    return current().workspaceFolders[0]?.name;
  },
  get workspaceFile() {
    return undefined;
  },
  get textDocuments() {
    return [...current().documents];
  },
  get notebookDocuments() {
    return [];
  },
  getWorkspaceFolder(uri: types.Uri) {
    return current().workspaceFolders.find((folder) => {
      const relative = path.relative(folder.uri.fsPath, uri.fsPath);
      return !relative.startsWith('..') && !path.isAbsolute(relative);
    });
  },
  asRelativePath(pathOrUri: string | types.Uri, includeWorkspaceFolder?: boolean) {
    const fsPath = typeof pathOrUri === 'string' ? pathOrUri : pathOrUri.fsPath;
    const folder = workspace.getWorkspaceFolder(types.Uri.file(fsPath));
    if (folder === undefined) {
      return fsPath;
    }
    const relative = path.relative(folder.uri.fsPath, fsPath).split(path.sep).join('/');
    return includeWorkspaceFolder === true && current().workspaceFolders.length > 1 ? `${folder.name}/${relative}` : relative;
  },
  getConfiguration(section?: string) {
    const prefix = section === undefined || section === '' ? '' : `${section}.`;
    return {
      get<T>(key: string, defaultValue?: T): T | undefined {
        const value = current().setting(prefix + key);
        return value === undefined ? defaultValue : (value as T);
      },
      has(key: string): boolean {
        return current().setting(prefix + key) !== undefined;
      },
      inspect(key: string) {
        return { key: prefix + key, defaultValue: current().defaults.get(prefix + key), globalValue: current().settings.get(prefix + key) };
      },
      update(key: string, value: unknown): Promise<void> {
        current().configurationUpdates.push({ section: prefix + key, value });
        return Promise.resolve();
      },
    };
  },
  findFiles(include: string | types.RelativePattern, exclude?: string | types.RelativePattern | null) {
    return Promise.resolve(current().findFiles(include, exclude));
  },
  createFileSystemWatcher(pattern: string | types.RelativePattern, ignoreCreate?: boolean, ignoreChange?: boolean, ignoreDelete?: boolean) {
    const watcher = new StubFileSystemWatcher(pattern, ignoreCreate, ignoreChange, ignoreDelete);
    current().watchers.push(watcher);
    return watcher;
  },
  applyEdit(edit: types.WorkspaceEdit) {
    for (const [uri, edits] of edit.entries()) {
      const document = current().documents.find((candidate) => candidate.uri.toString() === uri.toString());
      if (document === undefined) {
        return Promise.resolve(false);
      }
      // From the end, so that earlier ranges stay valid.
      for (const textEdit of [...edits].sort((a, b) => b.range.start.compareTo(a.range.start))) {
        current().edit(document, textEdit.range, textEdit.newText);
      }
    }
    return Promise.resolve(true);
  },
  openTextDocument(uri: types.Uri | string) {
    const fsPath = typeof uri === 'string' ? uri : uri.fsPath;
    return Promise.resolve(current().openDocument(fsPath));
  },
  registerTextDocumentContentProvider: () => new types.Disposable(() => undefined),
  onDidOpenTextDocument: (listener: (document: StubTextDocument) => unknown, thisArgs?: unknown, disposables?: types.Disposable[]) =>
    current().onDidOpenTextDocument.event(listener, thisArgs, disposables),
  onDidCloseTextDocument: (listener: (document: StubTextDocument) => unknown, thisArgs?: unknown, disposables?: types.Disposable[]) =>
    current().onDidCloseTextDocument.event(listener, thisArgs, disposables),
  onDidChangeTextDocument: (listener: (event: unknown) => unknown, thisArgs?: unknown, disposables?: types.Disposable[]) =>
    current().onDidChangeTextDocument.event(listener, thisArgs, disposables),
  onDidSaveTextDocument: (listener: (document: StubTextDocument) => unknown, thisArgs?: unknown, disposables?: types.Disposable[]) =>
    current().onDidSaveTextDocument.event(listener, thisArgs, disposables),
  onWillSaveTextDocument: (listener: (event: unknown) => unknown, thisArgs?: unknown, disposables?: types.Disposable[]) =>
    current().onWillSaveTextDocument.event(listener, thisArgs, disposables),
  onDidChangeConfiguration: (listener: (event: { affectsConfiguration(section: string): boolean }) => unknown, thisArgs?: unknown, disposables?: types.Disposable[]) =>
    current().onDidChangeConfiguration.event(listener, thisArgs, disposables),
  onDidChangeWorkspaceFolders: (listener: (event: unknown) => unknown, thisArgs?: unknown, disposables?: types.Disposable[]) =>
    current().onDidChangeWorkspaceFolders.event(listener, thisArgs, disposables),
  // Notebooks and file operations: nothing happens to them in these tests.
  onDidOpenNotebookDocument: () => new types.Disposable(() => undefined),
  onDidCloseNotebookDocument: () => new types.Disposable(() => undefined),
  onDidChangeNotebookDocument: () => new types.Disposable(() => undefined),
  onDidSaveNotebookDocument: () => new types.Disposable(() => undefined),
  onDidCreateFiles: () => new types.Disposable(() => undefined),
  onDidDeleteFiles: () => new types.Disposable(() => undefined),
  onDidRenameFiles: () => new types.Disposable(() => undefined),
  onWillCreateFiles: () => new types.Disposable(() => undefined),
  onWillDeleteFiles: () => new types.Disposable(() => undefined),
  onWillRenameFiles: () => new types.Disposable(() => undefined),
});

const languages = guard('languages', {
  match: (selector: unknown, document: StubTextDocument) => matchSelector(selector, document),
  createDiagnosticCollection(name?: string) {
    const collection = new StubDiagnosticCollection(name ?? '');
    current().diagnosticCollections.push(collection);
    return collection;
  },
  getDiagnostics(uri: types.Uri) {
    return current().diagnosticCollections.flatMap((collection) => [...(collection.get(uri) ?? [])]);
  },
  registerCompletionItemProvider: register('completion'),
  registerHoverProvider: register('hover'),
  registerDefinitionProvider: register('definition'),
  registerReferenceProvider: register('references'),
  registerDocumentHighlightProvider: register('documentHighlight'),
  registerDocumentSymbolProvider: register('documentSymbol'),
  registerWorkspaceSymbolProvider: (provider: Record<string, unknown>) => register('workspaceSymbol')(undefined, provider),
  registerRenameProvider: register('rename'),
  registerCodeActionsProvider: register('codeAction'),
  registerCodeLensProvider: register('codeLens'),
  registerDocumentFormattingEditProvider: register('formatting'),
  registerDocumentRangeFormattingEditProvider: register('rangeFormatting'),
  registerOnTypeFormattingEditProvider: register('onTypeFormatting'),
  registerSignatureHelpProvider: register('signatureHelp'),
  registerDocumentLinkProvider: register('documentLink'),
  registerColorProvider: register('color'),
  registerFoldingRangeProvider: register('foldingRange'),
  registerDeclarationProvider: register('declaration'),
  registerSelectionRangeProvider: register('selectionRange'),
  registerCallHierarchyProvider: register('callHierarchy'),
  registerTypeHierarchyProvider: register('typeHierarchy'),
  registerTypeDefinitionProvider: register('typeDefinition'),
  registerImplementationProvider: register('implementation'),
  registerLinkedEditingRangeProvider: register('linkedEditingRange'),
  registerInlayHintsProvider: register('inlayHints'),
  registerInlineValuesProvider: register('inlineValues'),
  registerInlineCompletionItemProvider: register('inlineCompletion'),
  registerDocumentSemanticTokensProvider: register('semanticTokens'),
  registerDocumentRangeSemanticTokensProvider: register('rangeSemanticTokens'),
});

const window = guard('window', {
  get activeTextEditor() {
    return current().activeEditor();
  },
  get visibleTextEditors() {
    return current().visibleEditors();
  },
  tabGroups: { all: [], onDidChangeTabs: () => new types.Disposable(() => undefined), onDidChangeTabGroups: () => new types.Disposable(() => undefined) },
  onDidChangeActiveTextEditor: (listener: (editor: unknown) => unknown, thisArgs?: unknown, disposables?: types.Disposable[]) =>
    current().onDidChangeActiveTextEditor.event(listener, thisArgs, disposables),
  onDidChangeVisibleTextEditors: (listener: (editors: unknown) => unknown, thisArgs?: unknown, disposables?: types.Disposable[]) =>
    current().onDidChangeVisibleTextEditors.event(listener, thisArgs, disposables),
  createOutputChannel(name: string, options?: string | { log: true }) {
    const channel = new StubOutputChannel(name, typeof options === 'object' && options.log);
    current().outputChannels.push(channel);
    return channel;
  },
  showInformationMessage: showMessage('information'),
  showWarningMessage: showMessage('warning'),
  showErrorMessage: showMessage('error'),
  showQuickPick<T>(items: readonly T[] | Promise<readonly T[]>) {
    return Promise.resolve(items).then((resolved) => resolved[0]);
  },
  withProgress<R>(
    options: { location: number; title?: string; cancellable?: boolean },
    task: (progress: { report(value: { message?: string }): void }, token: types.CancellationToken) => Promise<R>,
  ) {
    const cancellation = new types.CancellationTokenSource();
    if (options.location !== enums.ProgressLocation.Notification) {
      return task({ report: () => undefined }, cancellation.token);
    }
    // A notification with progress: shown until its task ends (or the user cancels it).
    const notice = new ProgressNotification(options.title ?? '', options.cancellable === true, () => cancellation.cancel());
    current().progressNotifications.push(notice);
    const result = task({ report: (value) => notice.report(value) }, cancellation.token);
    const close = () => {
      notice.open = false;
    };
    result.then(close, close);
    return result;
  },
  createWebviewPanel,
  showTextDocument(document: StubTextDocument) {
    current().openDocument(document.uri.fsPath);
    return Promise.resolve(current().activeEditor());
  },
});

const commands = guard('commands', {
  registerCommand(command: string, callback: (...args: unknown[]) => unknown) {
    if (current().commands.has(command)) {
      throw new Error(`command '${command}' already exists`);
    }
    current().commands.set(command, callback);
    return new types.Disposable(() => current().commands.delete(command));
  },
  executeCommand(command: string, ...args: unknown[]) {
    return current().executeCommand(command, ...args);
  },
  getCommands() {
    return Promise.resolve([...current().commands.keys()]);
  },
});

const env = guard('env', {
  appName: 'Visual Studio Code (test stand-in)',
  appRoot: '',
  language: 'en',
  machineId: 'stand-in',
  sessionId: 'stand-in',
  uriScheme: 'vscode',
  uiKind: enums.UIKind.Desktop,
  get remoteName() {
    return current().remoteName;
  },
  openExternal(uri: types.Uri) {
    current().openedExternally.push(uri);
    return Promise.resolve(true);
  },
});

const extensions = guard('extensions', {
  getExtension(id: string) {
    current().extensionLookups.push(id);
    return undefined;
  },
  get all() {
    return [];
  },
  onDidChange: () => new types.Disposable(() => undefined),
});

const api = guard('vscode', {
  version: '1.82.0',
  ...types,
  ...enums,
  workspace,
  languages,
  window,
  commands,
  env,
  extensions,
});

export = api;
