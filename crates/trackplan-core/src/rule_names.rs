//! The table of rules and the names it gives them.
//!
//! [`rule_table!`] lists every rule once, as its module under `rules/` and its struct, in the order
//! the rules are documented. It is an "x-macro": `rules/mod.rs` expands it into the modules and the
//! [`crate::rules::RULES`] registry, and this module into [`RuleName`], the type a diagnostic names
//! its rule by. This module is a leaf (diagnostics depend on it, and rules on diagnostics), so the
//! rule names themselves (`"yaml-syntax"`) stay in each rule's own file, behind
//! [`RuleName::as_str`].

/// Calls `$then!` with every rule as `module: Struct,`.
macro_rules! rule_table {
    ($then:ident) => {
        $then! {
            yaml_syntax: YamlSyntax,
            duplicate_key: DuplicateKey,
            unsupported_yaml: UnsupportedYaml,
            limit_exceeded: LimitExceeded,
            unknown_key: UnknownKey,
            invalid_value: InvalidValue,
            missing_field: MissingField,
            duplicate_definition: DuplicateDefinition,
            unknown_reference: UnknownReference,
            event_name_case: EventNameCase,
            property_name_case: PropertyNameCase,
            reserved_name: ReservedName,
            name_too_long: NameTooLong,
            too_many_properties: TooManyProperties,
            similar_names: SimilarNames,
            type_mismatch: TypeMismatch,
            missing_description: MissingDescription,
            missing_owner: MissingOwner,
            kpi_unmeasured: KpiUnmeasured,
            flow_without_kpi: FlowWithoutKpi,
            orphan_event: OrphanEvent,
            unused_property: UnusedProperty,
            identity_unset: IdentityUnset,
            pii_unflagged: PiiUnflagged,
            deprecated_reference: DeprecatedReference,
            property_type_conflict: PropertyTypeConflict,
            expired: Expired,
            unused_ignore: UnusedIgnore,
        }
    };
}
pub(crate) use rule_table;

macro_rules! define_rule_names {
    ($($module:ident: $rule:ident,)*) => {
        /// A rule, by name. Its stable kebab-case text is [`RuleName::as_str`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum RuleName {
            $( $rule, )*
        }

        impl RuleName {
            /// Every rule, in the order they are documented.
            pub const ALL: &'static [RuleName] = &[ $( RuleName::$rule, )* ];
        }
    };
}
rule_table!(define_rule_names);
