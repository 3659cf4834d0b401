//! Bad input is the normal case: malformed, truncated, binary, huge and hostile files give
//! diagnostics, never a panic, a hang or runaway memory.

mod support;

use std::sync::Arc;
use trackplan_core::{check, parse_file, Content, FileId, Plan};

fn rules_of(text: &str) -> Vec<&'static str> {
    let (diagnostics, _) = support::check_fixture(text);
    diagnostics.iter().map(|d| d.rule.as_str()).collect()
}

fn template(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../plans")
        .join(name)
        .join("trackplan.yaml");
    std::fs::read_to_string(path).expect("template")
}

#[test]
fn every_truncation_of_a_template_checks_without_panicking() {
    let text = template("fintech");
    let mut boundaries: Vec<usize> = (0..text.len())
        .step_by(61)
        .filter(|&i| text.is_char_boundary(i))
        .collect();
    boundaries.push(text.len());
    for end in boundaries {
        let _ = support::check_fixture(&text[..end]);
    }
}

#[test]
fn binary_bytes_are_reported_not_fatal() {
    let mut bytes = b"trackplan: 1\nname: X\nevents:\n  A: {}\n".to_vec();
    bytes.extend([0xff, 0xfe, 0x00, 0x9f, b'\n', 0x80]);
    let file = Content::from_bytes(&bytes).parse(FileId(0), "trackplan.yaml");
    let diagnostics = check(&Plan::new(vec![Arc::new(file)]));
    assert!(diagnostics
        .iter()
        .any(|d| d.rule == "yaml-syntax" && d.message.contains("UTF-8")));
    // Pure noise.
    let noise: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let file = Content::from_bytes(&noise).parse(FileId(0), "trackplan.yaml");
    let _ = check(&Plan::new(vec![Arc::new(file)]));
}

#[test]
fn deep_nesting_is_bounded() {
    for (open, close) in [("[", "]"), ("{a: ", "}"), ("- ", "")] {
        let depth = 100_000;
        let text = format!(
            "trackplan: 1\nname: X\nnotes: {}x{}\n",
            open.repeat(depth),
            close.repeat(depth)
        );
        let rules = rules_of(&text);
        assert!(
            rules.contains(&"limit-exceeded") || rules.contains(&"yaml-syntax"),
            "{open}: {rules:?}"
        );
    }
    let text = format!(
        "trackplan: 1\nname: X\nnotes: {}1{}\n",
        "[".repeat(65),
        "]".repeat(65)
    );
    assert!(rules_of(&text).contains(&"limit-exceeded"));
}

#[test]
fn alias_bombs_are_never_expanded() {
    let mut text = String::from("trackplan: 1\nname: X\nproperties:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..40 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        text.push_str(&format!("  a{i}: &a{i} [{refs}]\n"));
    }
    let rules = rules_of(&text);
    assert!(rules.iter().filter(|r| **r == "unsupported-yaml").count() > 40);
}

#[test]
fn files_over_ten_megabytes_are_not_read() {
    let mut text = String::from("trackplan: 1\nname: X\nevents:\n");
    while text.len() <= 10 * 1024 * 1024 {
        text.push_str("  Some Event Name That Repeats: {description: padding padding padding}\n");
    }
    let rules = rules_of(&text);
    assert_eq!(rules, ["limit-exceeded"]);
}

#[test]
fn tabs_are_reported_at_their_line() {
    let text = "trackplan: 1\nname: X\nevents:\n\tSigned Up: {}\n";
    let (diagnostics, rendered) = support::check_fixture(text);
    let d = diagnostics
        .iter()
        .find(|d| d.rule == "yaml-syntax")
        .expect(&rendered);
    assert!(rendered.contains("trackplan.yaml:4:"), "{rendered}");
    assert!(
        d.help.as_deref().unwrap_or_default().contains("tabs"),
        "{rendered}"
    );
}

#[test]
fn byte_order_marks_and_crlf_line_ends_read_like_plain_text() {
    let plain = template("blank");
    let crlf = plain.replace('\n', "\r\n");
    let bom = format!("\u{feff}{crlf}");
    for text in [&crlf, &bom] {
        let (diagnostics, rendered) = support::check_fixture(text);
        assert!(diagnostics.is_empty(), "{rendered}");
    }
    // Positions still land on the right line and column.
    let text = "\u{feff}trackplan: 1\r\nname: X\r\nevents:\r\n  Signed Up: {ownr: x}\r\n";
    let (_, rendered) = support::check_fixture(text);
    assert!(
        rendered.contains("trackplan.yaml:4:15: error[unknown-key]"),
        "{rendered}"
    );
}

#[test]
fn wrong_types_everywhere_are_diagnosed() {
    let text = "trackplan: [1]\nname: {a: b}\nconventions: snake\nlint: [x]\nidentity: yes\nteams: []\ngoals: 5\nkpis: {k: [1]}\nflows: {f: {name: F, steps: {a: b}, alternatives: [x]}}\nevents: {E: [1], F: {properties: 5}}\nproperties: {p: {type: [string]}}\nsuper_properties: {a: b}\n";
    let (diagnostics, rendered) = support::check_fixture(text);
    assert!(
        diagnostics
            .iter()
            .filter(|d| d.rule == "invalid-value")
            .count()
            >= 10,
        "{rendered}"
    );
}

#[test]
fn empty_and_whitespace_files_are_fine() {
    for text in ["", "\n\n", "# only a comment\n", "---\n", "~\n"] {
        let plan = Plan::new(vec![Arc::new(parse_file(FileId(0), "events.yaml", text))]);
        let diagnostics = check(&plan);
        assert!(
            diagnostics.iter().all(|d| d.rule == "missing-field"),
            "{text:?}: {diagnostics:?}"
        );
    }
}
