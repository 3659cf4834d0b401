//! What a rule's message may say about one finding (a leaf: the rules and the report both use it).

use crate::spec::PropSpec;

/// What a rule's message may say about one finding.
pub struct Facts<'a> {
    pub event: Option<&'a str>,
    pub property: Option<&'a str>,
    pub spec: Option<&'a PropSpec>,
    /// The nearest planned event name (`unplanned-event`).
    pub suggestion: Option<&'a str>,
    /// "Mixpanel's 255 characters".
    pub limit_of_strings: Option<&'a str>,
    pub limit_of_properties: Option<&'a str>,
}
