//! "Did you mean" suggestions.

/// Names longer than this (in characters) get no suggestion and suggest nothing: no real name is
/// that long (Mixpanel's limit is 255), and comparing costs the product of the two lengths.
pub const MAX_COMPARED_CHARS: usize = 255;

/// The candidate closest to `name`, if it is close enough to be a plausible typo.
///
/// Case and separator differences count as close (`order completed` for `Order Completed`); otherwise
/// the Jaro-Winkler similarity must be high, which favours shared prefixes as typos tend to have.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let length = name.chars().take(MAX_COMPARED_CHARS + 1).count();
    if length > MAX_COMPARED_CHARS {
        return None;
    }
    let folded = fold(name);
    let lowered = name.to_lowercase();
    let mut best: Option<(f64, &'a str)> = None;
    for candidate in candidates {
        if candidate == name || candidate.len() > 4 * MAX_COMPARED_CHARS {
            continue;
        }
        let candidate_length = candidate.chars().count();
        if candidate_length > MAX_COMPARED_CHARS {
            continue;
        }
        let score = if fold(candidate) == folded {
            2.0
        } else if !could_be_close(length, candidate_length) {
            continue;
        } else {
            let other = candidate.to_lowercase();
            let similarity = strsim::jaro_winkler(&lowered, &other);
            let distance = strsim::levenshtein(&lowered, &other);
            if similarity < 0.85 && distance > name.chars().count().max(3) / 3 {
                continue;
            }
            similarity
        };
        if best.is_none_or(|(s, c)| score > s || (score == s && candidate < c)) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// Whether names of these lengths (in characters) could pass the similarity test of
/// [`did_you_mean`]. Lowercasing makes a name at most three times longer, so when the longer one
/// has over 64 characters and over 16 times the other's, the lowercased lengths differ by more than
/// five eighths of the longer: the distance exceeds a third of the name's length, and the
/// Jaro-Winkler similarity stays under 0.4 + 0.6 x (2 + 3/16) / 3 < 0.85.
fn could_be_close(a: usize, b: usize) -> bool {
    let (short, long) = if a < b { (a, b) } else { (b, a) };
    long <= 64 || 16 * short >= long
}

/// A name with case, spaces, `_` and `-` ignored: two names that fold equally are confusable.
pub fn fold(name: &str) -> String {
    if name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        return name.to_string();
    }
    name.chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_names_only() {
        let names = ["Order Completed", "Product Viewed", "Checkout Started"];
        assert_eq!(
            did_you_mean("Order Complted", names),
            Some("Order Completed")
        );
        assert_eq!(
            did_you_mean("order_completed", names),
            Some("Order Completed")
        );
        assert_eq!(did_you_mean("Signed Up", names), None);
        assert_eq!(
            did_you_mean("descripton", ["description", "owner"]),
            Some("description")
        );
        assert_eq!(did_you_mean("x", ["description", "owner"]), None);
    }

    #[test]
    fn huge_names_are_not_compared() {
        let huge = "A".repeat(1_000_000);
        let names = ["Order Completed", huge.as_str()];
        assert_eq!(did_you_mean(&huge, names), None);
        assert_eq!(did_you_mean(&"A".repeat(999_999), names), None);
        // Lengths that rule a suggestion out are skipped without changing any answer; folding
        // still counts.
        let long = format!("{}x", "Order Completed ".repeat(15));
        assert_eq!(did_you_mean(&long, names), None);
        assert_eq!(did_you_mean("ab", ["abc", "abcdefghij"]), Some("abc"));
        let spaced = format!("a{}", " ".repeat(100));
        assert_eq!(did_you_mean(&spaced, ["A", "b"]), Some("A"));
    }
}
