//! The four consent categories and the aliases accepted wherever one is read.

#[allow(unused_imports)]
use super::prelude::*;

/// A consent category. `Essential` is always granted; the others are optional.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// Needed for login, security and the consent record itself.
    Essential,
    /// Measuring site use (analytics).
    Performance,
    /// Remembering preferences and display settings.
    Functional,
    /// Advertising and cross-site personalisation.
    Marketing,
}

/// Every name a category is read by, a run per category in [`Category::ALL`]
/// order: its id first, then its aliases.
const NAMES: [&str; 11] = [
    "essential",
    "necessary",
    "performance",
    "analytics",
    "statistics",
    "functional",
    "preferences",
    "personalization",
    "marketing",
    "advertising",
    "ads",
];

/// Where each category's run starts in [`NAMES`] (and, last, where the runs end).
const FIRST: [usize; 5] = [0, 2, 5, 8, 11];

impl Category {
    /// Every category, in display and cookie order.
    pub const ALL: [Category; 4] = [
        Category::Essential,
        Category::Performance,
        Category::Functional,
        Category::Marketing,
    ];

    /// The categories a visitor may refuse.
    pub const OPTIONAL: [Category; 3] = [
        Category::Performance,
        Category::Functional,
        Category::Marketing,
    ];

    /// Reads a category id or alias; surrounding ASCII whitespace (as HTML
    /// attributes have it) and ASCII case are ignored.
    pub fn parse(s: &str) -> Option<Category> {
        Category::parse_bytes(s.as_bytes())
    }

    /// [`Category::parse`] over bytes (an attribute value as the page gave it).
    pub fn parse_bytes(s: &[u8]) -> Option<Category> {
        let s = s.trim_ascii();
        let at = NAMES
            .iter()
            .position(|name| name.as_bytes().eq_ignore_ascii_case(s))?;
        // The category whose run of names holds `at`.
        Category::ALL
            .iter()
            .rev()
            .find(|c| FIRST[c.index()] <= at)
            .copied()
    }

    /// The canonical id, e.g. `"performance"`.
    pub fn as_str(self) -> &'static str {
        NAMES[FIRST[self.index()]]
    }

    /// The other names accepted for this category.
    pub fn aliases(self) -> &'static [&'static str] {
        let i = self.index();
        &NAMES[FIRST[i] + 1..FIRST[i + 1]]
    }

    /// The position in [`Category::ALL`] (0..4), used to index per-category arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Whether the visitor may refuse it (everything but `Essential`).
    pub fn is_optional(self) -> bool {
        self != Category::Essential
    }
}

#[cfg(test)]
mod tests {
    use super::Category;

    #[test]
    fn ids_and_aliases() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.as_str()), Some(c));
            for a in c.aliases() {
                assert_eq!(Category::parse(a), Some(c));
            }
        }
        assert_eq!(Category::parse("  Analytics "), Some(Category::Performance));
        assert_eq!(Category::parse("ADS"), Some(Category::Marketing));
        assert_eq!(Category::parse("necessary"), Some(Category::Essential));
        assert_eq!(
            Category::parse("personalization"),
            Some(Category::Functional)
        );
        assert_eq!(Category::parse(""), None);
        assert_eq!(Category::parse("analytic"), None);
        assert_eq!(Category::parse("essential."), None);
    }

    #[test]
    fn order_and_index() {
        for (i, c) in Category::ALL.into_iter().enumerate() {
            assert_eq!(c.index(), i);
            assert_eq!(c.is_optional(), i != 0);
        }
        assert_eq!(
            Category::OPTIONAL,
            [
                Category::Performance,
                Category::Functional,
                Category::Marketing
            ]
        );
    }
}
