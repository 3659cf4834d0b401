//! The audit rules: one file each, registered in [`AUDIT_RULES`].
//!
//! They are documented like the plan's rules (a `//!` comment in fixed sections: What it does / Why
//! is this bad? / Example / Use instead), so `trackplan explain` prints them too; but they judge
//! events against the plan, not the plan itself, so `trackplan check` never runs them. A rule's
//! Example holds a plan (`yaml`) and events (`json`, one a line) that raise it; its Use instead,
//! events that do not. Both are tested (`tests/rule_docs.rs`).

use trackplan_core::Severity;

/// Calls `$then!` with every audit rule as `module: Variant,`, in the order they are documented.
macro_rules! audit_rule_table {
    ($then:ident) => {
        $then! {
            unplanned_event: UnplannedEvent,
            event_never_seen: EventNeverSeen,
            deprecated_event_seen: DeprecatedEventSeen,
            missing_required_property: MissingRequiredProperty,
            unplanned_property: UnplannedProperty,
            wrong_type: WrongType,
            unexpected_null: UnexpectedNull,
            enum_violation: EnumViolation,
            pattern_violation: PatternViolation,
            length_violation: LengthViolation,
            format_violation: FormatViolation,
            range_violation: RangeViolation,
            list_size_violation: ListSizeViolation,
            value_over_limit: ValueOverLimit,
            missing_distinct_id: MissingDistinctId,
            invalid_distinct_id: InvalidDistinctId,
            missing_super_property: MissingSuperProperty,
            malformed_line: MalformedLine,
        }
    };
}

/// Declares an audit rule in its own file: its stable name and default severity.
macro_rules! declare_audit_rule {
    ($name:literal, $severity:ident) => {
        /// The rule's stable name.
        pub const NAME: &str = $name;
        /// The severity its findings have unless the rule says otherwise for one finding.
        pub const DEFAULT_SEVERITY: trackplan_core::Severity = trackplan_core::Severity::$severity;
    };
}

macro_rules! define_audit_rules {
    ($($module:ident: $rule:ident,)*) => {
        $(pub mod $module;)*

        /// An audit rule, by name. Its stable kebab-case text is [`AuditRule::as_str`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum AuditRule {
            $( $rule, )*
        }

        impl AuditRule {
            /// Every audit rule, in the order they are documented.
            pub const ALL: &'static [AuditRule] = &[ $( AuditRule::$rule, )* ];

            /// The rule's stable kebab-case name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( AuditRule::$rule => $module::NAME, )*
                }
            }

            /// The rule's entry in [`AUDIT_RULES`].
            pub fn entry(self) -> &'static AuditRuleEntry {
                &AUDIT_RULES[self as usize]
            }
        }

        /// A finding's sentence, worded by its rule.
        pub(crate) fn message(rule: AuditRule, facts: &crate::facts::Facts<'_>) -> String {
            match rule {
                $( AuditRule::$rule => $module::message(facts), )*
            }
        }

        /// Every audit rule with its documentation, in the order of [`AuditRule::ALL`].
        pub static AUDIT_RULES: &[AuditRuleEntry] = &[
            $(AuditRuleEntry {
                rule: AuditRule::$rule,
                name: $module::NAME,
                default_severity: $module::DEFAULT_SEVERITY,
                source: include_str!(concat!(stringify!($module), ".rs")),
            },)*
        ];
    };
}

audit_rule_table!(define_audit_rules);

/// A registered audit rule with its documentation.
pub struct AuditRuleEntry {
    pub rule: AuditRule,
    name: &'static str,
    default_severity: Severity,
    source: &'static str,
}

impl AuditRuleEntry {
    /// The stable kebab-case name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The severity of its findings unless the rule's page says when it differs.
    pub fn default_severity(&self) -> Severity {
        self.default_severity
    }

    /// The rule's documentation: its file's `//!` comment, as Markdown.
    pub fn doc(&self) -> String {
        trackplan_core::rules::module_doc(self.source)
    }

    /// The first sentence of the doc: what the rule flags.
    pub fn summary(&self) -> String {
        self.doc().lines().next().unwrap_or_default().to_string()
    }
}

impl std::fmt::Display for AuditRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for AuditRule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// The audit rule of a name.
pub fn find(name: &str) -> Option<&'static AuditRuleEntry> {
    AUDIT_RULES.iter().find(|r| r.name() == name)
}

/// What the rule files use.
mod prelude {
    pub(crate) use crate::facts::Facts;
    #[allow(unused_imports)]
    pub(crate) use crate::spec::PropSpec;
    #[allow(unused_imports)]
    pub(crate) use simd_json::prelude::*;
    #[allow(unused_imports)]
    pub(crate) use simd_json::value::borrowed::Value;
    #[allow(unused_imports)]
    pub(crate) use simd_json::StaticNode;
}
