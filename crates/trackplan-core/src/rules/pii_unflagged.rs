//! Flags a property whose name suggests personal data without `pii` or `sensitivity`.
//!
//! ## What it does
//! Splits every property name into words (at `_`, `-`, `.`, spaces, `$` and case changes) and reports
//! those whose main word holds personal data, when the property says neither `pii` nor
//! `sensitivity`. The words: email, phone, mobile, msisdn, address, street, postcode, zipcode, ip,
//! ssn, passport, password, birthday, birthdate, dob, surname, username, fname, lname,
//! firstname, lastname, fullname, iban, latitude, longitude, and the pairs first/last/full/given/
//! family/middle/maiden/user/customer/contact/recipient/sender/cardholder name, zip/postal/post
//! code, card number, national id, tax id, birth date, date of birth.
//!
//! Whole words only, and only as the word the name is about: `product_name`, `zip_file` and
//! `tip_amount` do not match, nor do `email_type`, `ip_isp`, `phone_verified` or
//! `has_mobile_bookmarks`, which describe personal data without holding it (only `address`,
//! `number`, `line` and the like may follow: `ip_address`, `phone_number`, `address_line_2`). A
//! boolean is never personal data; a number only for coordinates, phone numbers, postcodes and
//! identity numbers; a date only for birth dates. `name` alone is a person's name in
//! `user_properties` and in objects about a person (`assigned_to_user`, `visitor`; elsewhere it
//! is a product's or a screen's name). Data of an
//! organisation or a machine is not a person's: a marker right after company, business, main,
//! support, server, host, private, destination and the like (`main_phone`, `destination_ip`), and
//! the properties nested in an object so named (`company: {properties: {email: ...}}`) or defined
//! by an event so named, are not reported, unless their own name is about a person
//! (`account_owner_email`). After `ip`, only words that describe what is known of an address
//! (`ip_isp`, `ip_country`) make a name that holds none (`ip_signup` holds the address a subscriber
//! signed up from). Write `pii: false` (or
//! `sensitivity: public`) to record that a matching property is not personal data.
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
    "email", "emails", "phone", "mobile", "msisdn", "address", "street", "postcode", "zipcode", "ip",
    "ssn", "passport", "password", "passwd", "birthday", "birthdate", "dob", "surname", "firstname",
    "lastname", "fullname", "fname", "lname", "username", "iban", "latitude", "longitude",
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
    ("customer", "name"),
    ("contact", "name"),
    ("recipient", "name"),
    ("sender", "name"),
    ("cardholder", "name"),
    ("zip", "code"),
    ("postal", "code"),
    ("post", "code"),
    ("card", "number"),
    ("national", "id"),
    ("tax", "id"),
    ("birth", "date"),
    ("date", "of"),
];

/// Words that may follow a marker in a name that still holds the value (`ip_address`,
/// `phone_number`, `address_line_2`); any other word makes the name about something else
/// (`email_type`, `ip_isp`).
const VALUE_WORDS: &[&str] = &[
    "address", "addr", "number", "num", "no", "nr", "line", "of", "birth", "hash", "hashed", "value",
    "raw", "e164",
];

/// Words after `ip` that describe what is known of the address (its provider, its place) rather
/// than the address (`ip_isp`, `ip_netspeed`); any other word leaves an address (`ip_signup`, the
/// address a subscriber signed up from).
const IP_DERIVED: &[&str] = &[
    "isp", "netspeed", "organization", "organisation", "org", "domain", "country", "city", "region",
    "location", "geo", "type", "version", "count",
];

/// Markers a number may hold: coordinates, phone numbers, postcodes and identity numbers.
const NUMERIC: &[&str] = &[
    "latitude", "longitude", "phone", "mobile", "msisdn", "postcode", "zipcode", "zip code",
    "postal code", "post code", "ssn", "card number", "national id", "tax id",
];

/// Markers a date may hold.
const DATES: &[&str] = &["birthday", "birthdate", "dob", "birth date", "date of birth"];

/// The personal-data word a property name contains as its main word, if any. `person`: the name
/// is a user property's, or nested in an object about a person, where `name` alone is the
/// person's name.
pub fn personal_data_word(name: &str, person: bool) -> Option<String> {
    // Word boundaries without allocating: this runs for every property of the plan.
    let words: Vec<&str> = crate::case::word_slices(name).collect();
    let is = |word: &str, marker: &str| word.eq_ignore_ascii_case(marker);
    if let [only] = words.as_slice() {
        if is(only, "name") {
            return person.then(|| "name".to_string());
        }
    }
    // Every marker of the name, with where it starts and ends.
    let mut found: Vec<(String, usize, usize)> = Vec::new();
    for (i, word) in words.iter().enumerate() {
        if WORDS.iter().any(|m| is(word, m)) {
            found.push((word.to_lowercase(), i, i + 1));
        }
        if let Some(next) = words.get(i + 1) {
            if let Some((a, b)) = PAIRS.iter().find(|(a, b)| is(word, a) && is(next, b)) {
                let shown = match (*a, *b) {
                    ("date", "of") => "date of birth".to_string(),
                    _ => format!("{a} {b}"),
                };
                found.push((shown, i, i + 2));
            }
        }
    }
    // The first marker that only markers and value words follow (`ip` in `ip_address`), and that
    // no word of an organisation or a machine comes before (`destination_ip`).
    found.into_iter().find_map(|(marker, start, end)| {
        if start > 0 && is_organisation(words[start - 1]) {
            return None;
        }
        let after = &words[end..];
        let holds_value = if marker == "ip" {
            !after.iter().any(|word| IP_DERIVED.iter().any(|d| is(word, d)))
        } else {
            after.iter().all(|word| {
                let stem = word.trim_end_matches(|c: char| c.is_ascii_digit());
                stem.is_empty()
                    || VALUE_WORDS.iter().any(|v| is(stem, v))
                    || WORDS.iter().any(|m| is(stem, m))
            })
        };
        holds_value.then_some(marker)
    })
}

/// Whether a property of one of `types` can hold what `marker` names (no type said: it can).
fn fits_type(marker: &str, types: Option<TypeSet>) -> bool {
    let Some(types) = types else { return true };
    types.words().any(|ty| match ty {
        PropertyType::Boolean => false,
        PropertyType::Number | PropertyType::Integer => NUMERIC.contains(&marker),
        PropertyType::Datetime => DATES.contains(&marker),
        _ => true,
    })
}

/// Words that make what follows describe an organisation or a machine rather than a person: as the
/// word before a marker (`main_phone`, `destination_ip`, `private_ip`) or in the name of an object
/// that holds the property (`company.email`).
const ORGANISATION: &[&str] = &[
    "company", "companies", "organization", "organisation", "org", "business", "merchant", "vendor",
    "supplier", "store", "shop", "office", "main", "support", "server", "host", "instance", "machine",
    "private", "destination", "relay", "smtp", "gateway", "proxy", "router",
];

/// Words that make a name about a person, even in an organisation's record
/// (`account_owner_email_address` in a company).
const PERSON: &[&str] = &[
    "owner", "contact", "person", "people", "user", "customer", "employee", "lead", "member",
    "recipient", "manager", "buyer", "visitor", "subscriber",
];

fn names_a_person(name: &str) -> bool {
    crate::case::word_slices(name).any(|w| PERSON.iter().any(|p| w.eq_ignore_ascii_case(p)))
}

fn is_organisation(word: &str) -> bool {
    ORGANISATION.iter().any(|o| word.eq_ignore_ascii_case(o))
}

/// What an event is about: its name, or the last part of a `vendor/name` (the vendor says nothing
/// of its data: `com.clearbit.enrichment/company` is about a company).
fn event_subject(name: &str) -> &str {
    name.rsplit('/').next().unwrap_or(name)
}

/// A name about an organisation or a machine (`company`, `server_info`).
fn names_an_organisation(name: &str) -> bool {
    crate::case::word_slices(name).any(is_organisation)
}

impl Rule for PiiUnflagged {
    fn check_plan(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let mut check = |def: &PropertyDef, person: bool| {
            if def.says_whether_personal() || def.name.text.ends_with("[]") {
                return;
            }
            let Some(word) = personal_data_word(&def.name.text, person) else {
                return;
            };
            if !fits_type(&word, def.ty.as_ref().map(|t| t.value)) {
                return;
            }
            out.push(
                Diagnostic::new(
                    RULE,
                    def.name.span,
                    format!("property `{}` looks like personal data ({word}) but is not flagged", def.name.text),
                )
                .with_help("add `pii: true`, or `pii: false` if it holds no personal data"),
            );
        };
        for def in cx.plan.properties() {
            walk(def, false, false, &mut check);
        }
        for def in cx.plan.user_properties() {
            walk(def, true, false, &mut check);
        }
        // An event about an organisation (a company's enrichment) holds its data, not a person's;
        // one about a person (a person's enrichment) holds a person's.
        for event in cx.plan.events() {
            let subject = event_subject(&event.name.text);
            let organisational = names_an_organisation(subject);
            let person = names_a_person(subject);
            for property in &event.properties {
                if let EventPropertyKind::Inline(def) = &property.kind {
                    walk(def, person, organisational, &mut check);
                }
            }
        }
    }
}

/// A definition and those nested in it, each judged unless an object that holds it is about an
/// organisation or a machine. `person`: a user property, or a property of an object (or event)
/// about a person (`assigned_to_user: {properties: {name: ...}}`), where `name` alone is the
/// person's; not further down (a person's `employment.name` is an employer's).
fn walk(def: &PropertyDef, person: bool, organisational: bool, check: &mut impl FnMut(&PropertyDef, bool)) {
    if !organisational || names_a_person(&def.name.text) {
        check(def, person);
    }
    let items = match &def.items {
        Some(Items::Definition(items)) => &items.properties[..],
        _ => &[],
    };
    // Most properties hold nothing nested: what their name says of their contents is not asked
    // (reading the name's words twice more was a third of the language server's work per edit).
    if def.properties.is_empty() && items.is_empty() {
        return;
    }
    let organisational = organisational || names_an_organisation(&def.name.text);
    let person = names_a_person(&def.name.text);
    for entry in def.properties.iter().chain(items) {
        if let EventPropertyKind::Inline(nested) = &entry.kind {
            walk(nested, person, organisational, check);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::personal_data_word;

    #[test]
    fn matches_the_main_word_only() {
        for name in [
            "email", "$email", "user_email", "phoneNumber", "ip_address", "first_name", "ZipCode",
            "date_of_birth", "Password", "FNAME", "LNAME", "address_line_2", "email_address",
            "shippingAddress", "customer_name", "ip", "ip_signup", "ipOverride", "ip_opt",
        ] {
            assert!(personal_data_word(name, false).is_some(), "{name}");
        }
        for name in [
            "product_name", "zip_file", "tip_amount", "skip_reason", "plan_name", "shipping_method",
            "name", "ip_isp", "ip_netspeed", "email_type", "has_mobile_bookmarks", "phone_verified",
            "emails_sent", "screen_name", "destination_ip", "privateIp", "main_phone",
            "company_email", "ip_organization",
        ] {
            assert_eq!(personal_data_word(name, false), None, "{name}");
        }
        assert_eq!(personal_data_word("name", true).as_deref(), Some("name"));
        assert_eq!(personal_data_word("$name", true).as_deref(), Some("name"));
    }
}
