//! The semantic diff of format 1.1's fields: one test per kind of change they bring, two
//! versions of a plan in, the changes (kind, level, summary) out.

use std::sync::Arc;
use trackplan_core::diff::{diff, Change};
use trackplan_core::{parse_file, FileId, Plan};

fn plan(text: &str) -> Plan {
    Plan::new(vec![Arc::new(parse_file(
        FileId(0),
        "trackplan.yaml",
        text,
    ))])
}

fn lines(changes: &[Change]) -> Vec<String> {
    changes
        .iter()
        .map(|c| format!("{} {} {}", c.kind, c.level, c.summary))
        .collect()
}

#[track_caller]
fn check(old: &str, new: &str, expect: &[&str]) {
    assert_eq!(lines(&diff(&plan(old), &plan(new))), expect);
}

const BASE: &str = r##"trackplan: 1
name: Shop
teams:
  growth: {name: Growth}
  web: {name: Web}
events:
  Order Completed:
    description: Order placed.
    owner: growth
    properties:
      order_id: required
      shipping:
        type: object
        description: Where the order goes.
        properties:
          country: required
          city: {type: string, description: City}
properties:
  order_id: {type: string, description: The order's id.}
  country: {type: string, description: Country code.}
  coupon: {type: string, description: Coupon code.}
  price: {type: number, description: Price.}
  sizes: {type: list, items: string, description: Sizes.}
"##;

#[track_caller]
fn edit(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "base has no {from:?}");
    BASE.replacen(from, to, 1)
}

#[test]
fn a_plan_without_format_1_1_fields_diffs_as_before() {
    check(BASE, BASE, &[]);
}

#[test]
fn type_lists_widen_narrow_and_change() {
    let wide = edit(
        "  coupon: {type: string,",
        "  coupon: {type: [string, integer],",
    );
    check(
        BASE,
        &wide,
        &["property-type-widened dangerous type of property `coupon` changed from string to [string, integer]"],
    );
    check(
        &wide,
        BASE,
        &["property-type-narrowed breaking type of property `coupon` changed from [string, integer] to string"],
    );
    let any = edit("  coupon: {type: string,", "  coupon: {type: any,");
    check(
        &wide,
        &any,
        &["property-type-widened dangerous type of property `coupon` changed from [string, integer] to any"],
    );
    let other = edit(
        "  coupon: {type: string,",
        "  coupon: {type: [boolean, integer],",
    );
    check(
        &wide,
        &other,
        &["property-type-changed breaking type of property `coupon` changed from [string, integer] to [integer, boolean]"],
    );
    // The same set written in another order is no change.
    let reordered = edit(
        "  coupon: {type: string,",
        "  coupon: {type: [integer, string],",
    );
    check(&wide, &reordered, &[]);
}

#[test]
fn nullable_on_and_off() {
    let nullable = edit(
        "  coupon: {type: string,",
        "  coupon: {type: string, nullable: true,",
    );
    check(
        BASE,
        &nullable,
        &["property-nullable dangerous property `coupon` may now be null"],
    );
    check(
        &nullable,
        BASE,
        &["property-not-nullable breaking property `coupon` may no longer be null"],
    );
}

#[test]
fn lengths_and_formats() {
    let limited = edit(
        "  coupon: {type: string,",
        "  coupon: {type: string, min_length: 4, max_length: 12, format: uuid,",
    );
    check(
        BASE,
        &limited,
        &[
            "length-changed breaking min_length of property `coupon` changed from none to 4",
            "length-changed breaking max_length of property `coupon` changed from none to 12",
            "format-changed breaking format of property `coupon` changed from unset to uuid",
        ],
    );
    let wider = limited
        .replace("min_length: 4", "min_length: 2")
        .replace("max_length: 12", "max_length: 40")
        .replace(" format: uuid,", "");
    check(
        &limited,
        &wider,
        &[
            "length-changed safe min_length of property `coupon` changed from 4 to 2",
            "length-changed safe max_length of property `coupon` changed from 12 to 40",
            "format-changed safe format of property `coupon` changed from uuid to unset",
        ],
    );
    let narrower = limited.replace("max_length: 12", "max_length: 8");
    check(
        &limited,
        &narrower,
        &["length-changed breaking max_length of property `coupon` changed from 12 to 8"],
    );
}

#[test]
fn multiple_of() {
    let cents = edit(
        "  price: {type: number,",
        "  price: {type: number, multiple_of: 0.01,",
    );
    check(
        BASE,
        &cents,
        &["multiple-of-changed breaking multiple_of of property `price` changed from none to 0.01"],
    );
    let finer = cents.replace("0.01", "0.005");
    check(
        &cents,
        &finer,
        &["multiple-of-changed safe multiple_of of property `price` changed from 0.01 to 0.005"],
    );
    let coarser = cents.replace("0.01", "0.05");
    check(
        &cents,
        &coarser,
        &["multiple-of-changed breaking multiple_of of property `price` changed from 0.01 to 0.05"],
    );
    check(
        &cents,
        BASE,
        &["multiple-of-changed safe multiple_of of property `price` changed from 0.01 to none"],
    );
}

#[test]
fn list_sizes() {
    let sized = edit(
        "  sizes: {type: list, items: string,",
        "  sizes: {type: list, items: string, min_items: 1, max_items: 3, unique_items: true,",
    );
    check(
        BASE,
        &sized,
        &[
            "list-size-changed breaking min_items of property `sizes` changed from none to 1",
            "list-size-changed breaking max_items of property `sizes` changed from none to 3",
            "list-size-changed breaking property `sizes` now takes each item once (unique_items)",
        ],
    );
    let looser = sized
        .replace("min_items: 1, ", "")
        .replace("max_items: 3", "max_items: 5")
        .replace(", unique_items: true", "");
    check(
        &sized,
        &looser,
        &[
            "list-size-changed safe min_items of property `sizes` changed from 1 to none",
            "list-size-changed safe max_items of property `sizes` changed from 3 to 5",
            "list-size-changed safe property `sizes` may now repeat items",
        ],
    );
}

#[test]
fn events_and_objects_closed_and_opened() {
    let closed = edit(
        "    owner: growth\n    properties:",
        "    owner: growth\n    additional_properties: false\n    properties:",
    );
    check(
        BASE,
        &closed,
        &["properties-closed breaking event `Order Completed` is now closed: nothing is sent beyond its planned properties"],
    );
    check(
        &closed,
        BASE,
        &["properties-opened safe event `Order Completed` is no longer closed"],
    );
    let object = edit(
        "        description: Where the order goes.\n",
        "        description: Where the order goes.\n        additional_properties: false\n",
    );
    check(
        BASE,
        &object,
        &["properties-closed breaking property `shipping` of event `Order Completed` is now closed: nothing is sent beyond its planned properties"],
    );
    // Closed by the plan's default: the default's change is told once, with the settings; an
    // event that now says what the default says changes nothing.
    let by_default = edit("name: Shop\n", "name: Shop\nadditional_properties: false\n");
    check(
        BASE,
        &by_default,
        &["default-closed-changed breaking the plan now closes events and object properties that do not say (additional_properties: false)"],
    );
    let says_so = by_default.replace(
        "    owner: growth\n    properties:",
        "    owner: growth\n    additional_properties: false\n    properties:",
    );
    check(&by_default, &says_so, &[]);
    check(
        &by_default,
        BASE,
        &["default-closed-changed safe the plan no longer closes events and object properties by default"],
    );
}

#[test]
fn nested_properties_by_name_and_required() {
    let new = BASE
        .replace(
            "          country: required\n",
            "          country: optional\n          coupon: required\n",
        )
        .replace(
            "          city: {type: string, description: City}",
            "          city: {type: string, description: City, required: true}",
        );
    check(
        BASE,
        &new,
        &[
            "property-required breaking property `shipping.city` of event `Order Completed` is now required",
            "property-optional safe property `shipping.country` of event `Order Completed` is now optional",
            "object-property-added breaking property `shipping.coupon` of event `Order Completed` added (required)",
        ],
    );
}

#[test]
fn owners_links_sensitivity_and_expiry() {
    let new = edit(
        "    description: Order placed.\n    owner: growth\n",
        "    description: Order placed.\n    owners: [growth, web]\n    links: {dashboard: \"https://bi.example.com/orders\"}\n    sensitivity: personal\n    expires: 2030-01-31\n",
    )
    .replace(
        "  order_id: {type: string, description: The order's id.}",
        "  order_id: {type: string, description: The order's id., sensitivity: internal, expires: 2031-12-31}",
    );
    check(
        BASE,
        &new,
        &[
            "sensitivity-changed safe sensitivity of event `Order Completed` changed from unset to personal",
            "expires-changed safe expiry date of event `Order Completed` changed from none to 2030-01-31",
            "owner-changed safe owner `growth` of event `Order Completed` removed",
            "owner-changed safe owners of event `Order Completed`: added `growth`, `web`",
            "links-changed safe links of event `Order Completed` changed",
            "sensitivity-changed safe sensitivity of property `order_id` changed from unset to internal",
            "expires-changed safe expiry date of property `order_id` changed from none to 2031-12-31",
        ],
    );
}

#[test]
fn plan_settings_of_format_1_1() {
    let new = edit(
        "name: Shop\n",
        "name: Shop\ndestinations: [segment, amplitude]\nbaseline: .trackplan/baseline.json\n",
    );
    check(
        BASE,
        &new,
        &[
            "baseline-changed safe baseline of the plan added",
            "destinations-changed dangerous destinations of the plan: added `segment`, `amplitude`; removed `mixpanel`",
        ],
    );
}
