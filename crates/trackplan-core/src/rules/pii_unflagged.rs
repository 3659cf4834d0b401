//! Flags a property whose name suggests personal data without `pii: true`.
//!
//! ## What it does
//! Splits every property name into words (at `_`, `-`, spaces, `$` and case changes) and reports those
//! that contain a personal-data word without `pii: true`. The words: email, phone, mobile, address,
//! street, postcode, postal code, zip code, ip, ssn, passport, birthday, birthdate, dob, name (alone),
//! first/last/full/given/family/middle/maiden name, surname, username, iban, card number, national id,
//! tax id, latitude, longitude. Whole words only: `product_name`, `zip_file` and `tip_amount` do not
//! match. Write `pii: false` to record that a matching property is not personal data.
//!
//! ## Why is this bad?
//! Personal data needs to be known to be handled: consent, retention, deletion requests and Mixpanel's
//! data-deletion API all start from knowing which properties hold it.
//!
//! ## Example
//! ```yaml
//! user_properties:
//!   $email: {type: string, description: The user's email address.}
//! ```
//!
//! ## Use instead
//! ```yaml
//! user_properties:
//!   $email: {type: string, description: The user's email address., pii: true}
//! ```

use super::prelude::*;

declare_rule!(PiiUnflagged, "pii-unflagged", Warning);

/// One-word markers of personal data.
const WORDS: &[&str] = &[
    "email", "emails", "e-mail", "phone", "mobile", "address", "street", "postcode", "zipcode", "ip",
    "ssn", "passport", "birthday", "birthdate", "dob", "surname", "firstname", "lastname", "fullname",
    "username", "iban", "latitude", "longitude",
];

/// Two-word markers.
const PAIRS: &[(&str, &str)] = &[
    ("first", "name"),
    ("last", "name"),
    ("full", "name"),
    ("given", "name"),
    ("family", "name"),
    ("middle", "name"),
    ("maiden", "name"),
    ("user", "name"),
    ("zip", "code"),
    ("postal", "code"),
    ("post", "code"),
    ("card", "number"),
    ("national", "id"),
    ("tax", "id"),
    ("birth", "date"),
    ("date", "of"),
];

/// The personal-data word a property name contains, if any.
pub fn personal_data_word(name: &str) -> Option<String> {
    // Word boundaries without allocating: this runs for every property of the plan.
    let words: Vec<&str> = crate::case::word_slices(name).collect();
    let is = |word: &str, marker: &str| word.eq_ignore_ascii_case(marker);
    if let [only] = words.as_slice() {
        if is(only, "name") {
            return Some("name".to_string());
        }
    }
    if let Some(word) = words.iter().find(|w| WORDS.iter().any(|m| is(w, m))) {
        return Some(word.to_lowercase());
    }
    words.windows(2).find_map(|pair| {
        PAIRS
            .iter()
            .find(|(a, b)| is(pair[0], a) && is(pair[1], b))
            .map(|(a, b)| format!("{a} {b}"))
    })
}

impl Rule for PiiUnflagged {
    fn check_plan(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        for &(_, def) in cx.index.property_definitions() {
            if def.pii.is_some() || def.name.text.ends_with("[]") {
                continue;
            }
            if let Some(word) = personal_data_word(&def.name.text) {
                out.push(
                    Diagnostic::new(
                        RULE,
                        def.name.span,
                        format!("property `{}` looks like personal data ({word}) but is not flagged", def.name.text),
                    )
                    .with_help("add `pii: true`, or `pii: false` if it holds no personal data"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::personal_data_word;

    #[test]
    fn matches_whole_words_only() {
        for name in ["email", "$email", "user_email", "phoneNumber", "ip_address", "first_name", "name", "ZipCode", "date_of_birth"] {
            assert!(personal_data_word(name).is_some(), "{name}");
        }
        for name in ["product_name", "zip_file", "tip_amount", "skip_reason", "plan_name", "shipping_method"] {
            assert_eq!(personal_data_word(name), None, "{name}");
        }
    }
}
