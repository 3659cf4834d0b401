//! Naming conventions: whether a name follows a case, and the name converted to it.

use crate::schema::Case;

/// Whether `name` follows the case convention.
pub fn follows(name: &str, case: Case) -> bool {
    match case {
        Case::Title => spaced_words(name, |w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
                && !w.contains('_')
        }),
        Case::Lower => spaced_words(name, |w| {
            w.chars().all(|c| !c.is_uppercase()) && !w.contains('_')
        }),
        Case::Snake => joined(name, '_', |c| c.is_ascii_lowercase() || c.is_ascii_digit()),
        Case::Kebab => joined(name, '-', |c| c.is_ascii_lowercase() || c.is_ascii_digit()),
        Case::Camel => {
            name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                && name.chars().all(|c| c.is_ascii_alphanumeric())
        }
        Case::Pascal => {
            name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                && name.chars().all(|c| c.is_ascii_alphanumeric())
        }
    }
}

/// Words separated by single spaces, each accepted by `word`.
fn spaced_words(name: &str, word: impl Fn(&str) -> bool) -> bool {
    !name.is_empty() && name.split(' ').all(|w| !w.is_empty() && word(w))
}

/// Non-empty runs of `allowed` characters joined by single `separator`s, starting with a letter.
fn joined(name: &str, separator: char, allowed: impl Fn(char) -> bool) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name
            .split(separator)
            .all(|w| !w.is_empty() && w.chars().all(&allowed))
}

/// A kebab-case id: lowercase letters and digits in runs joined by single hyphens.
pub fn is_kebab_id(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// The words of a name as slices of it (see [`words`]); allocates nothing, for the rules that look at
/// every property of a plan.
pub fn word_slices(name: &str) -> impl Iterator<Item = &str> {
    let mut rest = name;
    std::iter::from_fn(move || {
        rest = rest.trim_start_matches([' ', '_', '-', '.', '$']);
        if rest.is_empty() {
            return None;
        }
        let mut end = rest.len();
        let mut previous: Option<char> = None;
        let mut chars = rest.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if matches!(c, ' ' | '_' | '-' | '.' | '$') {
                end = i;
                break;
            }
            if let Some(prev) = previous {
                let next_lower = chars.peek().is_some_and(|(_, n)| n.is_lowercase());
                if c.is_uppercase()
                    && (prev.is_lowercase()
                        || prev.is_ascii_digit()
                        || (prev.is_uppercase() && next_lower))
                {
                    end = i;
                    break;
                }
            }
            previous = Some(c);
        }
        let (word, tail) = rest.split_at(end);
        rest = tail;
        Some(word)
    })
}

/// Splits a name into words at spaces, `_`, `-`, `.`, `$` and lower-to-upper case changes
/// (`orderCompleted`, `HTTPRequest` -> `HTTP Request`).
pub fn words(name: &str) -> Vec<String> {
    word_slices(name).map(str::to_string).collect()
}

/// The name rewritten in a case (the quick fix of the case rules).
pub fn convert(name: &str, case: Case) -> String {
    let words = words(name);
    let lower = |w: &String| w.to_lowercase();
    let capital = |w: &String| {
        let mut chars = w.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
            None => String::new(),
        }
    };
    let capital_lower = |w: &String| capital(&w.to_lowercase());
    match case {
        Case::Title => words.iter().map(capital).collect::<Vec<_>>().join(" "),
        Case::Lower => words.iter().map(lower).collect::<Vec<_>>().join(" "),
        Case::Snake => words.iter().map(lower).collect::<Vec<_>>().join("_"),
        Case::Kebab => words.iter().map(lower).collect::<Vec<_>>().join("-"),
        Case::Pascal => words.iter().map(capital_lower).collect(),
        Case::Camel => words
            .iter()
            .enumerate()
            .map(|(i, w)| if i == 0 { lower(w) } else { capital_lower(w) })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_case_allows_acronyms_and_digits() {
        assert!(follows("SSO Login Completed", Case::Title));
        assert!(follows("Step 2 Completed", Case::Title));
        assert!(!follows("Order completed", Case::Title));
        assert!(!follows("Order  Completed", Case::Title));
        assert!(!follows("Order_Completed", Case::Title));
        assert!(follows("order completed", Case::Lower));
        assert!(!follows("order Completed", Case::Lower));
    }

    #[test]
    fn joined_cases() {
        assert!(follows("order_id", Case::Snake));
        assert!(!follows("order__id", Case::Snake));
        assert!(!follows("orderId", Case::Snake));
        assert!(follows("orderId", Case::Camel));
        assert!(follows("OrderId", Case::Pascal));
        assert!(follows("order-id", Case::Kebab));
        assert!(is_kebab_id("grow-revenue-2"));
        assert!(!is_kebab_id("Grow Revenue"));
    }

    #[test]
    fn splits_words() {
        let cases: [(&str, &[&str]); 6] = [
            ("orderCompleted", &["order", "Completed"]),
            ("HTTPRequest sent", &["HTTP", "Request", "sent"]),
            ("Order_ID", &["Order", "ID"]),
            ("$email", &["email"]),
            ("a--b", &["a", "b"]),
            ("ÉtéLong2Go", &["Été", "Long2", "Go"]),
        ];
        for (name, expected) in cases {
            assert_eq!(words(name), expected, "{name}");
        }
    }

    #[test]
    fn converts_between_cases() {
        assert_eq!(convert("order completed", Case::Title), "Order Completed");
        assert_eq!(convert("orderCompleted", Case::Snake), "order_completed");
        assert_eq!(convert("HTTPRequest sent", Case::Pascal), "HttpRequestSent");
        assert_eq!(convert("Order_ID", Case::Camel), "orderId");
        assert_eq!(convert("sso login", Case::Title), "Sso Login");
        assert_eq!(convert("Grow Revenue", Case::Kebab), "grow-revenue");
    }
}
