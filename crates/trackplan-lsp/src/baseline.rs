//! The plan's baseline (`baseline:` in `trackplan.yaml`): the editor shows only the findings it
//! does not hold, as `trackplan check` does. The file is read again for every analysis, so a
//! baseline rewritten by `trackplan check --write-baseline` counts from the next edit on.

use std::path::Path;
use trackplan_core::baseline::Baseline;
use trackplan_core::rules::RuleName;
use trackplan_core::{Diagnostic, Plan, Severity};

/// The findings to show: those the plan's baseline does not hold. A baseline that cannot be read
/// is reported on the `baseline:` line, and every finding is shown.
pub fn apply(root: &Path, plan: &Plan, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let Some(named) = plan.settings().baseline else {
        return diagnostics;
    };
    let file = root.join(&named.value);
    let read = std::fs::read_to_string(&file)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => format!(
                "no such file; write it with `trackplan check --write-baseline {}`",
                named.value
            ),
            _ => e.to_string(),
        })
        .and_then(|text| Baseline::from_json(&text).map_err(|e| e.to_string()));
    match read {
        Ok(baseline) => baseline.apply(plan, diagnostics).new,
        Err(why) => {
            let mut unreadable = Diagnostic::new(
                RuleName::InvalidValue,
                named.span,
                format!("cannot read the baseline `{}`: {why}", named.value),
            )
            .with_help("every finding is shown until the baseline can be read");
            unreadable.severity = Severity::Error;
            let mut all = diagnostics;
            all.push(unreadable);
            all
        }
    }
}
