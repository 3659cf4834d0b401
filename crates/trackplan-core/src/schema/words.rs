//! The closed sets of words the format allows (`status: implemented`, `type: string`, ...): each
//! set is declared once, as an enum whose variants carry their word. The schema's shapes, the
//! reader, completion and the JSON Schemas all read the words from here.

use serde::{Serialize, Serializer};

/// A word of a closed set.
pub trait Word: Copy + Sized + 'static {
    /// Every word of the set, in the order they are documented.
    const WORDS: &'static [&'static str];
    /// The values, in the same order as [`Word::WORDS`].
    const ALL: &'static [Self];

    fn parse(word: &str) -> Option<Self> {
        Self::WORDS
            .iter()
            .position(|w| *w == word)
            .map(|i| Self::ALL[i])
    }
}

macro_rules! words {
    ($( $(#[$meta:meta])* pub enum $name:ident { $( $(#[$vmeta:meta])* $variant:ident = $word:literal, )* } )*) => {
        $(
            $(#[$meta])*
            #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
            pub enum $name {
                $( $(#[$vmeta])* $variant, )*
            }

            impl Word for $name {
                const WORDS: &'static [&'static str] = &[ $( $word, )* ];
                const ALL: &'static [$name] = &[ $( $name::$variant, )* ];
            }

            impl $name {
                /// One of the allowed words.
                pub fn parse(word: &str) -> Option<$name> {
                    <$name as Word>::parse(word)
                }

                pub fn as_str(self) -> &'static str {
                    <$name as Word>::WORDS[self as usize]
                }
            }

            impl Serialize for $name {
                fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }

            impl std::fmt::Display for $name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }
        )*
    };
}

words! {
    /// A naming convention.
    pub enum Case {
        Title = "title",
        Snake = "snake",
        Camel = "camel",
        Pascal = "pascal",
        Kebab = "kebab",
        Lower = "lower",
    }

    /// Where an event is in its life.
    pub enum Status {
        Proposed = "proposed",
        Planned = "planned",
        Implemented = "implemented",
        Deprecated = "deprecated",
    }

    /// Where an event is sent from.
    pub enum Platform {
        Web = "web",
        MobileWeb = "mobile-web",
        Ios = "ios",
        Android = "android",
        Server = "server",
        Desktop = "desktop",
        Tv = "tv",
    }

    /// A property's data type.
    pub enum PropertyType {
        String = "string",
        Number = "number",
        Integer = "integer",
        Boolean = "boolean",
        Datetime = "datetime",
        List = "list",
        Object = "object",
        /// Any value (JSON Schema's `{}`, Segment's `any`).
        Any = "any",
    }

    /// A string format a property's values follow.
    pub enum Format {
        Email = "email",
        Uri = "uri",
        Uuid = "uuid",
        Ipv4 = "ipv4",
        Ipv6 = "ipv6",
        Date = "date",
        DateTime = "date-time",
        Time = "time",
        Hostname = "hostname",
    }

    /// How sensitive the data is, from least to most.
    pub enum Sensitivity {
        Public = "public",
        Internal = "internal",
        Personal = "personal",
        HighlySensitive = "highly-sensitive",
    }

    /// A tool the plan's events are sent to.
    pub enum Destination {
        Mixpanel = "mixpanel",
        Segment = "segment",
        Amplitude = "amplitude",
        Rudderstack = "rudderstack",
        Snowplow = "snowplow",
        Generic = "generic",
    }

    /// Mixpanel's ID Merge flavour.
    pub enum IdMerge {
        Simplified = "simplified",
        Original = "original",
    }

    /// A rule's level as set in `lint:` (YAML's `false` also means `off`).
    pub enum LintLevel {
        Error = "error",
        Warning = "warning",
        Info = "info",
        Off = "off",
    }

    /// The shorthand of an event's dictionary property.
    pub enum Requiredness {
        Required = "required",
        Optional = "optional",
    }
}
