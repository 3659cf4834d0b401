//! "Did you mean" suggestions.

/// The candidate closest to `name`, if it is close enough to be a plausible typo.
///
/// Case and separator differences count as close (`order completed` for `Order Completed`); otherwise
/// the Jaro-Winkler similarity must be high, which favours shared prefixes as typos tend to have.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let folded = fold(name);
    let mut best: Option<(f64, &'a str)> = None;
    for candidate in candidates {
        if candidate == name {
            continue;
        }
        let score = if fold(candidate) == folded {
            2.0
        } else {
            let similarity = strsim::jaro_winkler(&name.to_lowercase(), &candidate.to_lowercase());
            let distance = strsim::levenshtein(&name.to_lowercase(), &candidate.to_lowercase());
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
}
