//! The rules that span keys: how many service ids fit the consent cookie,
//! and that no category lists the consent cookie itself for deletion.

#[allow(unused_imports)]
use crate::model::prelude::*;

use super::read::Reader;
use super::{Code, Config, CookieInfo};
use crate::model::category::Category;
use crate::model::diagnostic::join;
use crate::model::names::pattern_matches;

/// The most bytes the consent cookie's services field may take: the value's
/// limit less its longest fixed part (version, id, a 10-digit revision, three
/// 11-digit times, categories, gpc, the check and the dots between).
const SERVICES_FIELD_BYTES: usize =
    crate::model::codec::MAX_LEN - (2 + 32 + 11 + 3 * 12 + 5 + 2 + 1 + 9);

/// Whether one more service `id` still fits the cookie's services field,
/// given the ids kept so far: each takes `id:0` and a `~` between two.
pub(super) fn services_fit(kept: &[String], id: &str) -> bool {
    let used: usize = kept.iter().map(|k| k.len() + 3).sum();
    used + id.len() + 3 <= SERVICES_FIELD_BYTES + 1
}

impl Reader {
    /// Drops listed cookies and storage keys that match the consent cookie
    /// (or its `localStorage` mirror, which has the same name): a withdrawal
    /// must not delete the decision it has just stored.
    pub(super) fn protect_consent_cookie(&mut self, c: &mut Config) {
        let own = c.cookie.name.as_str();
        let keys = core::mem::take(&mut self.category_keys);
        // Essential is never withdrawn, so listing the consent cookie there
        // (where a cookie table should show it) deletes nothing. (By index,
        // not a zip of three iterators: adapters are code of their own.)
        for &cat in &Category::OPTIONAL {
            let i = cat.index();
            // A category not in the config has nothing listed, so no key is needed.
            let (Some(Some(key)), Some(cc)) = (keys.get(i), c.categories.get_mut(i)) else {
                continue;
            };
            let base = join("categories", key);
            self.drop_own(&base, own, &mut cc.cookies, &mut cc.local_storage);
            for s in &mut cc.services {
                let path = join(&join(&base, "services"), &s.id);
                self.drop_own(&path, own, &mut s.cookies, &mut s.local_storage);
            }
        }
    }

    fn drop_own(
        &mut self,
        path: &str,
        own: &str,
        cookies: &mut Vec<CookieInfo>,
        keys: &mut Vec<String>,
    ) {
        // Loops with `remove` rather than `Vec::retain`, whose code is
        // generated once per closure (these lists are short).
        let mut dropped = false;
        let mut i = 0;
        while let Some(c) = cookies.get(i) {
            if pattern_matches(&c.name, own) {
                cookies.remove(i);
                dropped = true;
            } else {
                i += 1;
            }
        }
        if dropped {
            self.report(&join(path, "cookies"), Code::ListsConsentCookie);
        }
        let mut dropped = false;
        let mut i = 0;
        while let Some(k) = keys.get(i) {
            if pattern_matches(k, own) {
                keys.remove(i);
                dropped = true;
            } else {
                i += 1;
            }
        }
        if dropped {
            self.report(&join(path, "localStorage"), Code::ListsConsentCookie);
        }
    }
}
