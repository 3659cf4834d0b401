//! Diagnostics: exactly those of `trackplan check`, for every file of a plan, open or not.
//!
//! After each change the plan is analysed again and every file whose diagnostics changed (or whose
//! document version changed) is published with its version; files that left the plan are cleared.
//! A batch made for an older generation of the plan is dropped.
//!
//! A client that pulls diagnostics (`textDocument/diagnostic`, `workspace/diagnostic`) gets the same
//! lists when it asks and nothing pushed; when what a file shows changes, or files change on disk or
//! the settings change, it is asked to pull again (`workspace/diagnostic/refresh`).

use crate::convert;
use crate::world::{Analysis, World};
use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use tower_lsp::lsp_types::{
    CodeDescription, Diagnostic as LspDiagnostic, DiagnosticRelatedInformation, DiagnosticSeverity,
    DocumentDiagnosticParams, DocumentDiagnosticReport, DocumentDiagnosticReportResult,
    FullDocumentDiagnosticReport, NumberOrString, RelatedFullDocumentDiagnosticReport,
    RelatedUnchangedDocumentDiagnosticReport, UnchangedDocumentDiagnosticReport, Url,
    WorkspaceDiagnosticParams, WorkspaceDiagnosticReport, WorkspaceDiagnosticReportResult,
    WorkspaceDocumentDiagnosticReport, WorkspaceFullDocumentDiagnosticReport,
    WorkspaceUnchangedDocumentDiagnosticReport,
};
use tower_lsp::Client;
use trackplan_core::{ColumnUnit, Diagnostic, Severity};

use crate::world::Config;

/// One file's diagnostics to publish.
pub struct Batch {
    pub uri: Url,
    pub version: Option<i32>,
    pub diagnostics: Vec<LspDiagnostic>,
    pub hash: u64,
}

/// Converts one of the core's diagnostics.
pub fn to_lsp(
    analysis: &Analysis,
    d: &Diagnostic,
    unit: ColumnUnit,
    config: &Config,
) -> Option<LspDiagnostic> {
    let file = analysis.plan.file(d.span.file)?;
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .related
        .iter()
        .filter_map(|r| {
            Some(DiagnosticRelatedInformation {
                location: convert::location(analysis, r.span, unit)?,
                message: r.message.clone(),
            })
        })
        .collect();
    Some(LspDiagnostic {
        range: convert::range(&file.source, d.span, unit),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(d.rule.to_string())),
        code_description: config
            .rule_url(d.rule.as_str())
            .map(|href| CodeDescription { href }),
        source: Some("trackplan".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    })
}

/// The diagnostics of every file of an analysed plan, converted (a file without any has an empty
/// list): what is pushed and what is pulled.
fn per_file(
    analysis: &Analysis,
    unit: ColumnUnit,
    config: &Config,
) -> HashMap<trackplan_core::FileId, Vec<LspDiagnostic>> {
    let mut per_file: HashMap<trackplan_core::FileId, Vec<LspDiagnostic>> = HashMap::new();
    for file in &analysis.plan.files {
        per_file.insert(file.id(), Vec::new());
    }
    for d in analysis.diagnostics() {
        if let Some(lsp) = to_lsp(analysis, d, unit, config) {
            per_file.entry(d.span.file).or_default().push(lsp);
        }
    }
    per_file
}

/// The diagnostics of every file of an analysed plan, with what was published before: the files
/// to publish now.
fn batches(world: &World, analysis: &Analysis) -> Vec<Batch> {
    let (unit, config, published) = {
        let state = world.state();
        let Some(plan) = state.plans.get(analysis.plan_index) else {
            return Vec::new();
        };
        (state.unit(), state.config.clone(), plan.published.clone())
    };
    let mut per_file = per_file(analysis, unit, &config);
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for file in &analysis.plan.files {
        let Some(uri) = analysis.uri(file.id()) else {
            continue;
        };
        let diagnostics = per_file.remove(&file.id()).unwrap_or_default();
        let hash = hash_of(&diagnostics);
        let version = analysis.version(file.id());
        seen.insert(uri.clone());
        if published.get(uri) == Some(&(version, hash)) {
            continue;
        }
        out.push(Batch {
            uri: uri.clone(),
            version,
            diagnostics,
            hash,
        });
    }
    // Files that left the plan: clear what they showed.
    for uri in published.keys() {
        if !seen.contains(uri) {
            out.push(Batch {
                uri: uri.clone(),
                version: None,
                diagnostics: Vec::new(),
                hash: 0,
            });
        }
    }
    out
}

fn hash_of(diagnostics: &[LspDiagnostic]) -> u64 {
    let mut hasher = DefaultHasher::new();
    serde_json::to_string(diagnostics)
        .unwrap_or_default()
        .hash(&mut hasher);
    hasher.finish()
}

/// Analyses a plan at `generation` and publishes its diagnostics, unless a newer change came.
pub async fn publish(
    world: Arc<World>,
    client: Client,
    lock: Arc<tokio::sync::Mutex<()>>,
    plan: usize,
    generation: u64,
) {
    let current = move |world: &World| world.state().plans.get(plan).map(|p| p.generation);
    if current(&world) != Some(generation) {
        return;
    }
    let worker = world.clone();
    let made = crate::worker::run(move || {
        if current(&worker) != Some(generation) {
            return None;
        }
        let analysis = worker.analysis(plan)?;
        if analysis.generation != generation {
            return None;
        }
        Some((batches(&worker, &analysis), analysis))
    })
    .await;
    let (batches, analysis) = match made {
        Ok(Some(made)) => made,
        Ok(None) => return,
        Err(error) => {
            tracing::error!("analysing the plan failed: {error}");
            return;
        }
    };
    tracing::debug!(
        "generation {generation}: {} file(s) to publish",
        batches.len()
    );
    let _publishing = lock.lock().await;
    if current(&world) != Some(generation) {
        return;
    }
    if world.state().pull.pulls {
        // A client that pulls asks for these itself (the analysis is made, so its pull is quick).
        // It pulls the document it edits, but not the other files: when what any file shows has
        // changed (an edit here breaking a reference there), it is asked to pull again now rather
        // than at its next periodic pull.
        let mut changed = false;
        for batch in batches {
            changed |= record(&world, plan, batch.uri, batch.version, batch.hash) != Some(true);
        }
        if changed {
            refresh_pulled(&world, &client);
        }
    } else {
        for batch in batches {
            let Batch {
                uri,
                version,
                diagnostics,
                hash,
            } = batch;
            client
                .publish_diagnostics(uri.clone(), diagnostics, version)
                .await;
            tracing::trace!("published {uri} version {version:?}");
            record(&world, plan, uri, version, hash);
        }
    }
    drop(_publishing);
    // Index the names once the user pauses, so that the next hover or go-to-definition finds them
    // ready; while they type, each keystroke only re-checks (the index is made when first needed).
    tokio::time::sleep(SYMBOLS_AFTER_PAUSE).await;
    if current(&world) != Some(generation) {
        return;
    }
    let _ = crate::worker::run(move || {
        if current(&world) == Some(generation) {
            analysis.symbols();
        }
    })
    .await;
}

/// Remembers what the client was shown (or will be, when it pulls) of a file. Returns whether it
/// showed the same list before (`None` for a file it had no list for).
fn record(world: &World, plan: usize, uri: Url, version: Option<i32>, hash: u64) -> Option<bool> {
    let mut state = world.state();
    let plan = state.plans.get_mut(plan)?;
    let before = plan.published.get(&uri).map(|&(_, before)| before == hash);
    if hash == 0 && version.is_none() && !plan.uris().any(|u| *u == uri) {
        plan.published.remove(&uri);
    } else {
        plan.published.insert(uri, (version, hash));
    }
    before
}

/// Asks a client that pulls diagnostics (and can be asked) to pull them again.
pub fn refresh_pulled(world: &World, client: &Client) {
    if world.state().pull.refresh {
        let client = client.clone();
        tokio::spawn(async move {
            if let Err(error) = client.workspace_diagnostic_refresh().await {
                tracing::debug!("workspace/diagnostic/refresh: {error}");
            }
        });
    }
}

/// How long the text must stay unchanged before the names are indexed ahead of requests.
const SYMBOLS_AFTER_PAUSE: std::time::Duration = std::time::Duration::from_millis(300);

// ---------------------------------------------------------------------------------------------
// Pull diagnostics: the same lists, asked for by the client.

/// The result id of a file's diagnostics: their hash, so that an unchanged list is answered as such.
fn result_id(diagnostics: &[LspDiagnostic]) -> String {
    format!("{:016x}", hash_of(diagnostics))
}

/// `textDocument/diagnostic`: the document's diagnostics for its current text (a document outside
/// every plan has none).
pub fn document(world: &World, params: DocumentDiagnosticParams) -> DocumentDiagnosticReportResult {
    let (unit, config) = {
        let state = world.state();
        (state.unit(), state.config.clone())
    };
    let items = match world.analysis_for(&params.text_document.uri) {
        Some((analysis, id)) => per_file(&analysis, unit, &config)
            .remove(&id)
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let id = result_id(&items);
    let report = if params.previous_result_id.as_deref() == Some(id.as_str()) {
        DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
            related_documents: None,
            unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                result_id: id,
            },
        })
    } else {
        DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport {
                result_id: Some(id),
                items,
            },
        })
    };
    DocumentDiagnosticReportResult::Report(report)
}

/// `workspace/diagnostic`: every file of every plan, each with its version when it is open.
pub fn workspace(
    world: &World,
    params: WorkspaceDiagnosticParams,
) -> WorkspaceDiagnosticReportResult {
    let (unit, config, plans) = {
        let state = world.state();
        (state.unit(), state.config.clone(), state.plans.len())
    };
    let previous: HashMap<&Url, &str> = params
        .previous_result_ids
        .iter()
        .map(|p| (&p.uri, p.value.as_str()))
        .collect();
    let mut items = Vec::new();
    for plan in 0..plans {
        let Some(analysis) = world.analysis(plan) else {
            continue;
        };
        let mut per_file = per_file(&analysis, unit, &config);
        for file in &analysis.plan.files {
            let Some(uri) = analysis.uri(file.id()) else {
                continue;
            };
            let diagnostics = per_file.remove(&file.id()).unwrap_or_default();
            let id = result_id(&diagnostics);
            let version = analysis.version(file.id()).map(i64::from);
            items.push(if previous.get(uri) == Some(&id.as_str()) {
                WorkspaceDocumentDiagnosticReport::Unchanged(
                    WorkspaceUnchangedDocumentDiagnosticReport {
                        uri: uri.clone(),
                        version,
                        unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport {
                            result_id: id,
                        },
                    },
                )
            } else {
                WorkspaceDocumentDiagnosticReport::Full(WorkspaceFullDocumentDiagnosticReport {
                    uri: uri.clone(),
                    version,
                    full_document_diagnostic_report: FullDocumentDiagnosticReport {
                        result_id: Some(id),
                        items: diagnostics,
                    },
                })
            });
        }
    }
    WorkspaceDiagnosticReportResult::Report(WorkspaceDiagnosticReport { items })
}
