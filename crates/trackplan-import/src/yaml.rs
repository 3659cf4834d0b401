//! Plan files as YAML text, through serde_yaml.
//!
//! serde_yaml quotes what YAML 1.2 would read as another type, but writes `yes`, `no`, `on` and
//! `off` bare, which YAML 1.1 tools (and spreadsheets' YAML add-ons, PyYAML) read as booleans; and
//! dates bare, which they read as dates. Such strings are swapped for a placeholder before writing
//! and written double-quoted in its place.

use serde_yaml::{Mapping, Value};

/// A document as YAML text.
pub(crate) fn write(document: &Mapping) -> String {
    let marker = marker_for(document);
    let mut quoted = Vec::new();
    let protected = protect(&Value::Mapping(document.clone()), marker, &mut quoted);
    let text = serde_yaml::to_string(&protected).unwrap_or_default();
    if quoted.is_empty() {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(start) = rest.find(marker) {
        out.push_str(&rest[..start]);
        let after = &rest[start + marker.len_utf8()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let index: usize = after[..digits].parse().unwrap_or(usize::MAX);
        let closed = after[digits..].starts_with(marker);
        match quoted.get(index) {
            Some(original) if closed => {
                out.push_str(&serde_json::to_string(original).unwrap_or_default());
                rest = &after[digits + marker.len_utf8()..];
            }
            _ => {
                out.push(marker);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A private-use character no string of the document holds.
fn marker_for(document: &Mapping) -> char {
    let text = serde_yaml::to_string(document).unwrap_or_default();
    ('\u{E000}'..='\u{F8FF}')
        .find(|c| !text.contains(*c))
        .unwrap_or('\u{E000}')
}

/// Strings a YAML 1.1 reader would not read as strings when written bare.
fn needs_yaml_1_1_quotes(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    if matches!(lower.as_str(), "y" | "n" | "yes" | "no" | "on" | "off") {
        return true;
    }
    let bytes = text.as_bytes();
    // A timestamp: YYYY-M(M)-D(D), maybe followed by a time.
    bytes.len() >= 8
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[5].is_ascii_digit()
}

fn protect(value: &Value, marker: char, quoted: &mut Vec<String>) -> Value {
    match value {
        Value::String(s) if needs_yaml_1_1_quotes(s) => {
            quoted.push(s.clone());
            Value::String(format!("{marker}{}{marker}", quoted.len() - 1))
        }
        Value::Mapping(m) => Value::Mapping(
            m.iter()
                .map(|(k, v)| (protect(k, marker, quoted), protect(v, marker, quoted)))
                .collect(),
        ),
        Value::Sequence(s) => {
            Value::Sequence(s.iter().map(|v| protect(v, marker, quoted)).collect())
        }
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_1_1_booleans_and_dates_are_quoted() {
        let mut m = Mapping::new();
        for word in [
            "yes",
            "no",
            "on",
            "off",
            "y",
            "n",
            "Yes",
            "NO",
            "On",
            "true",
            "null",
            "1.0",
            "2024-01-01",
        ] {
            m.insert(word.into(), Value::Sequence(vec![word.into()]));
        }
        m.insert("note".into(), "yes\nno".into());
        let text = write(&m);
        insta::assert_snapshot!(text, @r###"
        "yes":
        - "yes"
        "no":
        - "no"
        "on":
        - "on"
        "off":
        - "off"
        "y":
        - "y"
        "n":
        - "n"
        "Yes":
        - "Yes"
        "NO":
        - "NO"
        "On":
        - "On"
        'true':
        - 'true'
        'null':
        - 'null'
        '1.0':
        - '1.0'
        "2024-01-01":
        - "2024-01-01"
        note: |-
          yes
          no
        "###);
        // A string that looks like a placeholder stays itself.
        let mut tricky = Mapping::new();
        tricky.insert("\u{E000}0\u{E000}".into(), "on".into());
        assert_eq!(write(&tricky), "\u{E000}0\u{E000}: \"on\"\n");
    }
}
