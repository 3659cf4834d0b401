//! Prints where `check` spends its time on the large generated plan (a profiling aid).

use std::sync::Arc;
use std::time::Instant;
use trackplan_bench::{write_plan, PlanSize};

fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    write_plan(dir.path(), PlanSize::LARGE)?;
    let mut paths = vec![
        dir.path().join("trackplan.yaml"),
        dir.path().join("properties.yaml"),
    ];
    for entry in std::fs::read_dir(dir.path().join("events"))? {
        paths.push(entry?.path());
    }
    let texts: Vec<(String, String)> = paths
        .iter()
        .map(|p| {
            (
                p.strip_prefix(dir.path())
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read_to_string(p).unwrap(),
            )
        })
        .collect();
    if let Some(keep) = std::env::args().nth(1) {
        write_plan(std::path::Path::new(&keep), PlanSize::LARGE)?;
    }
    for round in 0..3 {
        let t = Instant::now();
        let trees: Vec<_> = texts
            .iter()
            .enumerate()
            .map(|(i, (_, text))| {
                trackplan_core::syntax::parse(trackplan_core::FileId(i as u32), text)
            })
            .collect();
        let parse = t.elapsed();
        drop(trees);
        let t = Instant::now();
        let files: Vec<_> = texts
            .iter()
            .enumerate()
            .map(|(i, (path, text))| {
                Arc::new(trackplan_core::parse_file(
                    trackplan_core::FileId(i as u32),
                    path,
                    text.as_str(),
                ))
            })
            .collect();
        let parse_and_lower = t.elapsed();
        let t = Instant::now();
        let plan = trackplan_core::Plan::new(files);
        let index = trackplan_core::Index::new(&plan);
        let index_time = t.elapsed();
        drop(index);
        let t = Instant::now();
        let diagnostics = trackplan_core::check(&plan);
        let check_time = t.elapsed();
        let t = Instant::now();
        let symbols = trackplan_core::Symbols::new(&plan);
        println!(
            "  symbols {:?} ({} occurrences)",
            t.elapsed(),
            symbols.all().len()
        );
        if round == 2 {
            per_rule(&plan);
        }
        println!("round {round}: parse {parse:?}, parse+lower {parse_and_lower:?}, index {index_time:?}, check {check_time:?} ({} diagnostics)", diagnostics.len());
    }
    Ok(())
}

/// Time per plan-wide rule.
#[allow(dead_code)]
pub fn per_rule(plan: &trackplan_core::Plan) {
    let index = trackplan_core::Index::new(plan);
    let cx = trackplan_core::rules::Context {
        plan,
        index: &index,
        // A fixed day, so that `expired` runs as it does for users.
        today: trackplan_core::Date::parse("2025-06-01"),
    };
    for rule in trackplan_core::rules::RULES {
        let t = Instant::now();
        let mut out = Vec::new();
        rule.rule.check_plan(&cx, &mut out);
        println!("  {:<24} {:?}", rule.name(), t.elapsed());
    }
}
