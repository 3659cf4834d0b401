//! Flags two events (or two properties) whose names collide once case, spaces, `_` and `-` are ignored.
//!
//! ## What it does
//! Folds every event name and every event-property name (dictionary and inline) by dropping case,
//! spaces, underscores and hyphens, and reports names that fold to the same text but differ as written.
//! User properties are compared among themselves. Event properties are compared across the plan
//! when a destination keeps one property per name across events (Mixpanel, the default; Amplitude;
//! RudderStack); for a plan sent only to destinations that keep each event's properties apart
//! (Segment, Snowplow, `generic`), only the properties of one event are compared with each other.
//!
//! ## Why is this bad?
//! Mixpanel names are case-sensitive: "Sign Up" and "Signup" are two events that split one funnel in
//! two, and `user_id` next to `userId` halves both properties. Such pairs are nearly always one thing
//! named twice.
//!
//! ## Example
//! ```yaml
//! events:
//!   Sign Up Completed: {description: Fired when the account is created.}
//!   Signup Completed: {description: Fired when the account is created.}
//! ```
//!
//! ## Use instead
//! ```yaml
//! events:
//!   Sign Up Completed: {description: Fired when the account is created.}
//! ```

use super::prelude::*;
use std::hash::Hasher;
use rustc_hash::FxHashMap as HashMap;

declare_rule!(SimilarNames, "similar-names", Warning);

impl Rule for SimilarNames {
    fn check_plan(&self, cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
        let destinations = cx.destinations();
        let in_tool = destinations.iter().next().map_or("Mixpanel", |d| d.name);
        let events = cx.plan.events().map(|e| &e.name);
        self.report("event", in_tool, events, out);
        let definitions = cx.index.property_definitions();
        match destinations.sharing_property_names() {
            Some(info) => {
                let properties = definitions
                    .iter()
                    .filter(|(site, _)| matches!(site, PropertySite::Dictionary | PropertySite::Inline(_)))
                    .map(|(_, d)| &d.name);
                self.report("property", info.name, properties, out);
            }
            None => {
                for event in cx.plan.events() {
                    self.report("property", in_tool, event.properties.iter().map(|p| &p.name), out);
                }
            }
        }
        let user = definitions
            .iter()
            .filter(|(site, _)| *site == PropertySite::User)
            .map(|(_, d)| &d.name);
        self.report("user property", in_tool, user, out);
    }
}

impl SimilarNames {
    /// Reports the names that fold alike; `tool` is where they would be told apart.
    fn report<'a>(&self, noun: &str, tool: &str, names: impl Iterator<Item = &'a Name>, out: &mut Vec<Diagnostic>) {
        // The first name written for each folded form; identical names are another rule's business.
        // Keyed by a hash of the folded form, so that the hundred thousand names of a large plan are
        // not each copied; equal hashes are confirmed on the folded characters.
        let mut first: HashMap<u64, Vec<&Name>> = HashMap::default();
        for name in names {
            let bucket = first.entry(folded_hash(&name.text)).or_default();
            let earlier = bucket.iter().find(|e| folded_chars(&e.text).eq(folded_chars(&name.text))).copied();
            if earlier.is_none() {
                bucket.push(name);
            }
            match earlier {
                None => {}
                Some(earlier) if earlier.text != name.text => out.push(
                    Diagnostic::new(
                        RULE,
                        name.span,
                        format!("{noun} `{}` is easily confused with `{}`", name.text, earlier.text),
                    )
                    .with_related(earlier.span, format!("`{}` is defined here", earlier.text))
                    .with_help(format!("names differing only in case or separators are distinct in {tool}; use one name")),
                ),
                Some(_) => {}
            }
        }
    }
}

/// The characters of a name with case, spaces, `_` and `-` ignored (what [`crate::suggest::fold`]
/// returns, without allocating).
fn folded_chars(name: &str) -> impl Iterator<Item = char> + '_ {
    name.chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-'))
        .flat_map(char::to_lowercase)
}

fn folded_hash(name: &str) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    // Most names are short ASCII: fold them into a buffer and hash it in one go.
    let mut buffer = [0u8; 64];
    let mut len = 0;
    if name.len() <= buffer.len() && name.is_ascii() {
        for b in name.bytes().filter(|b| !matches!(b, b' ' | b'_' | b'-')) {
            buffer[len] = b.to_ascii_lowercase();
            len += 1;
        }
        hasher.write(&buffer[..len]);
    } else {
        // The same bytes as the fast path would hash, so that, say, a Kelvin sign folds like `k`.
        let folded: String = folded_chars(name).collect();
        hasher.write(folded.as_bytes());
    }
    hasher.finish()
}
