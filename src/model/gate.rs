//! Whether a gated element (`data-category`, optional `data-service`) may run.

#[allow(unused_imports)]
use super::prelude::*;

use super::category::Category;
use super::record::{Grants, Record};

/// What a `data-category` attribute names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GateTarget {
    /// A known category (id or alias).
    Category(Category),
    /// Anything else: never activated.
    Unknown,
}

impl GateTarget {
    /// Reads a `data-category` attribute.
    pub fn parse(attr: &str) -> GateTarget {
        GateTarget::parse_bytes(attr.as_bytes())
    }

    /// Reads a `data-category` attribute given as bytes.
    pub fn parse_bytes(attr: &[u8]) -> GateTarget {
        Category::parse_bytes(attr).map_or(GateTarget::Unknown, GateTarget::Category)
    }
}

/// Whether an element with `data-category = category_attr` (and
/// `data-service = service_attr`, if any) may run under `record`.
///
/// Unknown categories never run; essential always does, even before a
/// decision; anything else needs a record granting the category and, when a
/// service is named, granting that service too.
pub fn should_activate(
    category_attr: &str,
    service_attr: Option<&str>,
    record: Option<&Record>,
) -> bool {
    should_activate_bytes(
        category_attr.as_bytes(),
        service_attr.unwrap_or("").as_bytes(),
        record,
    )
}

/// [`should_activate`] over the attributes' bytes; an empty (or all-space)
/// `service_attr` names no service.
pub fn should_activate_bytes(
    category_attr: &[u8],
    service_attr: &[u8],
    record: Option<&impl Grants>,
) -> bool {
    let category = match GateTarget::parse_bytes(category_attr) {
        GateTarget::Unknown => return false,
        GateTarget::Category(c) => c,
    };
    if !category.is_optional() {
        return true;
    }
    let Some(record) = record else { return false };
    if !record.granted(category) {
        return false;
    }
    match service_attr.trim_ascii() {
        b"" => true,
        id => record.service_bytes(id) == Some(true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Record {
        Record {
            id: "0".repeat(32),
            revision: 1,
            decided_at: 1,
            updated_at: 1,
            expires_at: 2,
            categories: [true, true, false, true],
            services: vec![("ads".into(), false), ("ga".into(), true)],
            gpc: false,
            opt_out: false,
        }
    }

    #[test]
    fn rules() {
        let r = record();
        assert!(should_activate("essential", None, None));
        assert!(should_activate(" Necessary ", Some("whatever"), None));
        assert!(!should_activate("performance", None, None));
        assert!(should_activate("analytics", None, Some(&r)));
        assert!(should_activate("performance", Some("ga"), Some(&r)));
        assert!(should_activate("performance", Some(""), Some(&r)));
        assert!(!should_activate("functional", None, Some(&r)));
        assert!(
            !should_activate("marketing", Some("ads"), Some(&r)),
            "service refused"
        );
        assert!(should_activate("ads", None, Some(&r)));
        assert!(
            !should_activate("marketing", Some("pixel"), Some(&r)),
            "service not in the record"
        );
        assert!(!should_activate("nonsense", None, Some(&r)));
        assert!(!should_activate("", None, Some(&r)));
        assert_eq!(
            GateTarget::parse("statistics"),
            GateTarget::Category(Category::Performance)
        );
        assert_eq!(GateTarget::parse("stats"), GateTarget::Unknown);
    }
}
