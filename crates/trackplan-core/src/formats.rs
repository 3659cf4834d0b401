//! Which strings are dates, URLs, e-mail addresses and the other formats a plan can name: for
//! `format:` and `datetime` values (`type-mismatch`) and for `links:` (`invalid-value`).

use crate::date::Date;
use crate::schema::Format;
use std::net::{Ipv4Addr, Ipv6Addr};

impl Format {
    /// Whether `text` is written in this format.
    pub fn accepts(self, text: &str) -> bool {
        match self {
            Format::Email => is_email(text),
            Format::Uri => is_absolute_url(text),
            Format::Uuid => is_uuid(text),
            Format::Ipv4 => text.parse::<Ipv4Addr>().is_ok(),
            Format::Ipv6 => text.parse::<Ipv6Addr>().is_ok(),
            Format::Date => Date::parse(text).is_some(),
            Format::DateTime => is_rfc3339(text),
            Format::Time => text.len() >= 8 && is_time(text, false),
            Format::Hostname => is_hostname(text),
        }
    }

    /// A value in this format, for help texts.
    pub fn example(self) -> &'static str {
        match self {
            Format::Email => "ada@example.com",
            Format::Uri => "https://example.com/page",
            Format::Uuid => "3f2c8a6e-9b1d-4c7e-8f00-12ab34cd56ef",
            Format::Ipv4 => "192.0.2.1",
            Format::Ipv6 => "2001:db8::1",
            Format::Date => "2024-05-01",
            Format::DateTime => "2024-05-01T12:30:00Z",
            Format::Time => "12:30:00",
            Format::Hostname => "shop.example.com",
        }
    }
}

/// A URL with a scheme (RFC 3986: a letter, then letters, digits, `+`, `-` or `.`, then `:`) and
/// something after it, without white space; `http` and `https` also need a host
/// (`https://host...`).
pub fn is_absolute_url(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok || rest.is_empty() || text.chars().any(char::is_whitespace) {
        return false;
    }
    if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") {
        return rest
            .strip_prefix("//")
            .is_some_and(|r| !r.is_empty() && !r.starts_with('/'));
    }
    true
}

/// `YYYY-MM-DD`, optionally followed by `T` or a space, `HH:MM`, optional seconds and fraction, and
/// an optional `Z` or `+HH:MM` offset: what a `datetime` property's values are.
pub fn is_iso8601(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        b.get(range)
            .is_some_and(|s| s.iter().all(u8::is_ascii_digit))
    };
    if b.len() < 10
        || !digits(0..4)
        || b[4] != b'-'
        || !digits(5..7)
        || b[7] != b'-'
        || !digits(8..10)
    {
        return false;
    }
    let month = (b[5] - b'0') * 10 + (b[6] - b'0');
    let day = (b[8] - b'0') * 10 + (b[9] - b'0');
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return false;
    }
    if b.len() == 10 {
        return true;
    }
    if !matches!(b[10], b'T' | b' ') || b.len() < 16 {
        return false;
    }
    is_time(&text[11..], true)
}

/// `HH:MM`, optional `:SS` and fraction, optional `Z` or `±HH:MM` offset (`minutes_only`: the
/// seconds may be left out).
fn is_time(text: &str, minutes_only: bool) -> bool {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        b.get(range)
            .is_some_and(|s| s.iter().all(u8::is_ascii_digit))
    };
    if b.len() < 5 || !digits(0..2) || b[2] != b':' || !digits(3..5) {
        return false;
    }
    let mut i = 5;
    if b.get(i) == Some(&b':') {
        if !digits(i + 1..i + 3) {
            return false;
        }
        i += 3;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == start {
                return false;
            }
        }
    } else if !minutes_only {
        return false;
    }
    match &b[i..] {
        [] | [b'Z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()),
        _ => false,
    }
}

/// RFC 3339 (JSON Schema's `date-time`): a date, `T`, a time with seconds, and an offset.
fn is_rfc3339(text: &str) -> bool {
    let b = text.as_bytes();
    let has_offset = text.ends_with('Z') || b.len() > 6 && matches!(b[b.len() - 6], b'+' | b'-');
    b.len() >= 20
        && b[10] == b'T'
        && text.get(..10).and_then(Date::parse).is_some()
        && is_time(&text[11..], false)
        && has_offset
}

fn is_email(text: &str) -> bool {
    match text.rsplit_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !text.chars().any(char::is_whitespace)
                && is_hostname(domain)
        }
        None => false,
    }
}

fn is_uuid(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// RFC 1123 host names: dot-separated labels of letters, digits and `-`, each 1 to 63 characters
/// and not starting or ending with `-`; 253 characters at most.
fn is_hostname(text: &str) -> bool {
    let text = text.strip_suffix('.').unwrap_or(text);
    !text.is_empty()
        && text.len() <= 253
        && text.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || c == b'-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_iso_dates() {
        assert!(is_iso8601("2024-05-01"));
        assert!(is_iso8601("2024-05-01T12:30:00Z"));
        assert!(is_iso8601("2024-05-01 12:30:00.123+02:00"));
        assert!(is_iso8601("2024-05-01T12:30"));
        assert!(!is_iso8601("2024-13-01"));
        assert!(!is_iso8601("yesterday"));
        assert!(!is_iso8601("2024-05-01T12"));
    }

    #[test]
    fn absolute_urls_have_a_scheme_and_http_ones_a_host() {
        for url in [
            "https://example.com/x",
            "http://localhost:8080",
            "mailto:a@b.c",
            "jira:DATA-12",
        ] {
            assert!(is_absolute_url(url), "{url}");
        }
        for url in [
            "example.com",
            "/docs/x",
            "https://",
            "https:///x",
            "1http://x",
            "https://a b",
            "",
        ] {
            assert!(!is_absolute_url(url), "{url}");
        }
    }

    #[test]
    fn every_format_accepts_its_example_and_rejects_prose() {
        use crate::schema::Word;
        for &format in Format::ALL {
            assert!(format.accepts(format.example()), "{format}");
            assert!(!format.accepts("not this one"), "{format}");
        }
    }

    #[test]
    fn formats_tell_near_misses_apart() {
        let cases = [
            (Format::Email, "ada@example", true),
            (Format::Email, "ada.example.com", false),
            (Format::Email, "ada@exa mple.com", false),
            (Format::Uuid, "3F2C8A6E-9B1D-4C7E-8F00-12AB34CD56EF", true),
            (Format::Uuid, "3f2c8a6e9b1d4c7e8f0012ab34cd56ef", false),
            (Format::Ipv4, "256.1.1.1", false),
            (Format::Ipv6, "::1", true),
            (Format::Date, "2024-02-30", false),
            (Format::DateTime, "2024-05-01T12:30:00.5+02:00", true),
            (Format::DateTime, "2024-05-01T12:30:00", false),
            (Format::DateTime, "2024-05-01 12:30:00Z", false),
            (Format::Time, "12:30", false),
            (Format::Time, "12:30:00+01:00", true),
            (Format::Hostname, "-bad.example.com", false),
            (Format::Hostname, "localhost", true),
            (Format::DateTime, "2024-05-0é1T12:30:00Z", false),
            (Format::DateTime, "éééééééééééééééééééé", false),
            (Format::Date, "2024-05-é", false),
            (Format::Email, "é@é", false),
        ];
        for (format, text, expected) in cases {
            assert_eq!(format.accepts(text), expected, "{format} {text}");
        }
    }
}
