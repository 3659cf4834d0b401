//! A property's `type:`: one type word, a list of them (`[integer, string]`), or `any`.

use crate::schema::{PropertyType, Word};
use std::fmt;

/// The types a property's values may have, as a set of type words (`any` among them allows every
/// value). Written order is not kept: `[string, integer]` and `[integer, string]` are one set, shown
/// in the order of the words.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct TypeSet(u16);

impl TypeSet {
    pub const fn of(ty: PropertyType) -> TypeSet {
        TypeSet(1 << ty as u16)
    }

    pub fn insert(&mut self, ty: PropertyType) {
        self.0 |= TypeSet::of(ty).0;
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Every value fits (`any`).
    pub fn is_any(self) -> bool {
        self.has(PropertyType::Any)
    }

    /// The word is listed (`any` included).
    pub fn has(self, ty: PropertyType) -> bool {
        self.0 & TypeSet::of(ty).0 != 0
    }

    /// A value of type `ty` fits: it is listed, or the set is `any`.
    pub fn allows(self, ty: PropertyType) -> bool {
        self.is_any() || self.has(ty)
    }

    /// The one word, when the set has one.
    pub fn single(self) -> Option<PropertyType> {
        let mut words = self.words();
        match (words.next(), words.next()) {
            (Some(only), None) => Some(only),
            _ => None,
        }
    }

    /// The words of the set, in the order of [`PropertyType::ALL`].
    pub fn words(self) -> impl Iterator<Item = PropertyType> {
        PropertyType::ALL
            .iter()
            .copied()
            .filter(move |t| self.has(*t))
    }

    /// Some type of the set is one of `types` (a field that applies to numbers applies to
    /// `[integer, string]`); `any` has them all.
    pub fn overlaps(self, types: &[PropertyType]) -> bool {
        self.is_any() || types.iter().any(|t| self.has(*t))
    }

    /// Every value `self` allows, `other` allows too.
    pub fn within(self, other: TypeSet) -> bool {
        other.is_any() || (!self.is_any() && self.0 & !other.0 == 0)
    }
}

impl From<PropertyType> for TypeSet {
    fn from(ty: PropertyType) -> TypeSet {
        TypeSet::of(ty)
    }
}

/// `string`, or `[integer, string]`.
impl fmt::Display for TypeSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(only) = self.single() {
            return f.write_str(only.as_str());
        }
        let words: Vec<&str> = self.words().map(PropertyType::as_str).collect();
        write!(f, "[{}]", words.join(", "))
    }
}

impl fmt::Debug for TypeSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(types: &[PropertyType]) -> TypeSet {
        let mut set = TypeSet::default();
        for t in types {
            set.insert(*t);
        }
        set
    }

    #[test]
    fn sets_of_types() {
        use PropertyType::*;
        let both = set(&[String, Integer]);
        assert_eq!(both.to_string(), "[string, integer]");
        assert_eq!(set(&[Integer, String]), both);
        assert_eq!(TypeSet::of(Boolean).to_string(), "boolean");
        assert!(both.allows(Integer) && !both.allows(Boolean));
        assert!(TypeSet::of(Any).allows(Object));
        assert!(TypeSet::of(String).within(both) && !both.within(TypeSet::of(String)));
        assert!(both.within(TypeSet::of(Any)) && !TypeSet::of(Any).within(both));
        assert!(both.overlaps(&[Number, Integer]) && !both.overlaps(&[List]));
        assert_eq!(both.single(), None);
        assert_eq!(TypeSet::of(Any).single(), Some(Any));
    }
}
