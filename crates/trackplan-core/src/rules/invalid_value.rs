//! Flags a value of the wrong shape, or a word that is not one of the allowed ones.
//!
//! ## What it does
//! Checks every value against the format: lists where lists belong, `true`/`false` for flags, numbers
//! for `min`/`max`, the allowed words for `type`, `status`, `platforms`, the cases and the severities,
//! kebab-case ids for teams, goals, KPIs, flows and alternatives, and names that are strings. A name
//! that YAML reads as a number, boolean or null (`404`, `true`, `~`) is reported with a hint to quote
//! it. It also reports dates not written `YYYY-MM-DD` (`expires`), links that are not absolute URLs,
//! `owner` and `owners` on one entity, a `pii` that contradicts `sensitivity`, a `min_length` or
//! `min_items` above its maximum, and fields that do not apply to the property's type (`min` on a
//! string).
//!
//! ## Why is this bad?
//! A value of the wrong shape means something else than intended or nothing at all: `status: done` is
//! no status, `platforms: web` is one string rather than a list, and an event named `404` is sent as
//! the number 404 by some SDKs and as the string "404" by others.
//!
//! ## Example
//! ```yaml
//! events:
//!   Order Completed:
//!     status: done
//!     platforms: web
//! flows:
//!   Checkout Flow:
//!     name: Checkout
//!     steps: [404]
//! ```
//!
//! ## Use instead
//! ```yaml
//! events:
//!   Order Completed:
//!     status: implemented
//!     platforms: [web]
//! flows:
//!   checkout:
//!     name: Checkout
//!     steps: ["404"]
//! ```

use super::prelude::*;
use crate::case;
use crate::model::{Expected, Found, ShapeHint};
use crate::suggest::did_you_mean;

declare_rule!(InvalidValue, "invalid-value", Error);

impl Rule for InvalidValue {
    fn check_file(&self, file: &FileFacts<'_>, out: &mut Vec<Diagnostic>) {
        for issue in file.issues {
            let diagnostic = match issue {
                ModelIssue::WrongShape {
                    span,
                    found,
                    expected,
                    hint,
                } => wrong_shape(*span, found, *expected, hint.as_ref()),
                ModelIssue::NotAWord {
                    span,
                    found,
                    words,
                    shorthand,
                } => not_a_word(*span, found, words, *shorthand),
                ModelIssue::PaddedName { span, text } => padded_name(*span, text),
                ModelIssue::NameNotString { span, found } => name_not_string(*span, found),
                ModelIssue::UnsupportedVersion { span, found } => unsupported_version(*span, *found),
                ModelIssue::FieldNotForType {
                    span,
                    field,
                    applies_to,
                    types,
                } => field_not_for_type(*span, field, applies_to, *types),
                ModelIssue::NullInTypeList { span } => null_in_type_list(*span),
                ModelIssue::NotKebabId { span, id, noun } => not_kebab_id(*span, id, noun),
                ModelIssue::ExclusiveKeys { span, key, other } => exclusive_keys(*span, key, other),
                ModelIssue::NotAnAbsoluteUrl { span, text } => not_an_absolute_url(*span, text),
                ModelIssue::PiiContradictsSensitivity {
                    span,
                    pii,
                    sensitivity,
                } => pii_contradicts_sensitivity(*span, *pii, *sensitivity),
                ModelIssue::BoundsReversed { span, low, high } => bounds_reversed(*span, low, high),
                _ => continue,
            };
            out.push(diagnostic);
        }
    }
}

/// What a value should have been, in words.
fn expected_words(expected: Expected) -> String {
    match expected {
        Expected::Sections => "a mapping of sections (`events:`, `properties:`, ...)".into(),
        Expected::StringKey => "a string key".into(),
        Expected::Version => "the format version `1`".into(),
        Expected::Text => "text".into(),
        Expected::Boolean => "`true` or `false`".into(),
        Expected::Number => "a number".into(),
        Expected::PositiveNumber => "a number above zero".into(),
        Expected::Date => "a date written `YYYY-MM-DD`".into(),
        Expected::Links => "a mapping of labels to URLs".into(),
        Expected::Url => "an absolute URL (`https://...`)".into(),
        Expected::DestinationList => "a list of destinations".into(),
        Expected::Types => "a type or a list of types".into(),
        Expected::IntegerFrom(min) => format!("an integer of at least {min}"),
        Expected::TextList => "a list of strings".into(),
        Expected::PlatformList => "a list of platforms".into(),
        Expected::ValueList => "a list of values".into(),
        Expected::NameList(kind) => format!("a list of {} names", kind.noun()),
        Expected::Name => "a name".into(),
        Expected::NameOf(kind) => format!("{} name", article(kind.noun())),
        Expected::Conventions => "a mapping with `event_case` and `property_case`".into(),
        Expected::Lint => "a mapping of rule names to severities".into(),
        Expected::Identity => "a mapping with `identify`, `reset`, `id_merge`".into(),
        Expected::Definitions(kind) => {
            format!("a mapping of {} names to definitions", kind.noun())
        }
        Expected::EntityFields(noun) => format!("a mapping with the {noun}'s fields"),
        Expected::Alternatives => "a mapping of alternative ids to lists of events".into(),
        Expected::EventProperties => "a mapping of property names".into(),
    }
}

fn article(noun: &str) -> String {
    let vowel = noun.starts_with(['a', 'e', 'i', 'o', 'u', 'K']);
    format!("{} {noun}", if vowel { "an" } else { "a" })
}

/// A value that is not of the expected shape.
fn wrong_shape(span: Span, found: &Found, expected: Expected, hint: Option<&ShapeHint>) -> Diagnostic {
    let shown = match found.text.as_deref() {
        Some(text) if !text.is_empty() && text.chars().count() <= 40 && !text.contains('\n') => {
            format!("`{text}` ({})", found.shape)
        }
        _ => found.shape.to_string(),
    };
    let d = Diagnostic::new(
        RULE,
        span,
        format!("expected {}, found {shown}", expected_words(expected)),
    );
    match hint {
        None => d,
        Some(ShapeHint::QuoteAsText(value)) => {
            d.with_help(format!("quote it to make it text: \"{value}\""))
        }
        Some(ShapeHint::WriteAList(written)) => d.with_help(format!("write a list: `[{written}]`")),
        Some(ShapeHint::PropertiesOneByOne) => d.with_help(
            "write each property on its own line as `name: required` or `name: optional`",
        ),
    }
}

/// A name with leading or trailing white space, which Mixpanel keeps as part of the name.
fn padded_name(span: Span, text: &str) -> Diagnostic {
    let trimmed = text.trim();
    Diagnostic::new(
        RULE,
        span,
        format!("name `{text}` has leading or trailing spaces"),
    )
    .with_help("Mixpanel keeps them, so the name would not match what the code sends")
    .with_fix(
        format!("Trim to `{trimmed}`"),
        vec![Edit {
            span,
            new_text: crate::syntax::quote_if_needed(trimmed),
        }],
    )
}

/// A property field that does not apply to the property's type (`min` on a string, say).
fn field_not_for_type(span: Span, field: &str, applies_to: &[PropertyType], ty: TypeSet) -> Diagnostic {
    let types: Vec<String> = applies_to.iter().map(|t| format!("`{t}`")).collect();
    Diagnostic::new(
        RULE,
        span,
        format!(
            "`{field}` applies to {} properties, not to `{ty}`",
            types.join(" and ")
        ),
    )
    .with_help(format!("remove `{field}` or change the property's `type`"))
}

/// A value that is not one of `words`.
fn not_a_word(span: Span, found: &Found, words: &[&str], shorthand: bool) -> Diagnostic {
    let list = words.iter().map(|w| format!("`{w}`")).collect::<Vec<_>>().join(", ");
    let shown = match found.text.as_deref() {
        Some(text) if !text.is_empty() => format!("`{text}`"),
        _ => found.shape.to_string(),
    };
    let mut d = Diagnostic::new(RULE, span, format!("expected one of {list}, found {shown}"));
    if let Some(suggestion) = found
        .text
        .as_deref()
        .and_then(|text| did_you_mean(text, words.iter().copied()))
    {
        d = d
            .with_help(format!("did you mean `{suggestion}`?"))
            .with_fix(
                format!("Replace with `{suggestion}`"),
                vec![Edit {
                    span,
                    new_text: suggestion.to_string(),
                }],
            );
    }
    if shorthand {
        d = d.with_help(
            "use `required` or `optional` for a dictionary property, or a mapping with `type` to define one here",
        );
    }
    d
}

/// A name that YAML reads as a number, boolean or null.
fn name_not_string(span: Span, found: &Found) -> Diagnostic {
    let text = found.text.as_deref().unwrap_or_default();
    let quoted = format!("\"{text}\"");
    Diagnostic::new(
        RULE,
        span,
        format!("`{text}` is read as {}, not as a name", found.shape),
    )
    .with_help(format!("names are strings: quote it as {quoted}"))
    .with_fix(
        format!("Quote as {quoted}"),
        vec![Edit {
            span,
            new_text: quoted,
        }],
    )
}

fn unsupported_version(span: Span, found: i64) -> Diagnostic {
    Diagnostic::new(
        RULE,
        span,
        format!("unsupported plan format version {found}"),
    )
    .with_help("this version of trackplan reads format `1`")
}

/// An id of a team, goal, KPI, flow or alternative that is not kebab-case.
fn not_kebab_id(span: Span, id: &str, noun: &str) -> Diagnostic {
    let suggestion = case::convert(id, Case::Kebab);
    let d = Diagnostic::new(
        RULE,
        span,
        format!("`{id}` is not a kebab-case {noun} id"),
    );
    if case::is_kebab_id(&suggestion) {
        d.with_help(format!(
            "ids are lowercase words joined by `-`, such as `{suggestion}`; put the display name in `name:`"
        ))
    } else {
        d.with_help("ids are lowercase words joined by `-`; put the display name in `name:`")
    }
}

/// Two keys that say the same thing (`owner` and `owners`): which one is meant?
fn exclusive_keys(span: Span, key: &str, other: &str) -> Diagnostic {
    Diagnostic::new(RULE, span, format!("`{other}` and `{key}` are both given"))
        .with_help(format!("they say the same thing: keep `{other}` or `{key}`"))
}

fn not_an_absolute_url(span: Span, text: &str) -> Diagnostic {
    Diagnostic::new(RULE, span, format!("link `{text}` is not an absolute URL"))
        .with_help("write the whole address, such as `https://example.com/page`")
}

fn pii_contradicts_sensitivity(span: Span, pii: bool, sensitivity: Sensitivity) -> Diagnostic {
    let (said, meaning) = if pii {
        ("`pii: true`", "personal data")
    } else {
        ("`pii: false`", "no personal data")
    };
    Diagnostic::new(
        RULE,
        span,
        format!("`sensitivity: {sensitivity}` contradicts {said}, which means {meaning}"),
    )
    .with_help("keep `sensitivity` alone: `personal` and `highly-sensitive` are personal data, `public` and `internal` are not")
}

fn bounds_reversed(span: Span, low: &str, high: &str) -> Diagnostic {
    Diagnostic::new(RULE, span, format!("`{low}` is above `{high}`, so no value fits"))
        .with_help(format!("make `{low}` at most `{high}`"))
}

/// `type: [string, null]`: whether a value may be null is `nullable`.
fn null_in_type_list(span: Span) -> Diagnostic {
    Diagnostic::new(RULE, span, "`null` is not a type")
        .with_help("write `nullable: true` for a value that may be null, and list the types it has otherwise")
}
