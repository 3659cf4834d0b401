/**
 * The value types of the `vscode` API that the stand-in needs (Uri, Position, Range, events, the
 * classes vscode-languageclient converts protocol values into). They behave like VS Code's for what
 * the client and the tests use; anything else is left out on purpose.
 */

import * as path from 'node:path';

export class Disposable {
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((item) => item.dispose()));
  }
  private done = false;
  constructor(private readonly callOnDispose: () => unknown) {}
  dispose(): void {
    if (!this.done) {
      this.done = true;
      this.callOnDispose();
    }
  }
}

export type Event<T> = (listener: (e: T) => unknown, thisArgs?: unknown, disposables?: Disposable[]) => Disposable;

export class EventEmitter<T> {
  private listeners = new Set<(e: T) => unknown>();
  readonly event: Event<T> = (listener, thisArgs, disposables) => {
    const bound = (e: T): unknown => listener.call(thisArgs, e);
    this.listeners.add(bound);
    const disposable = new Disposable(() => this.listeners.delete(bound));
    disposables?.push(disposable);
    return disposable;
  };
  fire(event: T): void {
    for (const listener of [...this.listeners]) {
      listener(event);
    }
  }
  dispose(): void {
    this.listeners.clear();
  }
}

export class CancellationError extends Error {
  constructor() {
    super('Canceled');
    this.name = 'Canceled';
  }
}

export interface CancellationToken {
  isCancellationRequested: boolean;
  onCancellationRequested: Event<unknown>;
}

export class CancellationTokenSource {
  private readonly emitter = new EventEmitter<unknown>();
  readonly token: CancellationToken = { isCancellationRequested: false, onCancellationRequested: this.emitter.event };
  cancel(): void {
    if (!this.token.isCancellationRequested) {
      this.token.isCancellationRequested = true;
      this.emitter.fire(undefined);
    }
  }
  dispose(): void {
    this.emitter.dispose();
  }
}

/** `vscode.Uri` for the `file` scheme (and any scheme parsed from a string). */
export class Uri {
  static file(fsPath: string): Uri {
    const normalized = fsPath.split(path.sep).join('/');
    return new Uri('file', '', normalized.startsWith('/') ? normalized : `/${normalized}`, '', '');
  }
  static parse(value: string): Uri {
    const match = /^([a-zA-Z][\w+.-]*):(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(value);
    if (match === null) {
      throw new Error(`vscode stand-in: cannot parse the URI ${value}`);
    }
    const [, scheme = '', authority = '', uriPath = '', query = '', fragment = ''] = match;
    return new Uri(scheme, authority, decodeURIComponent(uriPath), decodeURIComponent(query), decodeURIComponent(fragment));
  }
  static joinPath(base: Uri, ...segments: string[]): Uri {
    return base.with({ path: path.posix.join(base.path, ...segments) });
  }
  static from(components: { scheme: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
    return new Uri(components.scheme, components.authority ?? '', components.path ?? '', components.query ?? '', components.fragment ?? '');
  }
  private constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
    readonly query: string,
    readonly fragment: string,
  ) {}
  get fsPath(): string {
    return this.path.split('/').join(path.sep);
  }
  with(change: { scheme?: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
    return new Uri(
      change.scheme ?? this.scheme,
      change.authority ?? this.authority,
      change.path ?? this.path,
      change.query ?? this.query,
      change.fragment ?? this.fragment,
    );
  }
  /** Encodes like VS Code: every path segment percent-encoded, `/` kept. */
  toString(): string {
    const encodedPath = this.path
      .split('/')
      .map((segment) => encodeURIComponent(segment))
      .join('/');
    let result = `${this.scheme}:`;
    if (this.authority !== '' || this.scheme === 'file') {
      result += `//${this.authority}`;
    }
    result += encodedPath;
    if (this.query !== '') {
      result += `?${encodeURIComponent(this.query)}`;
    }
    if (this.fragment !== '') {
      result += `#${encodeURIComponent(this.fragment)}`;
    }
    return result;
  }
  toJSON(): unknown {
    return { $mid: 1, scheme: this.scheme, authority: this.authority, path: this.path, query: this.query, fragment: this.fragment };
  }
}

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
  isBefore(other: Position): boolean {
    return this.line < other.line || (this.line === other.line && this.character < other.character);
  }
  isAfter(other: Position): boolean {
    return other.isBefore(this);
  }
  isEqual(other: Position): boolean {
    return this.line === other.line && this.character === other.character;
  }
  isBeforeOrEqual(other: Position): boolean {
    return this.isBefore(other) || this.isEqual(other);
  }
  isAfterOrEqual(other: Position): boolean {
    return this.isAfter(other) || this.isEqual(other);
  }
  compareTo(other: Position): number {
    return this.isBefore(other) ? -1 : this.isEqual(other) ? 0 : 1;
  }
  translate(lineDelta = 0, characterDelta = 0): Position {
    return new Position(this.line + lineDelta, this.character + characterDelta);
  }
  with(line = this.line, character = this.character): Position {
    return new Position(line, character);
  }
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(start: Position, end: Position);
  constructor(startLine: number, startCharacter: number, endLine: number, endCharacter: number);
  constructor(a: Position | number, b: Position | number, c?: number, d?: number) {
    const start = typeof a === 'number' ? new Position(a, b as number) : a;
    const end = typeof a === 'number' ? new Position(c ?? 0, d ?? 0) : (b as Position);
    [this.start, this.end] = start.isBeforeOrEqual(end) ? [start, end] : [end, start];
  }
  get isEmpty(): boolean {
    return this.start.isEqual(this.end);
  }
  get isSingleLine(): boolean {
    return this.start.line === this.end.line;
  }
  contains(value: Position | Range): boolean {
    if (value instanceof Range) {
      return this.contains(value.start) && this.contains(value.end);
    }
    return value.isAfterOrEqual(this.start) && value.isBeforeOrEqual(this.end);
  }
  isEqual(other: Range): boolean {
    return this.start.isEqual(other.start) && this.end.isEqual(other.end);
  }
  with(start = this.start, end = this.end): Range {
    return new Range(start, end);
  }
}

export class Selection extends Range {
  constructor(
    readonly anchor: Position,
    readonly active: Position,
  ) {
    super(anchor, active);
  }
}

export class Location {
  constructor(
    readonly uri: Uri,
    readonly range: Range,
  ) {}
}

export class RelativePattern {
  readonly baseUri: Uri;
  readonly base: string;
  constructor(
    base: Uri | string | { uri: Uri },
    readonly pattern: string,
  ) {
    this.baseUri = typeof base === 'string' ? Uri.file(base) : base instanceof Uri ? base : base.uri;
    this.base = this.baseUri.fsPath;
  }
}

export class MarkdownString {
  isTrusted?: boolean;
  supportHtml?: boolean;
  supportThemeIcons?: boolean;
  baseUri?: Uri;
  constructor(
    public value = '',
    supportThemeIcons = false,
  ) {
    this.supportThemeIcons = supportThemeIcons;
  }
  appendText(value: string): this {
    this.value += value.replace(/[\\`*_{}[\]()#+\-.!]/g, '\\$&');
    return this;
  }
  appendMarkdown(value: string): this {
    this.value += value;
    return this;
  }
  appendCodeblock(code: string, language = ''): this {
    this.value += `\n\`\`\`${language}\n${code}\n\`\`\`\n`;
    return this;
  }
}

export class Hover {
  readonly contents: unknown[];
  constructor(
    contents: unknown,
    readonly range?: Range,
  ) {
    this.contents = Array.isArray(contents) ? contents : [contents];
  }
}

export class DiagnosticRelatedInformation {
  constructor(
    readonly location: Location,
    readonly message: string,
  ) {}
}

export class Diagnostic {
  source?: string;
  code?: string | number | { value: string | number; target: Uri };
  relatedInformation?: DiagnosticRelatedInformation[];
  tags?: number[];
  constructor(
    public range: Range,
    public message: string,
    public severity = 0,
  ) {}
}

export class CompletionItem {
  detail?: string;
  documentation?: string | MarkdownString;
  sortText?: string;
  filterText?: string;
  insertText?: string | SnippetString;
  range?: Range | { inserting: Range; replacing: Range };
  textEdit?: TextEdit;
  additionalTextEdits?: TextEdit[];
  commitCharacters?: string[];
  command?: unknown;
  preselect?: boolean;
  tags?: number[];
  constructor(
    public label: string | { label: string; detail?: string; description?: string },
    public kind?: number,
  ) {}
}

export class CompletionList {
  constructor(
    public items: CompletionItem[] = [],
    public isIncomplete = false,
  ) {}
}

export class SnippetString {
  constructor(public value = '') {}
}

export class TextEdit {
  static replace(range: Range, newText: string): TextEdit {
    return new TextEdit(range, newText);
  }
  static insert(position: Position, newText: string): TextEdit {
    return new TextEdit(new Range(position, position), newText);
  }
  static delete(range: Range): TextEdit {
    return new TextEdit(range, '');
  }
  constructor(
    public range: Range,
    public newText: string,
  ) {}
}

export class WorkspaceEdit {
  private readonly edits = new Map<string, [Uri, TextEdit[]]>();
  get size(): number {
    return this.edits.size;
  }
  replace(uri: Uri, range: Range, newText: string): void {
    this.add(uri, new TextEdit(range, newText));
  }
  insert(uri: Uri, position: Position, newText: string): void {
    this.add(uri, TextEdit.insert(position, newText));
  }
  delete(uri: Uri, range: Range): void {
    this.add(uri, TextEdit.delete(range));
  }
  set(uri: Uri, edits: TextEdit[]): void {
    this.edits.set(uri.toString(), [uri, [...edits]]);
  }
  get(uri: Uri): TextEdit[] {
    return this.edits.get(uri.toString())?.[1] ?? [];
  }
  has(uri: Uri): boolean {
    return this.edits.has(uri.toString());
  }
  entries(): [Uri, TextEdit[]][] {
    return [...this.edits.values()];
  }
  createFile(): void {}
  deleteFile(): void {}
  renameFile(): void {}
  private add(uri: Uri, edit: TextEdit): void {
    const entry = this.edits.get(uri.toString());
    if (entry === undefined) {
      this.edits.set(uri.toString(), [uri, [edit]]);
    } else {
      entry[1].push(edit);
    }
  }
}

export class CodeActionKind {
  static readonly Empty = new CodeActionKind('');
  static readonly QuickFix = new CodeActionKind('quickfix');
  static readonly Refactor = new CodeActionKind('refactor');
  static readonly RefactorExtract = new CodeActionKind('refactor.extract');
  static readonly RefactorInline = new CodeActionKind('refactor.inline');
  static readonly RefactorMove = new CodeActionKind('refactor.move');
  static readonly RefactorRewrite = new CodeActionKind('refactor.rewrite');
  static readonly Source = new CodeActionKind('source');
  static readonly SourceOrganizeImports = new CodeActionKind('source.organizeImports');
  static readonly SourceFixAll = new CodeActionKind('source.fixAll');
  static readonly Notebook = new CodeActionKind('notebook');
  constructor(readonly value: string) {}
  append(part: string): CodeActionKind {
    return new CodeActionKind(this.value === '' ? part : `${this.value}.${part}`);
  }
  intersects(other: CodeActionKind): boolean {
    return this.contains(other) || other.contains(this);
  }
  contains(other: CodeActionKind): boolean {
    return this.value === '' || other.value === this.value || other.value.startsWith(`${this.value}.`);
  }
}

export class CodeAction {
  edit?: WorkspaceEdit;
  diagnostics?: Diagnostic[];
  command?: unknown;
  isPreferred?: boolean;
  disabled?: { reason: string };
  constructor(
    public title: string,
    public kind?: CodeActionKind,
  ) {}
}

export class CodeLens {
  constructor(
    public range: Range,
    public command?: unknown,
  ) {}
  get isResolved(): boolean {
    return this.command !== undefined;
  }
}

export class DocumentLink {
  tooltip?: string;
  constructor(
    public range: Range,
    public target?: Uri,
  ) {}
}

export class InlayHint {
  tooltip?: string | MarkdownString;
  textEdits?: TextEdit[];
  paddingLeft?: boolean;
  paddingRight?: boolean;
  constructor(
    public position: Position,
    public label: string | unknown[],
    public kind?: number,
  ) {}
}

export class SymbolInformation {
  tags?: number[];
  readonly location: Location;
  constructor(
    public name: string,
    public kind: number,
    public containerName: string,
    location: Location,
  ) {
    this.location = location;
  }
}

export class DocumentSymbol {
  children: DocumentSymbol[] = [];
  tags?: number[];
  constructor(
    public name: string,
    public detail: string,
    public kind: number,
    public range: Range,
    public selectionRange: Range,
  ) {}
}

export class DocumentHighlight {
  constructor(
    public range: Range,
    public kind = 0,
  ) {}
}

export class CallHierarchyItem {
  tags?: number[];
  constructor(
    public kind: number,
    public name: string,
    public detail: string,
    public uri: Uri,
    public range: Range,
    public selectionRange: Range,
  ) {}
}

export class TypeHierarchyItem extends CallHierarchyItem {}

export class FoldingRange {
  constructor(
    public start: number,
    public end: number,
    public kind?: number,
  ) {}
}

export class SelectionRange {
  constructor(
    public range: Range,
    public parent?: SelectionRange,
  ) {}
}

export class ParameterInformation {
  constructor(
    public label: string | [number, number],
    public documentation?: string | MarkdownString,
  ) {}
}

export class SignatureInformation {
  parameters: ParameterInformation[] = [];
  activeParameter?: number;
  constructor(
    public label: string,
    public documentation?: string | MarkdownString,
  ) {}
}

export class SignatureHelp {
  signatures: SignatureInformation[] = [];
  activeSignature = 0;
  activeParameter = 0;
}

export class Color {
  constructor(
    readonly red: number,
    readonly green: number,
    readonly blue: number,
    readonly alpha: number,
  ) {}
}

export class ColorInformation {
  constructor(
    public range: Range,
    public color: Color,
  ) {}
}

export class ColorPresentation {
  constructor(public label: string) {}
}

export class SemanticTokens {
  constructor(
    readonly data: Uint32Array,
    readonly resultId?: string,
  ) {}
}

export class SemanticTokensEdit {
  constructor(
    readonly start: number,
    readonly deleteCount: number,
    readonly data?: Uint32Array,
  ) {}
}

export class SemanticTokensEdits {
  constructor(
    readonly edits: SemanticTokensEdit[],
    readonly resultId?: string,
  ) {}
}

export class SemanticTokensLegend {
  constructor(
    readonly tokenTypes: string[],
    readonly tokenModifiers: string[] = [],
  ) {}
}

export class LinkedEditingRanges {
  constructor(
    readonly ranges: Range[],
    readonly wordPattern?: RegExp,
  ) {}
}

export class InlineValueText {
  constructor(
    readonly range: Range,
    readonly text: string,
  ) {}
}

export class InlineValueVariableLookup {
  constructor(
    readonly range: Range,
    readonly variableName?: string,
    readonly caseSensitiveLookup = true,
  ) {}
}

export class InlineValueEvaluatableExpression {
  constructor(
    readonly range: Range,
    readonly expression?: string,
  ) {}
}

export class InlineCompletionItem {
  constructor(
    public insertText: string | SnippetString,
    public range?: Range,
    public command?: unknown,
  ) {}
}

export class InlineCompletionList {
  constructor(public items: InlineCompletionItem[]) {}
}

export class InlayHintLabelPart {
  constructor(public value: string) {}
}

export class CallHierarchyIncomingCall {
  constructor(
    readonly from: CallHierarchyItem,
    readonly fromRanges: Range[],
  ) {}
}

export class CallHierarchyOutgoingCall {
  constructor(
    readonly to: CallHierarchyItem,
    readonly fromRanges: Range[],
  ) {}
}

export class SnippetTextEdit {
  constructor(
    public range: Range,
    public snippet: SnippetString,
  ) {}
}

/** Tab inputs: the client only checks `instanceof` against them. */
export class TabInputText {
  constructor(readonly uri: Uri) {}
}
export class TabInputTextDiff {
  constructor(
    readonly original: Uri,
    readonly modified: Uri,
  ) {}
}
export class TabInputCustom {
  constructor(
    readonly uri: Uri,
    readonly viewType: string,
  ) {}
}
export class TabInputNotebook {
  constructor(
    readonly uri: Uri,
    readonly notebookType: string,
  ) {}
}
