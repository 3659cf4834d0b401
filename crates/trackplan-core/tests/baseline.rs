//! Baselines end to end in the core: written from a check, read back, and matched against later
//! checks of the same plan with its entities moved between files, fixed or added.

mod support;

use support::{check, plan_from_fixture};
use trackplan_core::baseline::Baseline;
use trackplan_core::Plan;

/// A plan with findings of several kinds, some naming two entities, over two files.
const BEFORE: &str = "\
trackplan: 1
name: Shop
conventions: {event_case: title, property_case: snake}
identity: {identify: [Sign Up]}
teams:
  growth: {name: Growth}
events:
  Order Completed:
    description: Fired when the payment is confirmed.
    properties:
      quantity: {type: integer, description: Units., examples: [\"2\"]}
  Sign Up:
    description: Fired when the account is created.
    owner: growth
# file: events/more.yaml
events:
  Signup:
    description: Fired by the old client when the account is created.
    owner: growth
  Cart Viewed:
    description: Fired when the cart is shown.
    owner: growth
  Cart viewed:
    description: The same, written by another team.
    owner: growth
";

/// The same plan with every entity in another file and another order.
const MOVED: &str = "\
trackplan: 1
name: Shop
conventions: {event_case: title, property_case: snake}
identity: {identify: [Sign Up]}
teams:
  growth: {name: Growth}
events:
  Cart viewed:
    description: The same, written by another team.
    owner: growth
  Signup:
    description: Fired by the old client when the account is created.
    owner: growth
# file: a/first.yaml
events:
  Cart Viewed:
    description: Fired when the cart is shown.
    owner: growth
# file: z/last.yaml
events:
  Sign Up:
    description: Fired when the account is created.
    owner: growth
  Order Completed:
    description: Fired when the payment is confirmed.
    properties:
      quantity:
        type: integer
        description: Units.
        examples: [\"2\"]
";

fn baseline_of(plan: &Plan) -> Baseline {
    Baseline::of(plan, &check(plan))
}

fn rules_of(baseline: &Baseline) -> Vec<&str> {
    baseline.entries.iter().map(|e| e.rule.as_str()).collect()
}

#[test]
fn a_baseline_reads_back_as_written() {
    let plan = plan_from_fixture(BEFORE);
    let baseline = baseline_of(&plan);
    assert_eq!(
        rules_of(&baseline),
        [
            "event-name-case",
            "missing-owner",
            "orphan-event",
            "orphan-event",
            "orphan-event",
            "orphan-event",
            "similar-names",
            "similar-names",
            "type-mismatch",
        ],
        "{baseline:#?}"
    );
    let text = baseline.to_json();
    assert_eq!(Baseline::from_json(&text).unwrap(), baseline);
    assert!(text.contains("\"Order Completed\""), "{text}");
    assert!(!text.contains("more.yaml"), "no file names: {text}");
}

#[test]
fn moving_entities_between_files_keeps_every_entry_matched() {
    let baseline = baseline_of(&plan_from_fixture(BEFORE));
    let moved = plan_from_fixture(MOVED);
    let findings = check(&moved);
    // The pairs are reported on the other name now: `similar-names` names whichever comes second.
    assert!(findings
        .iter()
        .any(|d| d.message == "event `Sign Up` is easily confused with `Signup`"));
    let applied = baseline.apply(&moved, findings);
    assert!(applied.new.is_empty(), "{:#?}", applied.new);
    assert!(applied.gone.is_empty(), "{:#?}", applied.gone);
    assert_eq!(applied.known, baseline.entries.len());
}

#[test]
fn a_fixed_finding_is_gone_and_a_new_one_is_reported() {
    let baseline = baseline_of(&plan_from_fixture(BEFORE));
    let changed = MOVED
        .replace(
            "    description: Fired when the payment is confirmed.\n",
            "    description: Fired when the payment is confirmed.\n    owner: growth\n",
        )
        .replace(
            "  Cart Viewed:\n    description: Fired when the cart is shown.\n    owner: growth\n",
            "  Cart Viewed:\n    description: Fired when the cart is shown.\n",
        );
    let plan = plan_from_fixture(&changed);
    let applied = baseline.apply(&plan, check(&plan));
    let gone: Vec<(&str, &[String], &str)> = applied
        .gone
        .iter()
        .map(|e| (e.rule.as_str(), e.path.as_slice(), e.message.as_str()))
        .collect();
    assert_eq!(
        gone,
        [(
            "missing-owner",
            &["events".to_string(), "Order Completed".to_string()][..],
            "event `Order Completed` has no owner"
        )]
    );
    let new: Vec<&str> = applied.new.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(new, ["event `Cart Viewed` has no owner"]);
}

#[test]
fn equal_findings_need_one_entry_each() {
    let two = "trackplan: 1\nname: X\nevents:\n  A:\n    description: A.\n    status: done\n    platforms: [webb]\n";
    let plan = plan_from_fixture(two);
    let baseline = baseline_of(&plan);
    let mut fewer = baseline.clone();
    fewer
        .entries
        .retain(|e| e.rule != "invalid-value" || !e.message.contains("done"));
    let applied = fewer.apply(&plan, check(&plan));
    assert_eq!(applied.new.len(), 1, "{:#?}", applied.new);
    assert!(applied.new[0].message.contains("done"));
}

#[test]
fn files_that_are_not_baselines_are_refused() {
    for text in [
        "",
        "[]",
        "{\"version\": 1}",
        "{\"version\": 9, \"entries\": []}",
    ] {
        assert!(Baseline::from_json(text).is_err(), "{text}");
    }
}
