//! The `format:` checks of `trackplan_core::formats` as regular expressions, for the SQL query.
//!
//! The audit checks formats with code; an engine can only match patterns. Each format is a few
//! patterns a value must match and a few it must not, written in the syntax RE2 (DuckDB,
//! BigQuery), Java (Spark) and POSIX (Snowflake) share: character classes, groups, alternation,
//! bounded repetition, `^` and `$` (which the dialect turns into its end of text). Characters are
//! listed, never named (`\s`, `\d` and `[[:space:]]` differ between engines), and white space is
//! Rust's (`char::is_whitespace`, Unicode's `White_Space`), written out.
//!
//! The test at the bottom holds them to `Format::accepts` on generated near misses.

use trackplan_core::model::Format;

/// What the value must match (`all`) and must not (`none`) to be in the format.
pub(super) struct FormatPatterns {
    pub all: Vec<String>,
    pub none: Vec<String>,
}

/// Unicode's `White_Space` characters, which `char::is_whitespace` tells apart.
pub(super) const WHITE_SPACE: &str = "\t\n\u{b}\u{c}\r \u{85}\u{a0}\u{1680}\u{2000}\u{2001}\u{2002}\u{2003}\u{2004}\u{2005}\u{2006}\u{2007}\u{2008}\u{2009}\u{200a}\u{2028}\u{2029}\u{202f}\u{205f}\u{3000}";

const HEX: &str = "[0-9A-Fa-f]";

/// A host name's label: letters, digits and `-`, 1 to 63 of them, not starting or ending with `-`.
const LABEL: &str = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";

/// `0` to `255` without leading zeros (Rust's `Ipv4Addr` refuses them).
const OCTET: &str = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";

fn not_white_space() -> String {
    format!("[^{WHITE_SPACE}]")
}

fn hostname() -> String {
    format!("{LABEL}(\\.{LABEL})*\\.?")
}

/// Longer than 253 characters without one final dot, after `start` (`^`, or the `@` of an
/// address); `[^@]` keeps it to the text after the last `@`.
fn host_too_long(start: &str) -> String {
    format!("{start}([^@]{{253,}}[^@.]|[^@]{{254,}}\\.)$")
}

fn ipv4() -> String {
    format!("{OCTET}\\.{OCTET}\\.{OCTET}\\.{OCTET}")
}

/// Rust's `Ipv6Addr`: eight groups of one to four hex digits, or fewer around one `::` (which
/// stands for at least one group), the last two of which may be an IPv4 address.
fn ipv6() -> String {
    let group = format!("{HEX}{{1,4}}");
    let v4 = ipv4();
    let mut forms = vec![
        format!("({group}:){{7}}{group}"),
        format!("({group}:){{6}}{v4}"),
    ];
    for head in 0..=7usize {
        let before = match head {
            0 => String::new(),
            1 => group.clone(),
            n => format!("({group}:){{{}}}{group}", n - 1),
        };
        // Groups left for after `::`.
        let room = 7 - head;
        let mut after = vec![String::new()];
        if room >= 1 {
            after.push(format!("{group}(:{group}){{0,{}}}", room - 1));
        }
        if room >= 2 {
            after.push(format!("({group}:){{0,{}}}{v4}", room - 2));
        }
        for tail in after {
            forms.push(format!("{before}::{tail}"));
        }
    }
    format!("({})", forms.join("|"))
}

/// `YYYY-MM-DD`, a real day of the Gregorian calendar.
fn date() -> String {
    let year = "[0-9]{4}";
    let leap = "([0-9]{2}(0[48]|[2468][048]|[13579][26])|([02468][048]|[13579][26])00)";
    format!(
        "({year}-(0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|{year}-(0[469]|11)-(0[1-9]|[12][0-9]|30)|{year}-02-(0[1-9]|1[0-9]|2[0-8])|{leap}-02-29)"
    )
}

/// `HH:MM:SS`, an optional fraction, then `Z` or an offset (`offset`: required or optional).
fn time(offset: &str) -> String {
    format!("[0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}}(\\.[0-9]+)?(Z|[+-][0-9]{{2}}:[0-9]{{2}}){offset}")
}

pub(super) fn patterns(format: Format) -> FormatPatterns {
    let whole = |pattern: String| format!("^{pattern}$");
    let (all, none) = match format {
        Format::Email => (
            vec![format!("^{}+@{}$", not_white_space(), hostname())],
            vec![host_too_long("@")],
        ),
        Format::Hostname => (vec![whole(hostname())], vec![host_too_long("^")]),
        Format::Uri => (
            vec![format!("^[A-Za-z][A-Za-z0-9+.-]*:{}+$", not_white_space())],
            // `http` and `https` need `//` and a host.
            vec!["^[hH][tT][tT][pP][sS]?:(/?/?$|[^/]|/[^/]|///)".to_string()],
        ),
        Format::Uuid => (
            vec![whole(format!(
                "{HEX}{{8}}-{HEX}{{4}}-{HEX}{{4}}-{HEX}{{4}}-{HEX}{{12}}"
            ))],
            vec![],
        ),
        Format::Ipv4 => (vec![whole(ipv4())], vec![]),
        Format::Ipv6 => (vec![whole(ipv6())], vec![]),
        Format::Date => (vec![whole(date())], vec![]),
        Format::DateTime => (vec![whole(format!("{}T{}", date(), time("")))], vec![]),
        Format::Time => (vec![whole(time("?"))], vec![]),
    };
    FormatPatterns { all, none }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;
    use trackplan_core::schema::Word;

    fn accepts(patterns: &[(Regex, bool)], text: &str) -> bool {
        patterns.iter().all(|(re, want)| re.is_match(text) == *want)
    }

    fn compiled(format: Format) -> Vec<(Regex, bool)> {
        let p = patterns(format);
        p.all
            .iter()
            .map(|r| (Regex::new(r).unwrap(), true))
            .chain(p.none.iter().map(|r| (Regex::new(r).unwrap(), false)))
            .collect()
    }

    /// A small deterministic generator (xorshift), so a failure can be replayed.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    /// Texts near each format: its example and other valid values, cut, grown, with characters
    /// swapped for ones that matter to some format.
    fn near_misses(rng: &mut Rng) -> Vec<String> {
        let seeds = [
            "ada@example.com",
            "a@b",
            "a@b@c.d",
            "x@-a.b",
            "x@a-.b",
            "x@a..b",
            "x@a.b.",
            "https://example.com/page",
            "http://localhost:8080",
            "HTTPS://a",
            "http:/x",
            "http:///x",
            "mailto:a@b.c",
            "jira:DATA-12",
            "a+b.c-d:x",
            "1http://x",
            "3f2c8a6e-9b1d-4c7e-8f00-12ab34cd56ef",
            "3F2C8A6E-9B1D-4C7E-8F00-12AB34CD56EF",
            "192.0.2.1",
            "255.255.255.255",
            "256.1.1.1",
            "01.1.1.1",
            "0.0.0.0",
            "2001:db8::1",
            "::",
            "::1",
            "1::",
            "1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7::",
            "::2:3:4:5:6:7:8",
            "1:2:3:4:5:6:1.2.3.4",
            "::ffff:192.0.2.1",
            "1:2:3:4:5::1.2.3.4",
            "1:2:3:4:5:6::1.2.3.4",
            "1.2.3.4::",
            "12345::",
            "fe80::1%eth0",
            "0001:02:3::",
            "2024-05-01",
            "2024-02-29",
            "2023-02-29",
            "1900-02-29",
            "2000-02-29",
            "2024-04-31",
            "2024-05-01T12:30:00Z",
            "2024-05-01T12:30:00.5+02:00",
            "2024-05-01T12:30:00",
            "2024-05-01 12:30:00Z",
            "2024-05-01t12:30:00z",
            "12:30:00",
            "12:30:00.123Z",
            "12:30:00+01:00",
            "12:30",
            "99:99:99",
            "shop.example.com",
            "localhost",
            "-bad.example.com",
            "a-.b",
            "xn--bcher-kva.example",
        ];
        let mut swaps: Vec<String> = [
            "", "é", ":", "::", ".", "..", "@", "-", "/", "//", "Z", "T", "+", "0", "9", "a", "f",
            "g", "F", "%",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // Every white space character Rust knows, found independently of `WHITE_SPACE`.
        swaps.extend(
            (0..=0x3000u32)
                .filter_map(char::from_u32)
                .filter(|c| c.is_whitespace())
                .map(String::from),
        );
        let mut out: Vec<String> = seeds.iter().map(|s| s.to_string()).collect();
        for &format in Format::ALL {
            out.push(format.example().to_string());
        }
        let base = out.clone();
        for _ in 0..100_000 {
            let seed = &base[rng.below(base.len())];
            let chars: Vec<char> = seed.chars().collect();
            let mut text: Vec<char> = chars.clone();
            for _ in 0..1 + rng.below(3) {
                let at = rng.below(text.len() + 1);
                let swap: Vec<char> = swaps[rng.below(swaps.len())].chars().collect();
                match rng.below(3) {
                    0 => {
                        text.splice(at..at, swap);
                    }
                    1 if at < text.len() => {
                        text.splice(at..at + 1, swap);
                    }
                    _ => {
                        text.truncate(at);
                    }
                }
            }
            out.push(text.into_iter().collect());
        }
        out
    }

    #[test]
    fn the_patterns_accept_what_the_audit_accepts() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let texts = near_misses(&mut rng);
        for &format in Format::ALL {
            let compiled = compiled(format);
            let mut accepted = 0;
            for text in &texts {
                let expected = format.accepts(text);
                accepted += usize::from(expected);
                assert_eq!(
                    accepts(&compiled, text),
                    expected,
                    "{format}: {text:?} (the audit says {expected})"
                );
            }
            // The corpus must hold values on both sides for the comparison to mean anything.
            assert!(accepted > 20, "{format}: only {accepted} accepted texts");
        }
    }

    #[test]
    fn every_leap_day_and_month_end_agrees() {
        let compiled = compiled(Format::Date);
        for year in 0..10_000 {
            for (month, day) in [
                (2, 28),
                (2, 29),
                (2, 30),
                (4, 30),
                (4, 31),
                (12, 31),
                (1, 32),
            ] {
                let text = format!("{year:04}-{month:02}-{day:02}");
                assert_eq!(
                    accepts(&compiled, &text),
                    Format::Date.accepts(&text),
                    "{text}"
                );
            }
        }
    }

    #[test]
    fn host_names_at_the_length_limit() {
        let compiled_host = compiled(Format::Hostname);
        let compiled_email = compiled(Format::Email);
        let label = "a".repeat(63);
        for extra in 0..8 {
            // Four labels of 63 and one of `extra`: 255 + extra characters, around 253.
            for cut in 0..12 {
                let mut host = format!("{label}.{label}.{label}.{label}");
                host.truncate(host.len() - cut);
                if extra > 0 {
                    host.push('.');
                    host.push_str(&"b".repeat(extra));
                }
                for text in [host.clone(), format!("{host}."), format!("{host}..")] {
                    assert_eq!(
                        accepts(&compiled_host, &text),
                        Format::Hostname.accepts(&text),
                        "{} characters",
                        text.len()
                    );
                    let email = format!("x@{text}");
                    assert_eq!(
                        accepts(&compiled_email, &email),
                        Format::Email.accepts(&email),
                        "{} characters",
                        email.len()
                    );
                }
            }
        }
    }

    #[test]
    fn every_ipv6_shape_agrees() {
        let compiled = compiled(Format::Ipv6);
        // Every placement of `::` among up to nine groups, with and without an IPv4 tail.
        for groups in 0..=9usize {
            for gap in 0..=groups + 1 {
                for v4 in [false, true] {
                    let mut parts: Vec<String> = (1..=groups).map(|g| format!("{g:x}")).collect();
                    if v4 {
                        parts.push("1.2.3.4".to_string());
                    }
                    let text = if gap > parts.len() {
                        parts.join(":")
                    } else {
                        format!("{}::{}", parts[..gap].join(":"), parts[gap..].join(":"))
                    };
                    assert_eq!(
                        accepts(&compiled, &text),
                        Format::Ipv6.accepts(&text),
                        "{text}"
                    );
                }
            }
        }
    }
}
