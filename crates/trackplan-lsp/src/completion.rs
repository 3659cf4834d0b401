//! Completion by context: the keys allowed at the cursor (with their documentation), names where a
//! reference stands (events in flow steps, alternatives and identity lists, KPI ids in `kpis:`, goal
//! ids, team ids in `owner:`, dictionary properties in an event's `properties:` and in
//! `super_properties`), the allowed words (`type`, `status`, `event_case`, `id_merge`, severities) and
//! a property's enum values.
//!
//! The context comes from the text around the cursor ([`trackplan_core::ide::completion_context`]),
//! which works while the buffer is not valid YAML; the names come from the newest analysis of the
//! plan together with the last one whose files all parsed.

use crate::world::{Analysis, World};
use std::collections::HashSet;
use std::sync::Arc;
use tower_lsp::lsp_types::{
    CompletionItem, CompletionItemKind, CompletionList, CompletionParams, CompletionResponse,
    CompletionTextEdit, Documentation, InsertTextMode, MarkupContent, MarkupKind, Position, Range,
    TextEdit,
};
use trackplan_core::ide::{self, CompletionContext, Expect};
use trackplan_core::model::{
    Definition, EntityKind, Event, EventPropertyKind, Kpi, Plan, PropertyDef, Value,
};
use trackplan_core::schema::{self, Shape, SymbolKind};
use trackplan_core::syntax::{quote_if_needed, requote};
use trackplan_core::{LineCol, LineIndex};

/// At most this many names are sent; the list is then incomplete and the client asks again as the
/// user types.
const MAX_ITEMS: usize = 200;

pub fn completion(world: &World, params: CompletionParams) -> Option<CompletionResponse> {
    let pos = params.text_document_position;
    let uri = pos.text_document.uri;
    let (text, unit, plan, relative) = {
        let state = world.state();
        let doc = state.docs.get(&uri)?;
        let (plan, relative) = state.locate_uri(&uri)?;
        (doc.text(), state.unit(), plan, relative)
    };
    let lines = LineIndex::new(&text);
    let offset = lines.offset(
        &text,
        LineCol {
            line: pos.position.line,
            col: pos.position.character,
        },
        unit,
    );
    let context = ide::completion_context(&text, offset)?;
    let is_root = relative == trackplan_core::ROOT_FILE_NAME;
    let expect = ide::expect_at(&context.path, is_root, context.slot);
    let range = {
        let start = lines.line_col(&text, context.replace.start, unit);
        let end = lines.line_col(&text, context.replace.end, unit);
        Range::new(
            Position::new(start.line, start.col),
            Position::new(end.line, end.col),
        )
    };
    let models = || models(world, plan);
    let mut items: Vec<CompletionItem> = Vec::new();
    let mut incomplete = false;
    match expect {
        Expect::Key(place) => {
            for (i, doc) in schema::keys(place).iter().enumerate() {
                let given = |key: &str| context.siblings.iter().any(|s| s == key);
                if given(doc.key) || doc.excludes.iter().any(|other| given(other)) {
                    continue;
                }
                let insert = key_insert(doc.key, doc.shape, &context);
                let mut item = item(
                    doc.key,
                    CompletionItemKind::PROPERTY,
                    range,
                    insert,
                    &context,
                );
                item.detail = Some(if doc.required { "required key" } else { "key" }.into());
                item.documentation = Some(markdown(doc.doc));
                item.sort_text = Some(format!("{i:03}"));
                items.push(item);
            }
        }
        Expect::RuleName => {
            for rule in trackplan_core::rules::RULES {
                if context.siblings.iter().any(|s| s == rule.name()) {
                    continue;
                }
                let insert = if context.has_colon || context.in_flow {
                    rule.name().to_string()
                } else {
                    format!("{}: ", rule.name())
                };
                let mut item = item(
                    rule.name(),
                    CompletionItemKind::ENUM_MEMBER,
                    range,
                    insert,
                    &context,
                );
                item.detail = Some(format!("rule, default {}", rule.default_severity()));
                item.documentation = Some(markdown(&rule.doc()));
                items.push(item);
            }
        }
        Expect::Word(words) => {
            for (i, word) in words.iter().enumerate() {
                let mut item = item(
                    word,
                    CompletionItemKind::ENUM_MEMBER,
                    range,
                    word.to_string(),
                    &context,
                );
                item.sort_text = Some(format!("{i:03}"));
                items.push(item);
            }
        }
        Expect::Name(namespace) => {
            let models = models();
            let key_slot = context.slot == ide::Slot::Key;
            let mut seen: HashSet<&str> = context.siblings.iter().map(String::as_str).collect();
            let prefix = context.prefix.to_lowercase();
            // Best matches first, then plan order; clients that do not filter or sort themselves
            // (Neovim 0.11+) show this order as is. Ranking only reads names: the detail and the
            // documentation are made for the items sent.
            let mut candidates = Vec::new();
            for analysis in &models {
                for definition in analysis.plan.definitions(namespace) {
                    let name = definition.name().text.as_str();
                    if !seen.insert(name) {
                        continue;
                    }
                    if let Some(rank) = match_rank(&prefix, name) {
                        candidates.push((rank, candidates.len(), definition));
                    }
                }
            }
            candidates.sort_by_key(|(rank, order, _)| (*rank, *order));
            incomplete = candidates.len() > MAX_ITEMS;
            for (rank, _, definition) in candidates.into_iter().take(MAX_ITEMS) {
                let name = definition.name().text.as_str();
                let quoted = match context.quote {
                    Some(_) => requote(&context_token(&text, &context), name),
                    None => quote_if_needed(name),
                };
                let insert = if key_slot && !context.has_colon && !context.in_flow {
                    format!("{quoted}: ")
                } else {
                    quoted
                };
                let kind = item_kind(namespace.info().symbol);
                let (detail, doc) = detail_and_doc(definition);
                let mut item = item(name, kind, range, insert, &context);
                item.sort_text = Some(format!("{rank}{:05}", items.len()));
                item.detail = detail;
                item.documentation = doc.map(|d| markdown(&d));
                items.push(item);
            }
        }
        Expect::EnumValue { property, event } => {
            let models = models();
            let plan = &models.first()?.plan;
            for value in enum_values(plan, &property, event.as_deref()) {
                let text_value = match &value {
                    Value::Str(s) => quote_if_needed(s),
                    other => other.to_json().to_string(),
                };
                let label = match &value {
                    Value::Str(s) => s.clone(),
                    other => other.to_json().to_string(),
                };
                let mut item = item(
                    &label,
                    CompletionItemKind::ENUM_MEMBER,
                    range,
                    text_value,
                    &context,
                );
                item.sort_text = Some(format!("{:03}", items.len()));
                items.push(item);
            }
        }
        Expect::NewName | Expect::Nothing => return None,
    }
    Some(CompletionResponse::List(CompletionList {
        is_incomplete: incomplete,
        items,
    }))
}

/// The current analysis and the last good one (when different): the names to offer.
fn models(world: &World, plan: usize) -> Vec<Arc<Analysis>> {
    let (current, good) = world.latest(plan);
    let current = current.or_else(|| world.analysis(plan));
    let mut out: Vec<Arc<Analysis>> = current.into_iter().collect();
    if let Some(good) = good {
        if out.first().is_none_or(|c| !Arc::ptr_eq(c, &good)) {
            out.push(good);
        }
    }
    out
}

fn context_token(text: &str, context: &CompletionContext) -> String {
    text.get(context.replace.clone()).unwrap_or("").to_string()
}

/// How well a name matches what was typed (lower is better), or `None` when it does not: 0 the name
/// starts with it, 1 a word of the name does, 2 it stands inside the name, 3 its characters appear
/// in order. Case is ignored.
fn match_rank(prefix: &str, name: &str) -> Option<u8> {
    if prefix.is_empty() {
        return Some(0);
    }
    let starts = |text: &str, with: &str| {
        text.get(..with.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(with) || head.to_lowercase() == with)
    };
    if starts(name, prefix) {
        return Some(0);
    }
    if trackplan_core::case::word_slices(name).any(|word| starts(word, prefix.trim())) {
        return Some(1);
    }
    let lower = name.to_lowercase();
    if lower.contains(prefix) {
        return Some(2);
    }
    let mut chars = lower.chars();
    prefix
        .chars()
        .filter(|c| !c.is_whitespace())
        .all(|p| chars.any(|c| c == p))
        .then_some(3)
}

/// How an editor shows a name of a kind.
fn item_kind(symbol: SymbolKind) -> CompletionItemKind {
    match symbol {
        SymbolKind::Event => CompletionItemKind::EVENT,
        SymbolKind::Property => CompletionItemKind::FIELD,
        SymbolKind::Struct => CompletionItemKind::STRUCT,
        SymbolKind::Function => CompletionItemKind::FUNCTION,
        SymbolKind::Constant | SymbolKind::Object => CompletionItemKind::CONSTANT,
    }
}

/// An item's detail line (what the kind does not already say) and documentation.
fn detail_and_doc(definition: Definition<'_>) -> (Option<String>, Option<String>) {
    let description = definition
        .common()
        .description
        .as_ref()
        .map(|d| d.value.clone());
    let display_name = || definition.entity.display_name().map(|n| n.value.clone());
    match definition.kind {
        // The kind already says "event" or "property": the detail says where it stands.
        EntityKind::Event => (
            definition
                .get::<Event>()
                .and_then(|e| e.status.as_ref())
                .map(|s| s.value.as_str().to_string()),
            description,
        ),
        EntityKind::Property => (
            definition
                .get::<PropertyDef>()
                .and_then(|p| p.ty.as_ref())
                .map(|t| t.value.to_string()),
            description,
        ),
        EntityKind::UserProperty => (Some("user property".into()), description),
        EntityKind::Kpi => (
            display_name(),
            definition
                .get::<Kpi>()
                .and_then(|k| k.definition.as_ref())
                .map(|d| d.value.clone())
                .or(description),
        ),
        EntityKind::Goal | EntityKind::Flow | EntityKind::Team => (display_name(), description),
    }
}

/// The allowed values of a property: the event's own definition, else the dictionary's.
fn enum_values(plan: &Plan, property: &str, event: Option<&str>) -> Vec<Value> {
    if let Some(event) = event.and_then(|e| plan.events().find(|x| x.name.text == e)) {
        if let Some(p) = event.properties.iter().find(|p| p.name.text == property) {
            if let EventPropertyKind::Inline(def) = &p.kind {
                return def
                    .enum_values
                    .iter()
                    .flatten()
                    .map(|v| v.value.clone())
                    .collect();
            }
        }
    }
    plan.properties()
        .chain(plan.user_properties())
        .find(|d| d.name.text == property)
        .and_then(|d| d.enum_values.as_ref())
        .map(|values| values.iter().map(|v| v.value.clone()).collect())
        .unwrap_or_default()
}

/// What to insert for a key: the key alone when a `:` follows already, else the key and what starts
/// its value (a new line indented one level deeper for a mapping).
fn key_insert(key: &str, shape: Shape, context: &CompletionContext) -> String {
    if context.has_colon {
        return key.to_string();
    }
    if context.in_flow {
        return format!("{key}: ");
    }
    match shape {
        Shape::Collection(_)
        | Shape::Object(_)
        | Shape::PropertyEntries
        | Shape::Links
        | Shape::Lint
        | Shape::Alternatives => format!("{key}:\n{}", " ".repeat(context.indent + 2)),
        _ => format!("{key}: "),
    }
}

fn item(
    label: &str,
    kind: CompletionItemKind,
    range: Range,
    insert: String,
    context: &CompletionContext,
) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        filter_text: context.quote.map(|_| insert.clone()),
        text_edit: Some(CompletionTextEdit::Edit(TextEdit {
            range,
            new_text: insert,
        })),
        insert_text_mode: Some(InsertTextMode::AS_IS),
        ..Default::default()
    }
}

fn markdown(text: &str) -> Documentation {
    Documentation::MarkupContent(MarkupContent {
        kind: MarkupKind::Markdown,
        value: text.to_string(),
    })
}
