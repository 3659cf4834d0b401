//! Spreadsheets, as CSV: the layouts teams keep plans in, recognised by their header row.
//!
//! - Mixpanel's tracking-plan template: `Event Name, Event Definition, Platform, Property Name,
//!   Property Definition, Data Type, Sample Values` (with `Owner`, `Status`, `KPIs`, `Flows`,
//!   `PII`, `Required`, `Tags`, `Notes` columns too: the layout `trackplan export --format csv`
//!   writes); a sheet of super or profile properties is the same without the event columns;
//! - Avo's: `Event Name, Event Description, Event Category, Sources, Property Name, Property
//!   Description, Property Value Type, Is Property Required?, Is Property Array?, Property
//!   Enumeration Options`;
//! - Amplitude's taxonomy template: `Event Name, Trigger + Event Description, Event Category,
//!   Platform, Property Name, Property Description, Property Type, Sample Values` (and `Action`);
//! - Mixpanel's Lexicon export: `Entity Type, Entity Name, ..., Property Sensitive`.
//!
//! An event row may be followed by its property rows (their event cells empty), or each row may
//! repeat the event. A column the importer does not know makes the file fail, naming the columns
//! it understood.

use crate::input::Input;
use crate::plan::PlanBuilder;
use crate::report::Report;
use crate::schema::set;
use serde_yaml::{Mapping, Value};
use trackplan_core::schema::{Destination, Word};

mod placement;
use placement::place_properties;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    EntityType,
    EventName,
    EventDisplayName,
    EventDescription,
    EventCategory,
    Platform,
    /// The tools the plan's events are sent to (the root file's `destinations`).
    Destinations,
    EventTags,
    EventHidden,
    EventDropped,
    Owner,
    Status,
    Kpis,
    Flows,
    Action,
    PropertyName,
    PropertyDisplayName,
    PropertyDescription,
    PropertyType,
    IsArray,
    Required,
    Examples,
    Enum,
    Pattern,
    Pii,
    PropertyHidden,
    PropertyDropped,
    Notes,
    /// Usage figures (event volume): facts about the data, not the plan.
    Statistics,
}

/// Header words (lower case, spaces collapsed) and what they hold.
const HEADERS: &[(&str, Column)] = &[
    ("entity type", Column::EntityType),
    // The layout `trackplan export --format csv` writes: `event`, `event property`,
    // `super property` or `user property` on each row.
    ("entity", Column::EntityType),
    ("event name", Column::EventName),
    ("entity name", Column::EventName),
    ("event", Column::EventName),
    ("entity display name", Column::EventDisplayName),
    ("event display name", Column::EventDisplayName),
    ("event definition", Column::EventDescription),
    ("event description", Column::EventDescription),
    ("trigger + event description", Column::EventDescription),
    ("entity description", Column::EventDescription),
    ("event category", Column::EventCategory),
    ("category", Column::EventCategory),
    ("platform", Column::Platform),
    ("platforms", Column::Platform),
    ("sources", Column::Platform),
    ("destinations", Column::Destinations),
    ("destination", Column::Destinations),
    ("event tags", Column::EventTags),
    ("tags", Column::EventTags),
    ("event hidden", Column::EventHidden),
    ("event dropped", Column::EventDropped),
    ("owner", Column::Owner),
    ("event owner", Column::Owner),
    ("status", Column::Status),
    ("kpis", Column::Kpis),
    ("kpi", Column::Kpis),
    ("related kpi", Column::Kpis),
    ("flows", Column::Flows),
    ("action", Column::Action),
    ("property name", Column::PropertyName),
    ("property display name", Column::PropertyDisplayName),
    ("property definition", Column::PropertyDescription),
    ("property description", Column::PropertyDescription),
    ("data type", Column::PropertyType),
    ("property type", Column::PropertyType),
    ("property value type", Column::PropertyType),
    ("is property array?", Column::IsArray),
    ("is property required?", Column::Required),
    ("property required", Column::Required),
    ("required", Column::Required),
    ("sample values", Column::Examples),
    ("property example values", Column::Examples),
    ("property enumeration options", Column::Enum),
    ("enum", Column::Enum),
    ("property regex", Column::Pattern),
    ("regex", Column::Pattern),
    ("pii", Column::Pii),
    ("property sensitive", Column::Pii),
    ("property hidden", Column::PropertyHidden),
    ("property dropped", Column::PropertyDropped),
    ("notes", Column::Notes),
    ("event volume", Column::Statistics),
    ("event query volume", Column::Statistics),
    ("property volume", Column::Statistics),
    ("property query volume", Column::Statistics),
];

/// Which layout a header row is, for the destination and the report.
fn layout(columns: &[Column], headers: &[String]) -> (&'static str, Option<&'static str>) {
    let has = |h: &str| headers.iter().any(|x| x == h);
    if columns.contains(&Column::EntityType) {
        ("Mixpanel Lexicon export", Some("mixpanel"))
    } else if has("trigger + event description") {
        ("Amplitude taxonomy template", Some("amplitude"))
    } else if has("property value type") || has("is property array?") {
        ("Avo spreadsheet", Some("generic"))
    } else {
        ("Mixpanel tracking-plan template", Some("mixpanel"))
    }
}

fn normalize(header: &str) -> String {
    header
        .trim_start_matches('\u{feff}')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A row's cells by column.
struct Row<'r> {
    cells: Vec<(Column, &'r str)>,
}

impl Row<'_> {
    fn get(&self, column: Column) -> &str {
        self.cells
            .iter()
            .find(|(c, v)| *c == column && !v.trim().is_empty())
            .map_or("", |(_, v)| v.trim())
    }
}

/// One property as the sheet defines it, before it is placed in the dictionary or an event.
struct Occurrence {
    event: Option<String>,
    name: String,
    definition: Mapping,
    required: bool,
    user: bool,
}

pub(crate) fn import(inputs: &[Input], report: &mut Report) -> Option<PlanBuilder> {
    let mut plan: Option<PlanBuilder> = None;
    let mut occurrences = Vec::new();
    let mut destinations: Vec<&'static str> = Vec::new();
    for input in inputs {
        match read_sheet(input, report) {
            Ok(mut sheet) => {
                let plan = plan.get_or_insert_with(|| PlanBuilder::new(sheet.destination));
                for (group, name, event) in sheet.events {
                    let at = format!("{} › event {name}", input.path);
                    plan.add_event(group.as_deref(), &name, event, report, &at);
                }
                for owner in sheet.owners {
                    let mut team = Mapping::new();
                    set(&mut team, "name", owner.as_str());
                    plan.teams
                        .insert(crate::plan::slug(&owner).into(), Value::Mapping(team));
                }
                for kpi in sheet.kpis {
                    let mut entry = Mapping::new();
                    set(&mut entry, "name", kpi.as_str());
                    plan.kpis
                        .insert(crate::plan::slug(&kpi).into(), Value::Mapping(entry));
                }
                for (flow, steps) in sheet.flows {
                    let mut entry = Mapping::new();
                    set(&mut entry, "name", flow.as_str());
                    set(
                        &mut entry,
                        "steps",
                        Value::Sequence(steps.into_iter().map(Value::String).collect()),
                    );
                    plan.flows
                        .insert(crate::plan::slug(&flow).into(), Value::Mapping(entry));
                }
                occurrences.append(&mut sheet.occurrences);
                for destination in sheet.destinations {
                    if !destinations.contains(&destination) {
                        destinations.push(destination);
                    }
                }
            }
            Err(error) => report.skip(&input.path, error),
        }
    }
    let mut plan = plan?;
    // A `Destinations` column says where the events go, whatever the layout's usual tool is.
    if !destinations.is_empty() {
        plan.destinations = destinations.into_iter().map(str::to_string).collect();
    }
    place_properties(&mut plan, occurrences, report);
    Some(plan)
}

type SheetEvents = Vec<(Option<String>, String, Mapping)>;

struct Sheet {
    destination: Option<&'static str>,
    /// The tools the `Destinations` column names, in the order first named.
    destinations: Vec<&'static str>,
    events: SheetEvents,
    occurrences: Vec<Occurrence>,
    /// The owners named, as written (each becomes a team).
    owners: Vec<String>,
    /// The KPIs named, as written (each becomes a KPI).
    kpis: Vec<String>,
    /// The flows named, as written, with their events in the sheet's order (its steps).
    flows: Vec<(String, Vec<String>)>,
}

fn read_sheet(input: &Input, report: &mut Report) -> Result<Sheet, String> {
    let text = input.text()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| csv_error(&input.path, &e))?
        .iter()
        .map(normalize)
        .collect();
    let mut columns = Vec::new();
    for (index, header) in headers.iter().enumerate() {
        match HEADERS.iter().find(|(h, _)| h == header) {
            Some((_, column)) => columns.push(*column),
            None if header.is_empty() => columns.push(Column::Notes),
            None => {
                let understood: Vec<&str> = headers
                    .iter()
                    .filter(|h| HEADERS.iter().any(|(k, _)| k == *h))
                    .map(String::as_str)
                    .collect();
                return Err(format!(
                    "{}:1: column {} `{header}` is not one the csv importer knows; it understood {} (see `trackplan import --help` for the layouts)",
                    input.path,
                    index + 1,
                    if understood.is_empty() {
                        "none of them".to_string()
                    } else {
                        understood.iter().map(|h| format!("`{h}`")).collect::<Vec<_>>().join(", ")
                    }
                ));
            }
        }
    }
    let (layout_name, destination) = layout(&columns, &headers);
    let has_events = columns.contains(&Column::EventName);
    let lower_path = input.path.to_lowercase();
    let sheet_of_users = lower_path.contains("profile") || lower_path.contains("user");
    if !has_events && !columns.contains(&Column::PropertyName) {
        return Err(format!(
            "{}:1: no `Event Name` and no `Property Name` column: not a tracking-plan sheet",
            input.path
        ));
    }
    if columns.contains(&Column::Statistics) {
        report.kept(
            "usage figures (volume columns) are facts about the data, not the plan: not imported",
            format!("{} ({layout_name})", input.path),
        );
    }
    let mut events: SheetEvents = Vec::new();
    let mut occurrences = Vec::new();
    let mut owners: Vec<String> = Vec::new();
    let mut kpis: Vec<String> = Vec::new();
    let mut flows: Vec<(String, Vec<String>)> = Vec::new();
    let mut destinations: Vec<&'static str> = Vec::new();
    let mut current: Option<String> = None;
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(&input.path, &e))?;
        let line = record.position().map_or(0, |p| p.line());
        let row = Row {
            cells: columns.iter().copied().zip(record.iter()).collect(),
        };
        let at = format!("{}:{line}", input.path);
        let entity = row.get(Column::EntityType).to_lowercase();
        let user_entity = entity.contains("user") || entity.contains("profile");
        let super_entity = entity.contains("super");
        if !entity.is_empty() && !user_entity && !super_entity && !entity.contains("event") {
            report.loss(format!("Lexicon entity of type `{entity}`"), at);
            continue;
        }
        let event_name = row.get(Column::EventName);
        if !event_name.is_empty() && !user_entity {
            if !events.iter().any(|(_, n, _)| n == event_name) {
                let group = Some(row.get(Column::EventCategory))
                    .filter(|c| !c.is_empty())
                    .map(str::to_string);
                events.push((group, event_name.to_string(), event_of(&row, report, &at)));
                for kpi in split_list(row.get(Column::Kpis)) {
                    if !kpis.iter().any(|k| k == kpi) {
                        kpis.push(kpi.to_string());
                    }
                }
                for flow in split_list(row.get(Column::Flows)) {
                    match flows.iter_mut().find(|(f, _)| f == flow) {
                        Some((_, steps)) => steps.push(event_name.to_string()),
                        None => flows.push((flow.to_string(), vec![event_name.to_string()])),
                    }
                }
                let owner = row.get(Column::Owner);
                if !owner.is_empty() && !owners.iter().any(|o| o == owner) {
                    owners.push(owner.to_string());
                }
                destinations_of(&row, &mut destinations, report, &at);
            }
            current = Some(event_name.to_string());
        } else if !event_name.is_empty() || (has_events && row.get(Column::PropertyName).is_empty())
        {
            current = None;
        }
        let property = row.get(Column::PropertyName);
        if property.is_empty() {
            continue;
        }
        let user = user_entity || (!has_events && sheet_of_users);
        let event = if user || super_entity || !has_events {
            None
        } else {
            current.clone()
        };
        if has_events && event.is_none() && !user && !super_entity {
            report.loss("property row before any event row", at);
            continue;
        }
        let mut definition = definition_of(&row, report, &at);
        // On a row of its own (the layout with an entity column), the owner is the property's.
        let owner = row.get(Column::Owner);
        if entity.contains("property") && !owner.is_empty() {
            set(&mut definition, "owner", crate::plan::slug(owner));
            if !owners.iter().any(|o| o == owner) {
                owners.push(owner.to_string());
            }
        }
        occurrences.push(Occurrence {
            event,
            name: property.to_string(),
            definition,
            required: yes(row.get(Column::Required)),
            user,
        });
    }
    Ok(Sheet {
        destination,
        destinations,
        events,
        occurrences,
        owners,
        kpis,
        flows,
    })
}

fn csv_error(path: &str, error: &::csv::Error) -> String {
    let line = error
        .position()
        .map_or(String::new(), |p| format!(":{}", p.line()));
    let what = match error.kind() {
        ::csv::ErrorKind::UnequalLengths { expected_len, len, .. } => format!(
            "a row with {len} cells where the header has {expected_len} (a ragged row: check for a missing or extra comma, or an unclosed quote)"
        ),
        ::csv::ErrorKind::Utf8 { .. } => "the file is not UTF-8; save it as UTF-8 and import again".to_string(),
        _ => error.to_string(),
    };
    format!("{path}{line}: {what}")
}

fn yes(cell: &str) -> bool {
    matches!(
        cell.trim().to_lowercase().as_str(),
        "yes" | "y" | "true" | "1" | "required" | "x" | "✓"
    )
}

/// The tools an event row's `Destinations` cell names, added to those named before; the plan
/// holds one list for all its events, so a row naming others is reported.
fn destinations_of(
    row: &Row<'_>,
    destinations: &mut Vec<&'static str>,
    report: &mut Report,
    at: &str,
) {
    let named = split_list(row.get(Column::Destinations));
    let mut words = Vec::new();
    for word in &named {
        match Destination::parse(&word.to_lowercase()) {
            Some(destination) => words.push(destination.as_str()),
            None => report.loss(
                format!(
                    "destination `{word}` (the format's are {})",
                    Destination::WORDS.join(", ")
                ),
                at.to_string(),
            ),
        }
    }
    if words.is_empty() {
        return;
    }
    if !destinations.is_empty() && words != *destinations {
        report.loss(
            "destinations that differ from an earlier event's (the plan sends every event to all of them)",
            at.to_string(),
        );
    }
    for word in words {
        if !destinations.contains(&word) {
            destinations.push(word);
        }
    }
}

/// A list cell: values separated by commas, semicolons or line breaks.
fn split_list(cell: &str) -> Vec<&str> {
    let separator: &[char] = if cell.contains('\n') {
        &['\n']
    } else if cell.contains(';') {
        &[';']
    } else {
        &[',']
    };
    cell.split(separator)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

fn event_of(row: &Row<'_>, report: &mut Report, at: &str) -> Mapping {
    let mut event = Mapping::new();
    let description = row.get(Column::EventDescription);
    if !description.is_empty() {
        set(&mut event, "description", description);
    }
    let owner = row.get(Column::Owner);
    if !owner.is_empty() {
        // Each owner named becomes a team (see `import`); the event refers to its id.
        set(&mut event, "owner", crate::plan::slug(owner));
    }
    let status = row.get(Column::Status).to_lowercase();
    let dropped = yes(row.get(Column::EventDropped))
        || row.get(Column::Action).eq_ignore_ascii_case("remove");
    if dropped {
        set(&mut event, "status", "deprecated");
    } else if ["proposed", "planned", "implemented", "deprecated"].contains(&status.as_str()) {
        set(&mut event, "status", status);
    } else if !status.is_empty() {
        report.loss(
            format!(
                "status `{status}` (the format's are proposed, planned, implemented, deprecated)"
            ),
            at.to_string(),
        );
    }
    let mut platforms: Vec<Value> = Vec::new();
    let mut tags: Vec<Value> = Vec::new();
    for word in split_list(row.get(Column::Platform)) {
        match platform(word) {
            Some(p) if !platforms.contains(&p.into()) => platforms.push(p.into()),
            Some(_) => {}
            None => tags.push(Value::String(word.to_string())),
        }
    }
    for tag in split_list(row.get(Column::EventTags)) {
        tags.push(tag.into());
    }
    if yes(row.get(Column::EventHidden)) {
        tags.push("hidden".into());
    }
    if row.get(Column::Action).eq_ignore_ascii_case("ignore") {
        tags.push("ignored".into());
    }
    if !platforms.is_empty() {
        set(&mut event, "platforms", Value::Sequence(platforms));
    }
    if !tags.is_empty() {
        set(&mut event, "tags", Value::Sequence(tags));
    }
    let mut notes = Vec::new();
    let display = row.get(Column::EventDisplayName);
    if !display.is_empty() {
        notes.push(format!("Display name: {display}"));
    }
    let kpis: Vec<Value> = split_list(row.get(Column::Kpis))
        .into_iter()
        .map(|k| Value::String(crate::plan::slug(k)))
        .collect();
    if !kpis.is_empty() {
        set(&mut event, "kpis", Value::Sequence(kpis));
    }
    let written = row.get(Column::Notes);
    if !written.is_empty() {
        notes.push(written.to_string());
    }
    if !notes.is_empty() {
        set(&mut event, "notes", notes.join("\n"));
    }
    event
}

/// A platform word as the format's, or `None` to keep it as a tag.
fn platform(word: &str) -> Option<&'static str> {
    Some(match word.trim().to_lowercase().as_str() {
        "ios" | "iphone" | "ipad" => "ios",
        "android" => "android",
        "web" | "web app" | "website" | "browser" | "javascript" => "web",
        "mobile web" | "mobile-web" => "mobile-web",
        "backend" | "server" | "server-side" | "back end" | "api" => "server",
        "desktop" => "desktop",
        "tv" | "smart tv" => "tv",
        _ => return None,
    })
}

fn definition_of(row: &Row<'_>, report: &mut Report, at: &str) -> Mapping {
    let raw_type = row.get(Column::PropertyType);
    let (mut words, item) = type_of(raw_type);
    if words.is_empty() {
        report.loss(
            format!("data type `{raw_type}` (kept as `any`)"),
            at.to_string(),
        );
        words = vec!["any"];
    }
    let is_array = yes(row.get(Column::IsArray));
    let mut d = Mapping::new();
    if is_array && words != ["list"] {
        set(&mut d, "type", "list");
    } else if words.len() == 1 {
        set(&mut d, "type", words[0]);
    } else {
        set(
            &mut d,
            "type",
            Value::Sequence(words.iter().map(|w| Value::String(w.to_string())).collect()),
        );
    }
    let description = row.get(Column::PropertyDescription);
    if !description.is_empty() {
        set(&mut d, "description", description);
    }
    let value_words: Vec<&str> = if is_array {
        words.clone()
    } else {
        item.map_or(words.clone(), |i| vec![i])
    };
    let scalar_type = if is_array || words == ["list"] {
        None
    } else {
        Some(words.as_slice())
    };
    if let Some(types) = scalar_type {
        for (column, field) in [(Column::Enum, "enum"), (Column::Examples, "examples")] {
            let values: Vec<Value> = split_list(row.get(column))
                .into_iter()
                .filter_map(|v| {
                    let value = typed(v, types);
                    if value.is_none() {
                        report.loss(
                            format!("{field} value that does not fit the data type"),
                            at.to_string(),
                        );
                    }
                    value
                })
                .collect();
            if !values.is_empty() {
                set(&mut d, field, Value::Sequence(values));
            }
        }
    } else {
        // The sample values of a list are the items of one example list.
        let item_types: Vec<&str> = match item.or(value_words.first().copied()) {
            Some("list") | None => vec!["string"],
            Some(word) => vec![word],
        };
        let items: Vec<Value> = split_list(row.get(Column::Examples))
            .into_iter()
            .filter_map(|v| typed(v, &item_types))
            .collect();
        if !items.is_empty() {
            set(
                &mut d,
                "examples",
                Value::Sequence(vec![Value::Sequence(items)]),
            );
        }
    }
    if is_array || item.is_some() {
        let item_word = if is_array {
            value_words.first().copied()
        } else {
            item
        };
        if let Some(item_word) = item_word.filter(|w| *w != "any") {
            set(&mut d, "items", item_word);
        }
    }
    let pattern = row.get(Column::Pattern);
    if !pattern.is_empty() {
        if words.contains(&"string") || words.contains(&"any") {
            set(&mut d, "pattern", pattern);
        } else {
            report.loss("regex on a value that is not a string", at.to_string());
        }
    }
    let pii = row.get(Column::Pii);
    if !pii.is_empty() {
        set(&mut d, "pii", yes(pii));
    }
    if yes(row.get(Column::PropertyDropped)) {
        set(&mut d, "deprecated", true);
    }
    let mut tags = Vec::new();
    if yes(row.get(Column::PropertyHidden)) {
        tags.push(Value::String("hidden".into()));
    }
    if !tags.is_empty() {
        set(&mut d, "tags", Value::Sequence(tags));
    }
    let display = row.get(Column::PropertyDisplayName);
    if !display.is_empty() {
        let notes = d
            .get("notes")
            .and_then(Value::as_str)
            .map(|n| format!("{n}\n"))
            .unwrap_or_default();
        set(&mut d, "notes", format!("{notes}Display name: {display}"));
    }
    d
}

/// A data-type cell as type words, and an item type for `list of strings`-like cells.
fn type_of(cell: &str) -> (Vec<&'static str>, Option<&'static str>) {
    let lower = cell.trim().to_lowercase();
    if lower.is_empty() {
        return (vec!["any"], None);
    }
    for prefix in ["list of ", "array of ", "list<", "array<"] {
        if let Some(rest) = lower.strip_prefix(prefix) {
            let rest = rest.trim_end_matches('>').trim_end_matches('s');
            return (vec!["list"], word(rest));
        }
    }
    if let Some(rest) = lower.strip_suffix("[]") {
        return (vec!["list"], word(rest));
    }
    // `[string, number]`: a list of types, as `export --format csv` writes one.
    let listed = lower
        .strip_prefix('[')
        .and_then(|l| l.strip_suffix(']'))
        .unwrap_or(&lower);
    let mut words = Vec::new();
    for part in listed
        .split(['|', '/', ','])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        match word(part) {
            Some(w) if !words.contains(&w) => words.push(w),
            Some(_) => {}
            None => return (Vec::new(), None),
        }
    }
    (words, None)
}

fn word(text: &str) -> Option<&'static str> {
    Some(match text.trim() {
        "string" | "text" | "str" | "enum" | "categorical" => "string",
        "number" | "numeric" | "float" | "decimal" | "double" | "currency" => "number",
        "integer" | "int" | "long" => "integer",
        "boolean" | "bool" => "boolean",
        "date" | "datetime" | "date-time" | "timestamp" | "time" => "datetime",
        "list" | "array" => "list",
        "object" | "dict" | "map" | "json" => "object",
        "any" => "any",
        _ => return None,
    })
}

/// A cell's value as the type says it: numbers unquoted, booleans as booleans.
fn typed(cell: &str, types: &[&str]) -> Option<Value> {
    let has = |w: &str| types.contains(&w) || types.contains(&"any");
    if has("integer") {
        if let Ok(i) = cell.parse::<i64>() {
            return Some(i.into());
        }
    }
    if has("number") {
        // Written as the cell writes it: `25` a whole number, `25.0` a float (as the plan had it).
        if let Ok(i) = cell.parse::<i64>() {
            return Some(i.into());
        }
        if let Ok(f) = cell.parse::<f64>() {
            if f.is_finite() {
                return Some(f.into());
            }
        }
    }
    if has("boolean") {
        match cell.to_lowercase().as_str() {
            "true" => return Some(true.into()),
            "false" => return Some(false.into()),
            _ => {}
        }
    }
    if has("string") {
        return Some(cell.into());
    }
    if has("datetime") && trackplan_core::formats::is_iso8601(cell) {
        return Some(cell.into());
    }
    None
}
