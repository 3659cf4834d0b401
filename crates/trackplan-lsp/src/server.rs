//! The tower-lsp server: capabilities, document sync, and dispatch to one module per feature.
//!
//! Notifications that change documents apply their change to the state synchronously, before any
//! `.await`, so edits apply in arrival order. Requests run on blocking threads: a panic there answers
//! that request with an error and the server goes on.

use crate::world::World;
use crate::{
    code_action, completion, diagnostics, highlight, hover, lens, links, navigation, ranges,
    rename, symbols,
};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tower_lsp::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp::lsp_types::*;
use tower_lsp::{Client, LanguageServer};
use trackplan_core::ColumnUnit;

pub struct Server {
    pub(crate) client: Client,
    pub(crate) world: Arc<World>,
    /// Publishing is serialized so that an older batch never lands after a newer one.
    pub(crate) publish: Arc<tokio::sync::Mutex<()>>,
    watch_registered: AtomicBool,
    poll_started: AtomicBool,
    /// Set when the client asked to shut down (the exit code after `exit` depends on it).
    pub(crate) shutdown: Arc<AtomicBool>,
    /// Whether the plans of the workspace folders have been read (requests wait for it).
    ready: tokio::sync::watch::Sender<bool>,
    /// A request that panics on purpose (tests of panic recovery set `TRACKPLAN_LSP_TEST_PANIC`).
    panic_on: Option<String>,
}

impl Server {
    pub fn new(client: Client, shutdown: Arc<AtomicBool>) -> Server {
        Server {
            client,
            world: Arc::new(World::default()),
            publish: Arc::new(tokio::sync::Mutex::new(())),
            watch_registered: AtomicBool::new(false),
            poll_started: AtomicBool::new(false),
            shutdown,
            // Only debug builds (the tests) honour it; a release binary never panics on request.
            panic_on: cfg!(debug_assertions)
                .then(|| std::env::var("TRACKPLAN_LSP_TEST_PANIC").ok())
                .flatten(),
            ready: tokio::sync::watch::channel(false).0,
        }
    }

    /// Runs a request's work on a blocking thread; a panic becomes an error answer.
    async fn run<T, F>(&self, what: &'static str, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&World) -> T + Send + 'static,
    {
        self.wait_ready().await;
        let world = self.world.clone();
        let panic_here = self.panic_on.as_deref() == Some(what);
        match tokio::task::spawn_blocking(move || {
            if panic_here {
                panic!("{what}: panic requested by TRACKPLAN_LSP_TEST_PANIC");
            }
            work(&world)
        })
        .await
        {
            Ok(value) => Ok(value),
            Err(error) => {
                let reason = if error.is_panic() {
                    crate::worker::panic_message(error.into_panic())
                } else {
                    "cancelled".to_string()
                };
                tracing::error!("{what} failed: {reason}");
                Err(Error {
                    code: ErrorCode::InternalError,
                    message: format!("trackplan: {what} failed: {reason}").into(),
                    data: None,
                })
            }
        }
    }

    /// Waits until the workspace's plans are read (a request may come before `initialized` is done),
    /// but never long: a client that sends no `initialized` still gets answers.
    async fn wait_ready(&self) {
        let mut ready = self.ready.subscribe();
        let _ = tokio::time::timeout(Duration::from_secs(20), ready.wait_for(|r| *r)).await;
    }

    /// Analyses a plan again and publishes what changed, unless a newer change came first.
    pub(crate) fn schedule_diagnostics(&self, plan: usize) {
        let world = self.world.clone();
        let client = self.client.clone();
        let publish = self.publish.clone();
        let generation = world.state().plans.get(plan).map(|p| p.generation);
        let Some(generation) = generation else {
            return;
        };
        tokio::spawn(async move {
            diagnostics::publish(world, client, publish, plan, generation).await;
        });
    }

    /// After a change the client did not make (files on disk, settings, a document closed): a
    /// client that pulls diagnostics is asked to pull again.
    fn refresh_pulled(&self) {
        diagnostics::refresh_pulled(&self.world, &self.client);
    }

    fn schedule_all(&self) {
        let count = self.world.state().plans.len();
        for plan in 0..count {
            self.schedule_diagnostics(plan);
        }
    }

    /// Re-reads plans from disk after the files changed there.
    fn refresh_plans(&self, plans: &[usize]) {
        let mut state = self.world.state();
        for &plan in plans {
            if plan < state.plans.len() {
                state.refresh_from_disk(plan);
            }
        }
    }

    /// Watches the plan folders by polling, for clients that cannot watch files for us.
    fn start_polling(&self) {
        if self.poll_started.swap(true, Ordering::SeqCst) {
            return;
        }
        let world = self.world.clone();
        let client = self.client.clone();
        let publish = self.publish.clone();
        let interval = std::env::var("TRACKPLAN_LSP_POLL_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1000u64);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(interval)).await;
                let world2 = world.clone();
                let changed = tokio::task::spawn_blocking(move || {
                    let count = world2.state().plans.len();
                    let mut changed = Vec::new();
                    for plan in 0..count {
                        let differs = world2.disk_differs(plan);
                        if differs && world2.state().refresh_from_disk(plan) {
                            changed.push(plan);
                        }
                    }
                    changed
                })
                .await
                .unwrap_or_default();
                if !changed.is_empty() {
                    diagnostics::refresh_pulled(&world, &client);
                }
                for plan in changed {
                    let generation = world.state().plans[plan].generation;
                    diagnostics::publish(
                        world.clone(),
                        client.clone(),
                        publish.clone(),
                        plan,
                        generation,
                    )
                    .await;
                }
            }
        });
    }
}

/// Runs the synchronous part of a notification; a panic there is logged instead of stopping the
/// server (tower-lsp runs notifications inside its serving loop).
fn guard<T>(what: &str, work: impl FnOnce() -> Option<T>) -> Option<T> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)) {
        Ok(value) => value,
        Err(payload) => {
            tracing::error!("{what} failed: {}", crate::worker::panic_message(payload));
            None
        }
    }
}

fn negotiate_encoding(params: &InitializeParams) -> ColumnUnit {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    match offered {
        Some(list) if list.contains(&PositionEncodingKind::UTF8) => ColumnUnit::Utf8,
        _ => ColumnUnit::Utf16,
    }
}

#[tower_lsp::async_trait]
impl LanguageServer for Server {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let unit = negotiate_encoding(&params);
        let can_watch = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        let text_document = params.capabilities.text_document.as_ref();
        let pull = crate::world::Pull {
            pulls: text_document.is_some_and(|t| t.diagnostic.is_some()),
            refresh: params
                .capabilities
                .workspace
                .as_ref()
                .and_then(|w| w.diagnostic.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false),
        };
        {
            let mut state = self.world.state();
            state.unit = Some(unit);
            state.pull = pull;
            if let Some(options) = &params.initialization_options {
                state.config.update(options);
            }
            let mut folders: Vec<std::path::PathBuf> = params
                .workspace_folders
                .iter()
                .flatten()
                .filter_map(|f| f.uri.to_file_path().ok())
                .collect();
            #[allow(deprecated)]
            if folders.is_empty() {
                if let Some(path) = params.root_uri.as_ref().and_then(|u| u.to_file_path().ok()) {
                    folders.push(path);
                }
            }
            state.folders = folders;
        }
        self.watch_registered.store(can_watch, Ordering::SeqCst);
        let encoding = match unit {
            ColumnUnit::Utf8 => PositionEncodingKind::UTF8,
            _ => PositionEncodingKind::UTF16,
        };
        Ok(InitializeResult {
            server_info: Some(ServerInfo {
                name: "trackplan".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            capabilities: ServerCapabilities {
                position_encoding: Some(encoding),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                        ..Default::default()
                    },
                )),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(
                        [":", " ", "[", ",", "-", "\"", "'"]
                            .iter()
                            .map(|s| s.to_string())
                            .collect(),
                    ),
                    resolve_provider: Some(false),
                    ..Default::default()
                }),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                definition_provider: Some(OneOf::Left(true)),
                references_provider: Some(OneOf::Left(true)),
                document_highlight_provider: Some(OneOf::Left(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                rename_provider: Some(OneOf::Right(RenameOptions {
                    prepare_provider: Some(true),
                    work_done_progress_options: Default::default(),
                })),
                code_action_provider: Some(CodeActionProviderCapability::Options(
                    CodeActionOptions {
                        code_action_kinds: Some(vec![
                            CodeActionKind::QUICKFIX,
                            CodeActionKind::REFACTOR_REWRITE,
                        ]),
                        ..Default::default()
                    },
                )),
                code_lens_provider: Some(CodeLensOptions {
                    resolve_provider: Some(false),
                }),
                document_link_provider: Some(DocumentLinkOptions {
                    resolve_provider: Some(false),
                    work_done_progress_options: Default::default(),
                }),
                folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
                selection_range_provider: Some(SelectionRangeProviderCapability::Simple(true)),
                diagnostic_provider: Some(DiagnosticServerCapabilities::Options(
                    DiagnosticOptions {
                        identifier: Some("trackplan".into()),
                        // An edit in one file changes what other files show (unknown references).
                        inter_file_dependencies: true,
                        workspace_diagnostics: true,
                        work_done_progress_options: Default::default(),
                    },
                )),
                workspace: Some(WorkspaceServerCapabilities {
                    workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                        supported: Some(true),
                        change_notifications: Some(OneOf::Left(true)),
                    }),
                    file_operations: None,
                }),
                ..Default::default()
            },
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let world = self.world.clone();
        let _ = tokio::task::spawn_blocking(move || {
            let folders = world.state().folders.clone();
            for folder in folders {
                for root in crate::discover::plans_in_folder(&folder) {
                    world.state().add_plan(root);
                }
            }
        })
        .await;
        self.ready.send_replace(true);
        tracing::info!(
            "trackplan language server ready: {} plan(s)",
            self.world.state().plans.len()
        );
        if self.watch_registered.load(Ordering::SeqCst) {
            let options = DidChangeWatchedFilesRegistrationOptions {
                watchers: ["**/*.yaml", "**/*.yml"]
                    .iter()
                    .map(|glob| FileSystemWatcher {
                        glob_pattern: GlobPattern::String(glob.to_string()),
                        kind: None,
                    })
                    .collect(),
            };
            let registration = Registration {
                id: "trackplan-watch".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: serde_json::to_value(options).ok(),
            };
            if let Err(error) = self.client.register_capability(vec![registration]).await {
                tracing::warn!("the client refused to watch files ({error}); polling instead");
                self.start_polling();
            }
        } else {
            self.start_polling();
        }
        self.schedule_all();
    }

    async fn shutdown(&self) -> Result<()> {
        self.shutdown.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        let plan = guard("didOpen", || {
            let mut state = self.world.state();
            state.docs.insert(
                doc.uri.clone(),
                crate::document::Document::new(&doc.text, doc.version),
            );
            match state.plan_for_opened(&doc.uri) {
                Some((plan, relative)) => {
                    state.set_open_text(plan, &relative, &doc.uri, doc.text.into(), doc.version);
                    Some(plan)
                }
                None => None,
            }
        });
        if let Some(plan) = plan {
            self.schedule_diagnostics(plan);
        }
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        tracing::trace!("didChange {uri} version {}", params.text_document.version);
        let plan = guard("didChange", || {
            let mut state = self.world.state();
            let unit = state.unit();
            let Some(doc) = state.docs.get_mut(&uri) else {
                tracing::warn!("change to a document that is not open: {uri}");
                return None;
            };
            doc.apply(&params.content_changes, unit);
            doc.version = params.text_document.version;
            let text: Arc<str> = doc.text().into();
            let version = doc.version;
            match state.locate_uri(&uri) {
                Some((plan, relative)) => {
                    state.set_open_text(plan, &relative, &uri, text, version);
                    Some(plan)
                }
                None => None,
            }
        });
        if let Some(plan) = plan {
            self.schedule_diagnostics(plan);
        }
    }

    async fn did_save(&self, _: DidSaveTextDocumentParams) {}

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let plan = guard("didClose", || {
            let mut state = self.world.state();
            state.docs.remove(&uri);
            match state.locate_uri(&uri) {
                Some((plan, relative)) => {
                    state.close(plan, &relative);
                    Some(plan)
                }
                None => None,
            }
        });
        if let Some(plan) = plan {
            self.schedule_diagnostics(plan);
            // The file is the disk's again: what other clients' pulls showed may differ.
            self.refresh_pulled();
        }
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let mut plans = Vec::new();
        {
            let mut state = self.world.state();
            for change in &params.changes {
                let Some(path) = crate::world::path_of(&change.uri) else {
                    continue;
                };
                let is_root = path
                    .file_name()
                    .is_some_and(|n| n == trackplan_core::ROOT_FILE_NAME);
                if is_root && change.typ != FileChangeType::DELETED {
                    if let Some(dir) = path.parent() {
                        let root = crate::discover::normalize(dir);
                        let inside_folder = state.folders.is_empty()
                            || state.folders.iter().any(|f| root.starts_with(f));
                        if inside_folder {
                            plans.push(state.add_plan(root));
                        }
                    }
                }
                for (i, plan) in state.plans.iter().enumerate() {
                    if path.starts_with(&plan.root) {
                        plans.push(i);
                    }
                }
            }
        }
        plans.sort();
        plans.dedup();
        self.refresh_plans(&plans);
        if !plans.is_empty() {
            self.refresh_pulled();
        }
        for plan in plans {
            self.schedule_diagnostics(plan);
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        self.world.state().config.update(&params.settings);
        let mut state = self.world.state();
        for plan in &mut state.plans {
            // Links in diagnostics may change: publish everything again.
            plan.published.clear();
            plan.generation += 1;
        }
        drop(state);
        self.schedule_all();
        self.refresh_pulled();
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        let paths = |folders: &[WorkspaceFolder]| -> Vec<std::path::PathBuf> {
            folders
                .iter()
                .filter_map(|f| f.uri.to_file_path().ok())
                .map(|p| crate::discover::normalize(&p))
                .collect()
        };
        let added = paths(&params.event.added);
        let removed = paths(&params.event.removed);
        let world = self.world.clone();
        let _ = tokio::task::spawn_blocking(move || {
            let mut state = world.state();
            state
                .folders
                .retain(|f| !removed.contains(&crate::discover::normalize(f)));
            let forget: Vec<usize> = state
                .plans
                .iter()
                .enumerate()
                .filter(|(_, p)| {
                    removed.iter().any(|r| p.root.starts_with(r))
                        && !state
                            .folders
                            .iter()
                            .any(|f| p.root.starts_with(crate::discover::normalize(f)))
                })
                .map(|(i, _)| i)
                .collect();
            for plan in forget {
                state.forget_plan(plan);
            }
            drop(state);
            for folder in added {
                world.state().folders.push(folder.clone());
                for root in crate::discover::plans_in_folder(&folder) {
                    world.state().add_plan(root);
                }
            }
        })
        .await;
        self.schedule_all();
        self.refresh_pulled();
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        self.run("completion", move |world| {
            completion::completion(world, params)
        })
        .await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        self.run("hover", move |world| hover::hover(world, params))
            .await
    }

    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        self.run("document highlight", move |world| {
            highlight::highlight(world, params)
        })
        .await
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        self.run("go to definition", move |world| {
            navigation::definition(world, params)
        })
        .await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        self.run("references", move |world| {
            navigation::references(world, params)
        })
        .await
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        self.run("prepare rename", move |world| {
            rename::prepare(world, params)
        })
        .await?
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        self.run("rename", move |world| rename::rename(world, params))
            .await?
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        self.run("document symbols", move |world| {
            symbols::document_symbols(world, params)
        })
        .await
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<Vec<SymbolInformation>>> {
        self.run("workspace symbols", move |world| {
            symbols::workspace_symbols(world, params)
        })
        .await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        self.run("code actions", move |world| {
            code_action::code_actions(world, params)
        })
        .await
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        self.run("code lens", move |world| lens::code_lenses(world, params))
            .await
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        self.run("document links", move |world| {
            links::document_links(world, params)
        })
        .await
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        self.run("folding ranges", move |world| {
            ranges::folding_ranges(world, params)
        })
        .await
    }

    async fn selection_range(
        &self,
        params: SelectionRangeParams,
    ) -> Result<Option<Vec<SelectionRange>>> {
        self.run("selection ranges", move |world| {
            ranges::selection_ranges(world, params)
        })
        .await
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        self.run("document diagnostics", move |world| {
            diagnostics::document(world, params)
        })
        .await
    }

    async fn workspace_diagnostic(
        &self,
        params: WorkspaceDiagnosticParams,
    ) -> Result<WorkspaceDiagnosticReportResult> {
        self.run("workspace diagnostics", move |world| {
            diagnostics::workspace(world, params)
        })
        .await
    }
}

/// Whether the shutdown request came before `exit` (the exit code says so).
pub fn clean_exit(flag: &AtomicBool) -> bool {
    flag.load(Ordering::SeqCst)
}
