//! One test per kind of change: two versions of a plan in, the changes (kind, level, summary) out.

use super::*;
use crate::model::Plan;
use crate::read::{parse_file, Content};
use crate::span::FileId;
use std::sync::Arc;

fn plan(files: &[(&str, &str)]) -> Plan {
    Plan::new(
        files
            .iter()
            .enumerate()
            .map(|(i, (path, text))| Arc::new(parse_file(FileId(i as u32), path, *text)))
            .collect(),
    )
}

fn lines(changes: &[Change]) -> Vec<String> {
    changes
        .iter()
        .map(|c| format!("{} {} {}", c.kind, c.level, c.summary))
        .collect()
}

/// Compares two versions of a one-file plan (the root file) and checks the changes.
#[track_caller]
fn check(old: &str, new: &str, expect: &[&str]) {
    let changes = diff(
        &plan(&[("trackplan.yaml", old)]),
        &plan(&[("trackplan.yaml", new)]),
    );
    assert_eq!(lines(&changes), expect);
}

const BASE: &str = r##"trackplan: 1
name: Shop
conventions:
  event_case: title
  property_case: snake
identity:
  id_merge: simplified
  identify: [Signed Up]
  reset: [Logged Out]
teams:
  growth: {name: Growth, contact: "#growth"}
goals:
  revenue: {name: Revenue}
kpis:
  conversion:
    name: Conversion
    goal: revenue
    definition: orders / checkouts
    priority: 1
flows:
  purchase:
    name: Purchase
    kpis: [conversion]
    steps: [Checkout Started, Order Completed]
events:
  Checkout Started:
    description: Checkout page shown.
    status: implemented
    platforms: [web]
    properties:
      cart_id: required
  Order Completed:
    description: Order placed.
    owner: growth
    status: implemented
    platforms: [web, ios]
    properties:
      cart_id: required
      coupon: optional
      revenue:
        type: number
        required: true
  Signed Up:
    description: Account created.
    status: implemented
  Logged Out:
    description: Session ended.
    status: planned
properties:
  cart_id: {type: string, description: Cart id}
  coupon: {type: string, description: Coupon code, enum: [WELCOME, SPRING]}
super_properties: [platform]
user_properties:
  $email: {type: string, pii: true, description: Email}
"##;

fn edit(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "base has no {from:?}");
    BASE.replacen(from, to, 1)
}

#[test]
fn same_plan_is_no_change() {
    check(BASE, BASE, &[]);
}

#[test]
fn comments_quoting_and_order_are_no_change() {
    let new = BASE
        .replace(
            "trackplan: 1\n",
            "# The shop plan.\ntrackplan: 1 # version\n",
        )
        .replace("[web, ios]", "[ios, \"web\"]")
        .replace(
            "      cart_id: required\n      coupon: optional\n",
            "      coupon: optional   # a comment\n      'cart_id': required\n",
        )
        .replace(
            "description: Order placed.",
            "description: >-\n      Order\n      placed.",
        );
    check(BASE, &new, &[]);
}

#[test]
fn moving_an_event_between_files_is_no_change() {
    let (head, events) = BASE.split_once("events:\n").unwrap();
    let (events, rest) = events.split_once("properties:\n  cart_id").unwrap();
    let (first, second) = events.split_once("  Signed Up:").unwrap();
    let old = plan(&[("trackplan.yaml", BASE)]);
    let new = plan(&[
        (
            "trackplan.yaml",
            &format!("{head}properties:\n  cart_id{rest}"),
        ),
        ("events/a.yaml", &format!("events:\n{first}")),
        ("events/b.yaml", &format!("events:\n  Signed Up:{second}")),
    ]);
    assert_eq!(lines(&diff(&old, &new)), Vec::<String>::new());
}

#[test]
fn event_added() {
    let new = edit(
        "  Signed Up:\n",
        "  Coupon Applied:\n    description: A coupon was applied.\n    properties:\n      coupon: required\n  Signed Up:\n",
    );
    check(
        BASE,
        &new,
        &["event-added safe event `Coupon Applied` added with 1 property"],
    );
}

#[test]
fn event_removed() {
    let new = edit(
        "  Logged Out:\n    description: Session ended.\n    status: planned\n",
        "",
    );
    let changes = diff(
        &plan(&[("trackplan.yaml", BASE)]),
        &plan(&[("trackplan.yaml", &new)]),
    );
    // The identity still names it; that is `check`'s business (unknown-reference), not a change.
    assert_eq!(
        lines(&changes),
        ["event-removed breaking event `Logged Out` removed"]
    );
}

#[test]
fn event_renamed_by_identity() {
    let new = edit("  Checkout Started:", "  Checkout Opened:");
    let changes = diff(
        &plan(&[("trackplan.yaml", BASE)]),
        &plan(&[("trackplan.yaml", &new)]),
    );
    assert_eq!(
        lines(&changes),
        ["event-renamed breaking event `Checkout Started` renamed to `Checkout Opened` (removed, and an identical event added)"]
    );
    // Touches what either name is part of.
    assert_eq!(changes[0].flows, ["purchase"]);
    assert_eq!(changes[0].kpis, ["conversion"]);
    assert_eq!(changes[0].old, Some(serde_json::json!("Checkout Started")));
    assert_eq!(changes[0].new, Some(serde_json::json!("Checkout Opened")));
}

#[test]
fn event_renamed_by_replaced_by() {
    let new = edit(
        "  Signed Up:\n    description: Account created.\n    status: implemented\n",
        "  Signed Up:\n    description: Account created.\n    status: deprecated\n    replaced_by: Sign Up Completed\n  Sign Up Completed:\n    description: Account created and verified.\n    status: planned\n",
    );
    check(
        BASE,
        &new,
        &["event-renamed breaking event `Signed Up` renamed to `Sign Up Completed` (deprecated with replaced_by)"],
    );
}

#[test]
fn event_deprecated() {
    let new = edit(
        "    description: Session ended.\n    status: planned",
        "    description: Session ended.\n    status: deprecated",
    );
    check(
        BASE,
        &new,
        &["event-deprecated dangerous event `Logged Out` deprecated"],
    );
}

#[test]
fn status_forward_is_safe_backward_is_dangerous() {
    let forward = edit(
        "    description: Session ended.\n    status: planned",
        "    description: Session ended.\n    status: implemented",
    );
    check(
        BASE,
        &forward,
        &["status-changed safe status of event `Logged Out` changed from planned to implemented"],
    );
    check(
        &forward,
        BASE,
        &["status-changed dangerous status of event `Logged Out` changed from implemented to planned"],
    );
}

#[test]
fn event_property_added_optional_and_required() {
    let optional = edit(
        "      cart_id: required\n  Order",
        "      cart_id: required\n      coupon: optional\n  Order",
    );
    check(
        BASE,
        &optional,
        &["event-property-added safe property `coupon` (optional) added to event `Checkout Started`"],
    );
    let required = edit(
        "      cart_id: required\n  Order",
        "      cart_id: required\n      coupon: required\n  Order",
    );
    let changes = diff(
        &plan(&[("trackplan.yaml", BASE)]),
        &plan(&[("trackplan.yaml", &required)]),
    );
    assert_eq!(
        lines(&changes),
        ["event-property-added breaking property `coupon` (required) added to event `Checkout Started`"]
    );
    assert_eq!(
        changes[0].entity,
        Entity::Kind(crate::model::EntityKind::Event)
    );
    assert_eq!(changes[0].name, "Checkout Started");
    assert_eq!(changes[0].property.as_deref(), Some("coupon"));
    assert_eq!(changes[0].flows, ["purchase"]);
    assert_eq!(changes[0].kpis, ["conversion"]);
}

#[test]
fn event_property_removed() {
    let new = edit("      coupon: optional\n", "");
    check(
        BASE,
        &new,
        &["event-property-removed breaking property `coupon` removed from event `Order Completed`"],
    );
}

#[test]
fn property_type_changed() {
    let new = edit("cart_id: {type: string,", "cart_id: {type: integer,");
    let changes = diff(
        &plan(&[("trackplan.yaml", BASE)]),
        &plan(&[("trackplan.yaml", &new)]),
    );
    assert_eq!(
        lines(&changes),
        ["property-type-changed breaking type of property `cart_id` changed from string to integer"]
    );
    // Both events that use the property, and what they are part of.
    assert_eq!(changes[0].flows, ["purchase"]);
    assert_eq!(changes[0].kpis, ["conversion"]);
}

#[test]
fn inline_property_type_changed() {
    let new = edit("        type: number\n", "        type: string\n");
    check(
        BASE,
        &new,
        &["property-type-changed breaking type of property `revenue` of event `Order Completed` changed from number to string"],
    );
}

#[test]
fn dictionary_reference_turned_inline_with_another_type() {
    let new = edit(
        "      coupon: optional\n",
        "      coupon:\n        type: integer\n        description: Coupon code\n",
    );
    check(
        BASE,
        &new,
        &[
            "property-type-changed breaking type of property `coupon` of event `Order Completed` changed from string to integer",
            "enum-removed safe property `coupon` of event `Order Completed` no longer has an enum: it takes any value",
        ],
    );
}

#[test]
fn enum_values_added_and_removed() {
    let new = edit("enum: [WELCOME, SPRING]", "enum: [WELCOME, SUMMER]");
    check(
        BASE,
        &new,
        &[
            "enum-value-added safe value `SUMMER` added to the enum of property `coupon`",
            "enum-value-removed breaking value `SPRING` removed from the enum of property `coupon`",
        ],
    );
}

#[test]
fn enum_added_and_dropped() {
    let with = edit(
        "cart_id: {type: string,",
        "cart_id: {type: string, enum: [a, b],",
    );
    check(
        BASE,
        &with,
        &["enum-added dangerous property `cart_id` now takes only the values of an enum"],
    );
    check(
        &with,
        BASE,
        &["enum-removed safe property `cart_id` no longer has an enum: it takes any value"],
    );
}

#[test]
fn event_narrows_a_dictionary_enum() {
    let new = edit(
        "      coupon: optional\n",
        "      coupon:\n        enum: [WELCOME]\n",
    );
    check(
        BASE,
        &new,
        &["enum-value-removed breaking value `SPRING` removed from the enum of property `coupon` of event `Order Completed`"],
    );
}

#[test]
fn property_required_and_optional() {
    let new = edit("      coupon: optional\n", "      coupon: required\n");
    check(
        BASE,
        &new,
        &["property-required breaking property `coupon` of event `Order Completed` is now required"],
    );
    check(
        &new,
        BASE,
        &["property-optional safe property `coupon` of event `Order Completed` is now optional"],
    );
}

#[test]
fn description_owner_and_status() {
    let new = edit(
        "    description: Order placed.\n    owner: growth\n",
        "    description: Order placed and paid.\n    owner: data\n",
    )
    .replace(
        "teams:\n",
        "teams:\n  data: {name: Data, contact: \"#data\"}\n",
    );
    check(
        BASE,
        &new,
        &[
            "team-added safe team `data` added",
            "description-changed safe description of event `Order Completed` changed",
            "owner-changed safe owner of event `Order Completed` changed from `growth` to `data`",
        ],
    );
}

#[test]
fn kpi_added_removed_and_remapped() {
    let added = edit(
        "kpis:\n",
        "kpis:\n  aov:\n    name: Average order value\n    goal: revenue\n    definition: revenue / orders\n",
    );
    check(BASE, &added, &["kpi-added safe KPI `aov` added"]);
    check(&added, BASE, &["kpi-removed breaking KPI `aov` removed"]);
    let remapped = added.replace("    kpis: [conversion]\n", "    kpis: [conversion, aov]\n");
    let changes = diff(
        &plan(&[("trackplan.yaml", &added)]),
        &plan(&[("trackplan.yaml", &remapped)]),
    );
    assert_eq!(
        lines(&changes),
        ["kpi-flows-changed dangerous flows that move KPI `aov`: added `purchase`"]
    );
    assert_eq!(changes[0].flows, ["purchase"]);
    assert_eq!(changes[0].kpis, ["aov"]);
}

#[test]
fn kpi_fields() {
    let new = edit(
        "    definition: orders / checkouts\n    priority: 1\n",
        "    definition: orders / sessions\n    priority: 2\n",
    );
    check(
        BASE,
        &new,
        &[
            "kpi-definition-changed dangerous definition of KPI `conversion` changed",
            "kpi-priority-changed safe priority of KPI `conversion` changed from 1 to 2",
        ],
    );
}

#[test]
fn flow_steps_added_removed_reordered() {
    let added = edit(
        "[Checkout Started, Order Completed]",
        "[Checkout Started, Signed Up, Order Completed]",
    );
    check(
        BASE,
        &added,
        &["flow-steps-changed dangerous steps of flow `purchase`: added `Signed Up`"],
    );
    let reordered = edit(
        "[Checkout Started, Order Completed]",
        "[Order Completed, Checkout Started]",
    );
    check(
        BASE,
        &reordered,
        &["flow-steps-changed dangerous steps of flow `purchase`: reordered"],
    );
    let alternative = edit(
        "    steps: [Checkout Started, Order Completed]\n",
        "    steps: [Checkout Started, Order Completed]\n    alternatives:\n      express: [Order Completed]\n",
    );
    check(
        BASE,
        &alternative,
        &["flow-steps-changed dangerous alternative `express` added to flow `purchase`"],
    );
}

#[test]
fn flow_added_and_removed() {
    let added = edit(
        "flows:\n",
        "flows:\n  sign-up:\n    name: Sign-up\n    steps: [Signed Up]\n",
    );
    check(BASE, &added, &["flow-added safe flow `sign-up` added"]);
    check(
        &added,
        BASE,
        &["flow-removed breaking flow `sign-up` removed"],
    );
}

#[test]
fn identity_changed() {
    let new = edit(
        "  identify: [Signed Up]",
        "  identify: [Signed Up, Checkout Started]",
    );
    let changes = diff(
        &plan(&[("trackplan.yaml", BASE)]),
        &plan(&[("trackplan.yaml", &new)]),
    );
    assert_eq!(
        lines(&changes),
        ["identity-changed breaking events after which identify() is called: added `Checkout Started`"]
    );
    assert_eq!(changes[0].field.as_deref(), Some("identify"));
    assert_eq!(changes[0].flows, ["purchase"]);
    let merge = edit("id_merge: simplified", "id_merge: original");
    check(
        BASE,
        &merge,
        &["identity-changed breaking ID merge changed from `simplified` to `original`"],
    );
}

#[test]
fn conventions_changed() {
    let new = edit("  event_case: title", "  event_case: snake");
    check(
        BASE,
        &new,
        &["conventions-changed dangerous event_case changed from `title` to `snake`"],
    );
}

#[test]
fn super_and_user_properties() {
    let new = edit(
        "super_properties: [platform]",
        "super_properties: [platform, app_version]",
    )
    .replace(
        "  $email: {type: string, pii: true, description: Email}\n",
        "  plan_tier: {type: string, description: Tier}\n",
    );
    check(
        BASE,
        &new,
        &[
            "user-property-removed breaking user property `$email` removed",
            "user-property-added safe user property `plan_tier` added (string)",
            "super-property-added safe super property `app_version` added",
        ],
    );
    let removed = edit("super_properties: [platform]", "super_properties: []");
    check(
        BASE,
        &removed,
        &["super-property-removed breaking super property `platform` removed"],
    );
}

#[test]
fn dictionary_property_added_removed_renamed_deprecated() {
    let added = edit(
        "properties:\n  cart_id",
        "properties:\n  currency: {type: string, description: ISO 4217 code}\n  cart_id",
    );
    check(
        BASE,
        &added,
        &["property-added safe property `currency` added (string)"],
    );
    check(
        &added,
        BASE,
        &["property-removed breaking property `currency` removed"],
    );
    let renamed = added.replace("  currency: {", "  currency_code: {");
    check(
        &added,
        &renamed,
        &["property-renamed breaking property `currency` renamed to `currency_code` (removed, and an identical property added)"],
    );
    let deprecated = added.replace(
        "description: ISO 4217 code}",
        "description: ISO 4217 code, deprecated: true}",
    );
    check(
        &added,
        &deprecated,
        &["property-deprecated dangerous property `currency` deprecated"],
    );
    let replaced = added.replace(
        "description: ISO 4217 code}",
        "description: ISO 4217 code, deprecated: true, replaced_by: cart_id}",
    );
    check(
        &added,
        &replaced,
        &["property-renamed breaking property `currency` renamed to `cart_id` (deprecated with replaced_by)"],
    );
}

#[test]
fn property_constraints() {
    let new = edit(
        "cart_id: {type: string, description: Cart id}",
        "cart_id: {type: string, description: Cart id, pattern: '^c_', min: 1, examples: [c_1], pii: true}",
    );
    check(
        BASE,
        &new,
        &[
            "examples-changed safe examples of property `cart_id` changed",
            "pattern-changed dangerous pattern of property `cart_id` added",
            "range-changed dangerous min of property `cart_id` changed from none to 1",
            "pii-changed safe property `cart_id` is now flagged as personal data (pii)",
        ],
    );
}

#[test]
fn nested_object_properties() {
    let old = edit(
        "properties:\n  cart_id",
        "properties:\n  address:\n    type: object\n    description: Shipping address\n    properties:\n      city: {type: string}\n      zip: {type: string}\n  cart_id",
    );
    let new = old
        .replace(
            "      zip: {type: string}\n",
            "      country: {type: string}\n",
        )
        .replace("      city: {type: string}", "      city: {type: integer}");
    check(
        &old,
        &new,
        &[
            "property-type-changed breaking type of property `address.city` changed from string to integer",
            "object-property-added safe property `address.country` added",
            "object-property-removed breaking property `address.zip` removed",
        ],
    );
}

#[test]
fn list_item_type_changed() {
    let old = edit(
        "properties:\n  cart_id",
        "properties:\n  skus: {type: list, items: string, description: SKUs}\n  cart_id",
    );
    let new = old.replace("items: string", "items: integer");
    check(
        &old,
        &new,
        &["property-type-changed breaking item type of property `skus` changed from string to integer"],
    );
}

#[test]
fn platforms_and_event_kpis() {
    let fewer = edit("platforms: [web, ios]", "platforms: [web]");
    check(
        BASE,
        &fewer,
        &["event-platforms-changed dangerous platforms of event `Order Completed`: removed `ios`"],
    );
    check(
        &fewer,
        BASE,
        &["event-platforms-changed safe platforms of event `Order Completed`: added `ios`"],
    );
    let kpis = edit(
        "    owner: growth\n    status: implemented\n",
        "    owner: growth\n    status: implemented\n    kpis: [conversion]\n",
    );
    check(
        BASE,
        &kpis,
        &["event-kpis-changed dangerous KPIs of event `Order Completed`: added `conversion`"],
    );
}

#[test]
fn plan_settings_goals_and_teams() {
    let new = edit(
        "name: Shop\n",
        "name: Acme Shop\nlint:\n  orphan-event: off\n",
    )
    .replace(
        "  revenue: {name: Revenue}",
        "  revenue: {name: Grow revenue}",
    )
    .replace("contact: \"#growth\"", "contact: \"#growth-team\"");
    check(
        BASE,
        &new,
        &[
            "name-changed safe name of the plan changed",
            "lint-changed safe severity of rule `orphan-event` changed from its default to off",
            "team-contact-changed safe contact of team `growth` changed",
            "name-changed safe name of goal `revenue` changed",
        ],
    );
}

#[test]
fn goal_and_team_removed() {
    let new = edit("  revenue: {name: Revenue}\n", "")
        .replace("  growth: {name: Growth, contact: \"#growth\"}\n", "");
    check(
        BASE,
        &new,
        &[
            "team-removed dangerous team `growth` removed",
            "goal-removed dangerous goal `revenue` removed",
        ],
    );
}

#[test]
fn a_plan_compared_with_nothing_is_all_additions() {
    let changes = diff(&Plan::default(), &plan(&[("trackplan.yaml", BASE)]));
    assert!(
        changes.iter().all(|c| c.level == Level::Safe),
        "{changes:#?}"
    );
    assert!(lines(&changes)
        .contains(&"event-added safe event `Order Completed` added with 3 properties".to_string()));
}

#[test]
fn unparseable_plans_are_told() {
    let broken = plan(&[
        ("trackplan.yaml", BASE),
        ("events/x.yaml", "events:\n  A: [\n"),
    ]);
    let failure = parse_failure(&broken).expect("a failure");
    assert_eq!(failure.path, "events/x.yaml");
    assert!(failure.line >= 2, "{failure}");
    assert!(parse_failure(&plan(&[("trackplan.yaml", BASE)])).is_none());
    let not_utf8 = Plan::new(vec![Arc::new(
        Content::Bytes(b"name: \xff\n".as_slice().into()).parse(FileId(0), "trackplan.yaml"),
    )]);
    assert!(parse_failure(&not_utf8).is_some());
}

#[test]
fn every_kind_has_a_distinct_kebab_name() {
    let mut seen = std::collections::HashSet::new();
    for kind in Kind::ALL {
        assert!(seen.insert(kind.as_str()), "{kind} twice");
        assert!(crate::case::is_kebab_id(kind.as_str()), "{kind}");
        assert_eq!(Kind::find(kind.as_str()), Some(*kind));
    }
}
