//! What the preferences dialog shows, as plain data; the browser layer draws it.

#[allow(unused_imports)]
use super::prelude::*;

use super::category::Category;
use super::config::{Config, CookieInfo};
use super::i18n::{TextKey, Texts};
use super::record::Record;

/// One category section of the dialog.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryView {
    /// Which category.
    pub category: Category,
    /// Its label (config, else built-in text).
    pub label: String,
    /// Its description (config, else built-in text).
    pub description: String,
    /// Whether the switch is on.
    pub checked: bool,
    /// Whether the switch is locked (essential).
    pub locked: bool,
    /// Its services.
    pub services: Vec<ServiceView>,
    /// The category's own cookies.
    pub cookies: Vec<CookieRow>,
}

/// One service inside a category.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceView {
    /// The service id.
    pub id: String,
    /// Its label (defaults to the id).
    pub label: String,
    /// Its description (may be empty).
    pub description: String,
    /// Whether its switch is on.
    pub checked: bool,
    /// Its cookies.
    pub cookies: Vec<CookieRow>,
}

/// One row of a cookie table; missing fields are empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CookieRow {
    /// Name or `prefix*` pattern.
    pub name: String,
    /// Who sets it.
    pub provider: String,
    /// What it is for.
    pub purpose: String,
    /// How long it lives.
    pub duration: String,
}

/// The built-in label and description keys of `c`.
pub fn text_keys(c: Category) -> (TextKey, TextKey) {
    match c {
        Category::Essential => (TextKey::EssentialLabel, TextKey::EssentialDescription),
        Category::Performance => (TextKey::PerformanceLabel, TextKey::PerformanceDescription),
        Category::Functional => (TextKey::FunctionalLabel, TextKey::FunctionalDescription),
        Category::Marketing => (TextKey::MarketingLabel, TextKey::MarketingDescription),
    }
}

/// The dialog's sections, in category order. Switches show `record`'s grants;
/// without a record every optional switch is off (never pre-ticked).
pub fn dialog(config: &Config, texts: &Texts, record: Option<&Record>) -> Vec<CategoryView> {
    // Plain loops: the iterator chains' folds were ~1 KB of the module's code.
    let mut views = Vec::with_capacity(Category::ALL.len());
    for &c in &Category::ALL {
        let cc = config.category(c);
        let (label, description) = text_keys(c);
        let locked = !c.is_optional();
        let mut services = Vec::with_capacity(cc.services.len());
        for s in &cc.services {
            services.push(ServiceView {
                id: s.id.clone(),
                label: s.label.clone().unwrap_or_else(|| s.id.clone()),
                description: s.description.clone().unwrap_or_default(),
                checked: locked || record.and_then(|r| r.service(&s.id)) == Some(true),
                cookies: rows(&s.cookies),
            });
        }
        views.push(CategoryView {
            category: c,
            label: cc.label.clone().unwrap_or_else(|| texts.get(label).into()),
            description: cc
                .description
                .clone()
                .unwrap_or_else(|| texts.get(description).into()),
            checked: locked || record.is_some_and(|r| r.granted(c)),
            locked,
            services,
            cookies: rows(&cc.cookies),
        });
    }
    views
}

fn rows(cookies: &[CookieInfo]) -> Vec<CookieRow> {
    let field = |f: &Option<String>| f.clone().unwrap_or_default();
    let mut rows = Vec::with_capacity(cookies.len());
    for c in cookies {
        rows.push(CookieRow {
            name: c.name.clone(),
            provider: field(&c.provider),
            purpose: field(&c.purpose),
            duration: field(&c.duration),
        });
    }
    rows
}
