//! The labels of findings on real plans (`labels.tsv`), shared by the core's test of the hand
//! conversions (`crates/trackplan-core/tests/realdata.rs`) and the importers' test of the same
//! plans as imported (`crates/trackplan-import/tests/precision.rs`).

use std::collections::BTreeMap;
use std::path::Path;

/// The rules that judge names and values, whose findings are labelled; the others state facts.
pub const JUDGED: &[&str] = &[
    "pii-unflagged",
    "similar-names",
    "property-type-conflict",
    "identity-unset",
    "reserved-name",
    "name-too-long",
    "too-many-properties",
    "type-mismatch",
];

/// A finding as labels.tsv names it: plan, rule, path of keys, message.
pub type Finding = (String, String, String, String);

/// A labels file: `plan`, `rule`, `path`, `message`, `true` or `false alarm`, why; each finding
/// with whether it is a false alarm and why.
pub fn read_labels(path: &Path) -> BTreeMap<Finding, (bool, String)> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut labels = BTreeMap::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        let at = format!("{}:{}", path.display(), n + 1);
        let fields: Vec<&str> = line.split('\t').collect();
        let [plan, rule, path, message, verdict, why] = fields[..] else {
            panic!("{at}: six tab-separated fields expected");
        };
        let finding = (plan.into(), rule.into(), path.into(), message.into());
        let alarm = match verdict {
            "true" => false,
            "false alarm" => true,
            other => panic!("{at}: verdict `{other}`"),
        };
        let repeated = labels.insert(finding, (alarm, why.to_string()));
        assert!(repeated.is_none(), "{at}: a finding labelled twice");
    }
    labels
}
