//! Generators of large, realistic plans for benchmarks.

pub mod compare;
pub mod events;

use std::fmt::Write;
use std::path::Path;

/// The shape of a generated plan.
#[derive(Clone, Copy, Debug)]
pub struct PlanSize {
    pub events: usize,
    pub properties_per_event: usize,
    /// Files in all: the root, one for the property dictionary, the rest hold events.
    pub files: usize,
}

impl PlanSize {
    /// The size the benchmarks of the issues use: 5,000 events x 20 properties over 50 files.
    pub const LARGE: PlanSize = PlanSize {
        events: 5_000,
        properties_per_event: 20,
        files: 50,
    };
}

const DICTIONARY: usize = 1_000;
const EVENTS_PER_FLOW: usize = 10;

fn event_name(i: usize) -> String {
    const VERBS: [&str; 8] = [
        "Viewed",
        "Clicked",
        "Started",
        "Completed",
        "Added",
        "Removed",
        "Shared",
        "Updated",
    ];
    format!("Object {} {}", i / VERBS.len(), VERBS[i % VERBS.len()])
}

fn property_name(i: usize) -> String {
    format!("field_{i}")
}

/// Writes a plan that checks clean into `dir`: a root file with teams, goals, KPIs and flows, a
/// dictionary file, and the events spread over the remaining files. Each event uses dictionary
/// properties (shorthand and overriding forms) and defines a few of its own.
pub fn write_plan(dir: &Path, size: PlanSize) -> std::io::Result<()> {
    std::fs::create_dir_all(dir.join("events"))?;
    let flows = size.events.div_ceil(EVENTS_PER_FLOW);
    let mut root = String::from(
        "trackplan: 1\nname: Generated Plan\ndescription: A large generated plan for benchmarks.\n\
         conventions: {event_case: title, property_case: snake}\n\
         identity:\n  id_merge: simplified\n  identify: [Object 0 Viewed]\n\
         teams:\n  growth: {name: Growth, contact: \"#growth\"}\n  core: {name: Core, contact: \"#core\"}\n\
         goals:\n  grow: {name: Grow, description: Grow the business.}\nkpis:\n",
    );
    for k in 0..flows.div_ceil(10) {
        let _ = write!(
            root,
            "  kpi-{k}:\n    name: KPI {k}\n    goal: grow\n    definition: Users completing area {k} / users starting it, 7 days.\n    \
             description: How well area {k} converts.\n    priority: {}\n    owner: growth\n",
            k % 3 + 1
        );
    }
    root.push_str("flows:\n");
    for f in 0..flows {
        let steps: Vec<String> = (f * EVENTS_PER_FLOW
            ..((f + 1) * EVENTS_PER_FLOW).min(size.events))
            .map(event_name)
            .collect();
        let _ = write!(
            root,
            "  flow-{f}:\n    name: Flow {f}\n    description: Journey {f} through the product.\n    kpis: [kpi-{}]\n    steps: [{}]\n",
            f / 10,
            steps.join(", ")
        );
    }
    std::fs::write(dir.join("trackplan.yaml"), root)?;

    let mut dictionary = String::from("super_properties: [field_0, field_1]\nproperties:\n");
    for p in 0..DICTIONARY {
        let _ = match p % 4 {
            0 => writeln!(dictionary, "  {}: {{type: string, description: Field {p} of the object., examples: [value_{p}]}}", property_name(p)),
            1 => writeln!(dictionary, "  {}: {{type: integer, description: Count {p}., min: 0, max: 1000000, examples: [1, 42]}}", property_name(p)),
            2 => writeln!(dictionary, "  {}: {{type: string, description: Choice {p}., enum: [alpha, beta, gamma, delta]}}", property_name(p)),
            _ => writeln!(dictionary, "  {}: {{type: boolean, description: Flag {p}.}}", property_name(p)),
        };
    }
    std::fs::write(dir.join("properties.yaml"), dictionary)?;

    let event_files = size.files.saturating_sub(2).max(1);
    let per_file = size.events.div_ceil(event_files);
    for file in 0..event_files {
        let mut text = String::from("events:\n");
        for e in file * per_file..((file + 1) * per_file).min(size.events) {
            let _ = write!(
                text,
                "  {}:\n    description: Fired when object {} is acted on ({e}).\n    owner: {}\n    status: {}\n    platforms: [web, ios, android]\n    properties:\n",
                event_name(e),
                e / 8,
                if e % 2 == 0 { "growth" } else { "core" },
                ["proposed", "planned", "implemented"][e % 3]
            );
            for j in 0..size.properties_per_event {
                let p = (e * 7 + j * 13) % DICTIONARY;
                let _ = match j % 10 {
                    0..=6 => writeln!(text, "      {}: {}", property_name(p), if j % 2 == 0 { "required" } else { "optional" }),
                    7 => writeln!(text, "      {}: {{required: true, description: What field {p} means here.}}", property_name(p)),
                    8 => writeln!(text, "      e{e}_detail_{j}: {{type: string, description: Local detail {j}.}}"),
                    _ => writeln!(text, "      e{e}_amount_{j}: {{type: number, required: true, description: Local amount {j}., min: 0}}"),
                };
            }
        }
        std::fs::write(
            dir.join("events").join(format!("area-{file:02}.yaml")),
            text,
        )?;
    }
    Ok(())
}

/// Polls a child's peak resident memory (`VmHWM` from `/proc`) until it ends; (wall time, peak kB).
pub fn watch(
    mut child: std::process::Child,
    started: std::time::Instant,
) -> std::io::Result<(std::time::Duration, u64)> {
    watch_child(&mut child, started)
}

fn watch_child(
    child: &mut std::process::Child,
    started: std::time::Instant,
) -> std::io::Result<(std::time::Duration, u64)> {
    let status = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Ok(text) = std::fs::read_to_string(&status) {
            if let Some(kb) = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches(" kB").parse::<u64>().ok())
            {
                peak = peak.max(kb);
            }
        }
        if child.try_wait()?.is_some() {
            return Ok((started.elapsed(), peak));
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
}

/// One run of a measured command.
#[derive(Debug)]
pub struct Measured {
    pub wall: std::time::Duration,
    /// Peak resident memory in kB (`VmHWM`).
    pub peak_kb: u64,
    pub status: std::process::ExitStatus,
    pub stdout: String,
}

/// Runs a command as a user would, its standard output read to the end (so a full pipe never
/// blocks it), its errors where the command sends them (the terminal unless set): the wall time from start to exit and the peak memory.
pub fn run_measured(command: &mut std::process::Command) -> std::io::Result<Measured> {
    use std::process::Stdio;
    let started = std::time::Instant::now();
    let mut child = command.stdout(Stdio::piped()).spawn()?;
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut bytes).map(|_| bytes)
    });
    let (wall, peak_kb) = watch_child(&mut child, started)?;
    let status = child.wait()?;
    let bytes = reader.join().expect("the reader does not panic")?;
    Ok(Measured {
        wall,
        peak_kb,
        status,
        stdout: String::from_utf8_lossy(&bytes).into_owned(),
    })
}
