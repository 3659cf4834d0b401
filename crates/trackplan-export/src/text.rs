//! Writing helpers the text formats share: CSV bytes and example values as text.

use std::collections::BTreeSet;
use trackplan_core::model::Value;

/// CSV bytes (RFC 4180: quoted where needed, CRLF line ends as spreadsheets expect).
pub fn to_bytes<const N: usize>(header: &[&str; N], rows: &[[String; N]]) -> Vec<u8> {
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let written = writer.write_record(header).and_then(|()| {
        rows.iter()
            .try_for_each(|row| writer.write_record(row.iter()))
    });
    written.expect("writing CSV into memory cannot fail");
    writer
        .into_inner()
        .expect("flushing CSV into memory cannot fail")
}

/// Example values joined by ", " (each as the plan writes it; JSON for lists and mappings).
pub fn examples(values: &[&Value]) -> String {
    values
        .iter()
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The name, or the name with `_2`, `_3`... when two events would share one.
pub fn unique(name: String, taken: &mut BTreeSet<String>) -> String {
    let mut candidate = name.clone();
    let mut n = 2;
    while !taken.insert(candidate.clone()) {
        candidate = format!("{name}_{n}");
        n += 1;
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_names_get_a_number() {
        let mut taken = BTreeSet::new();
        let names: Vec<String> = ["a", "a", "a_2", "a"]
            .iter()
            .map(|n| unique(n.to_string(), &mut taken))
            .collect();
        assert_eq!(names, ["a", "a_2", "a_2_2", "a_3"]);
    }

    #[test]
    fn csv_quotes_what_needs_quotes() {
        let bytes = to_bytes(
            &["a", "b"],
            &[["x, y".to_string(), "say \"hi\"\nthere".to_string()]],
        );
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "a,b\r\n\"x, y\",\"say \"\"hi\"\"\nthere\"\r\n"
        );
    }
}
