//! What a scalar means (YAML 1.2 core schema) and when a name must be quoted to stay a string.

use super::ScalarStyle;

/// A scalar resolved under the YAML 1.2 core schema, as any YAML 1.2 reader would see it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ScalarValue<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'a str),
}

impl<'a> ScalarValue<'a> {
    pub fn resolve(text: &'a str, style: ScalarStyle) -> ScalarValue<'a> {
        if style != ScalarStyle::Plain {
            return ScalarValue::Str(text);
        }
        match text {
            "" | "~" | "null" | "Null" | "NULL" => return ScalarValue::Null,
            "true" | "True" | "TRUE" => return ScalarValue::Bool(true),
            "false" | "False" | "FALSE" => return ScalarValue::Bool(false),
            ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
                return ScalarValue::Float(f64::INFINITY)
            }
            "-.inf" | "-.Inf" | "-.INF" => return ScalarValue::Float(f64::NEG_INFINITY),
            ".nan" | ".NaN" | ".NAN" => return ScalarValue::Float(f64::NAN),
            _ => {}
        }
        if let Some(int) = parse_int(text) {
            return ScalarValue::Int(int);
        }
        if is_float(text) {
            if let Ok(float) = text.parse::<f64>() {
                return ScalarValue::Float(float);
            }
        }
        ScalarValue::Str(text)
    }

    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            ScalarValue::Int(i) => Some(i as f64),
            ScalarValue::Float(f) => Some(f),
            _ => None,
        }
    }
}

fn parse_int(text: &str) -> Option<i64> {
    if let Some(hex) = text.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok();
    }
    if let Some(oct) = text.strip_prefix("0o") {
        return i64::from_str_radix(oct, 8).ok();
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return text.parse().ok();
    }
    None
}

/// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
fn is_float(text: &str) -> bool {
    let bytes = text.strip_prefix(['-', '+']).unwrap_or(text).as_bytes();
    let mut i = 0;
    let int_digits = count_digits(&bytes[i..]);
    i += int_digits;
    let mut frac_digits = 0;
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        frac_digits = count_digits(&bytes[i..]);
        i += frac_digits;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        let exp = count_digits(&bytes[i..]);
        if exp == 0 {
            return false;
        }
        i += exp;
    }
    i == bytes.len()
}

fn count_digits(bytes: &[u8]) -> usize {
    bytes.iter().take_while(|b| b.is_ascii_digit()).count()
}

/// Whether a name must be quoted to be read back as the same string by a YAML reader: it would
/// resolve to something other than a string (also under YAML 1.1 readers: `yes`, `no`, `on`,
/// `off`), starts with an indicator, contains `: `, ` #`, flow indicators or a comma, has edge spaces,
/// or has characters a plain scalar cannot hold.
pub fn needs_quotes(name: &str) -> bool {
    if name.is_empty() || name.trim() != name {
        return true;
    }
    if !matches!(
        ScalarValue::resolve(name, ScalarStyle::Plain),
        ScalarValue::Str(_)
    ) {
        return true;
    }
    let lower = name.to_ascii_lowercase();
    if matches!(lower.as_str(), "y" | "n" | "yes" | "no" | "on" | "off") {
        return true;
    }
    let first = name.chars().next().unwrap_or(' ');
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        return true;
    }
    name.contains(": ")
        || name.ends_with(':')
        || name.contains(" #")
        || name
            .chars()
            .any(|c| matches!(c, ',' | '[' | ']' | '{' | '}' | '#' | ':') || c.is_control())
}

/// The name as YAML text: bare when it can be, otherwise double-quoted with escapes.
pub fn quote_if_needed(name: &str) -> String {
    if !needs_quotes(name) {
        return name.to_string();
    }
    let mut out = String::with_capacity(name.len() + 2);
    out.push('"');
    for c in name.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The text that replaces a name written as `original` (quotes included) by `new_name`: the same
/// quoting style when the original was quoted, bare when it was bare and may stay so, double quotes
/// when YAML needs them.
pub fn requote(original: &str, new_name: &str) -> String {
    if original.starts_with('\'') {
        return format!("'{}'", new_name.replace('\'', "''"));
    }
    if original.starts_with('"') {
        let quoted = quote_if_needed(new_name);
        return if quoted.starts_with('"') {
            quoted
        } else {
            format!("\"{new_name}\"")
        };
    }
    quote_if_needed(new_name)
}
