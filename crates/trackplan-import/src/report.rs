//! The import report: what the plan format could not hold (with counts and the first example of
//! each), the input files skipped and why, and what was kept elsewhere than its natural place.

use std::fmt::Write;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    /// What was lost or changed, one row per kind, in the order first met.
    pub losses: Vec<Loss>,
    /// Input files not imported at all.
    pub skipped: Vec<Skipped>,
    /// What was kept, but not where the source had it (for the reader to check), one row per kind.
    pub kept: Vec<Loss>,
    /// Counts of what was imported, for the summary line.
    pub events: usize,
    pub properties: usize,
}

/// One kind of loss: what, how many times, and the first place it happened.
#[derive(Clone, Debug, PartialEq)]
pub struct Loss {
    pub what: String,
    pub count: usize,
    pub example: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

impl Report {
    /// Something the plan cannot hold, at `example` (where in the source).
    pub fn loss(&mut self, what: impl Into<String>, example: impl Into<String>) {
        count(&mut self.losses, what.into(), example.into());
    }

    /// Something kept in another place than the source had it (notes, tags, links).
    pub fn kept(&mut self, what: impl Into<String>, example: impl Into<String>) {
        count(&mut self.kept, what.into(), example.into());
    }

    pub fn skip(&mut self, path: impl Into<String>, reason: impl Into<String>) {
        self.skipped.push(Skipped {
            path: path.into(),
            reason: reason.into(),
        });
    }

    /// Nothing lost, nothing skipped.
    pub fn is_lossless(&self) -> bool {
        self.losses.is_empty() && self.skipped.is_empty()
    }

    /// The report as the command prints it.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "imported {} event{} and {} propert{}",
            self.events,
            plural(self.events, "", "s"),
            self.properties,
            plural(self.properties, "y", "ies")
        );
        if !self.skipped.is_empty() {
            let _ = writeln!(
                out,
                "skipped {} input file{}:",
                self.skipped.len(),
                plural(self.skipped.len(), "", "s")
            );
            for skipped in &self.skipped {
                // Reasons read from a file already start with its path and the place in it.
                if skipped.reason.starts_with(&skipped.path) {
                    let _ = writeln!(out, "  {}", skipped.reason);
                } else {
                    let _ = writeln!(out, "  {}: {}", skipped.path, skipped.reason);
                }
            }
        }
        section(
            &mut out,
            "not kept (the plan format has no place for it)",
            &self.losses,
        );
        section(&mut out, "kept elsewhere (check these)", &self.kept);
        if self.is_lossless() {
            out.push_str("nothing was lost\n");
        }
        out
    }
}

fn section(out: &mut String, title: &str, rows: &[Loss]) {
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(out, "{title}:");
    for row in rows {
        let _ = writeln!(
            out,
            "  {} × {}, first at {}",
            row.count, row.what, row.example
        );
    }
}

fn count(rows: &mut Vec<Loss>, what: String, example: String) {
    match rows.iter_mut().find(|row| row.what == what) {
        Some(row) => row.count += 1,
        None => rows.push(Loss {
            what,
            count: 1,
            example,
        }),
    }
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}
