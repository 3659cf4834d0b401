//! The plan's `lint:` section: severities change, `off` and YAML `false` silence a rule.

mod support;

const PLAN: &str = "trackplan: 1\nname: X\nteams: {growth: {name: Growth}}\nevents:\n  Signed Up: {description: Fired on sign-up., owner: growth}\n";

fn rules_with(lint: &str) -> Vec<(String, String)> {
    let (diagnostics, _) = support::check_fixture(&format!("{PLAN}{lint}"));
    diagnostics
        .iter()
        .map(|d| (d.rule.to_string(), d.severity.to_string()))
        .collect()
}

#[test]
fn levels_come_from_the_lint_section() {
    let default = rules_with("");
    assert!(
        default.contains(&("orphan-event".into(), "info".into())),
        "{default:?}"
    );
    assert!(
        default.contains(&("identity-unset".into(), "warning".into())),
        "{default:?}"
    );
    let raised = rules_with("lint: {orphan-event: error, identity-unset: info}\n");
    assert!(
        raised.contains(&("orphan-event".into(), "error".into())),
        "{raised:?}"
    );
    assert!(
        raised.contains(&("identity-unset".into(), "info".into())),
        "{raised:?}"
    );
    for off in ["off", "false"] {
        let silenced = rules_with(&format!(
            "lint: {{orphan-event: {off}, identity-unset: {off}}}\n"
        ));
        assert!(silenced.is_empty(), "{off}: {silenced:?}");
    }
}
