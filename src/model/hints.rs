//! Site-owner hints about gated markup (docs/hostile.md): a gated element
//! whose `data-category` names no category, or whose `data-service` names a
//! service the config does not declare, never runs (the core grants nothing
//! unknown). The banner module says so once per element, with the closest
//! known name when it is within two edits (a likely typo).

#[allow(unused_imports)]
use super::prelude::*;

use super::category::Category;
use super::config::Config;

/// The hint for one gated element (`tag`: its start tag, as the page has it),
/// or `None` when its names are known. Without the "Consent Gate: " prefix.
pub fn hint(config: &Config, category: &str, service: &str, tag: &str) -> Option<String> {
    let category = category.trim_ascii();
    let service = service.trim_ascii();
    let mut categories: Vec<&str> = Vec::new();
    for c in Category::ALL {
        categories.push(c.as_str());
        for alias in c.aliases() {
            categories.push(alias);
        }
    }
    let (what, name, known) = if !categories.contains(&category.to_ascii_lowercase().as_str()) {
        ("category", category, categories)
    } else if !service.is_empty() && config.service_category(service).is_none() {
        let mut services: Vec<&str> = Vec::new();
        for c in Category::ALL {
            for s in &config.category(c).services {
                services.push(&s.id);
            }
        }
        ("service", service, services)
    } else {
        return None;
    };
    let mut m = String::from(tag);
    m.push_str(" names the ");
    m.push_str(what);
    m.push_str(" \"");
    m.push_str(name);
    m.push_str("\", which ");
    m.push_str(if what == "category" {
        "does not exist"
    } else {
        "the config does not declare"
    });
    // The closest known name within two edits, and closer than the name is long.
    let lower = name.to_ascii_lowercase();
    let mut near: Option<(usize, &str)> = None;
    for k in known {
        let d = distance(&lower, k);
        if d <= 2 && d < name.chars().count() && near.is_none_or(|(best, _)| d < best) {
            near = Some((d, k));
        }
    }
    if let Some((_, k)) = near {
        m.push_str(" (did you mean \"");
        m.push_str(k);
        m.push_str("\"?)");
    }
    m.push_str(": it never runs.");
    Some(m)
}

/// The Levenshtein distance between `a` and `b`, over chars. (The checker's
/// `distance` in src/check.rs also counts a swap of neighbours as one edit;
/// one shared function in the model measured +33 B brotli before the banner
/// and +66 B after it, for a hint only site owners read, so each keeps its own.)
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for j in 0..b.len() {
            let next = (diagonal + usize::from(ca != b[j]))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::{distance, hint};
    use crate::model::config::Config;
    use crate::model::json::parse;

    fn config() -> Config {
        let v =
            parse(r#"{"categories":{"performance":{"services":{"matomo":{"label":"Matomo"}}}}}"#)
                .unwrap();
        Config::from_value(&v).unwrap().0
    }

    #[test]
    fn distances() {
        assert_eq!(distance("", ""), 0);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("analitics", "analytics"), 1);
        assert_eq!(distance("marketting", "marketing"), 1);
        assert_eq!(distance("é", "e"), 1);
    }

    #[test]
    fn known_names_need_no_hint() {
        let c = config();
        for (category, service) in [
            ("performance", ""),
            (" Analytics ", ""),
            ("marketing", ""),
            ("performance", "matomo"),
        ] {
            assert_eq!(
                hint(&c, category, service, "<script>"),
                None,
                "{category} {service}"
            );
        }
    }

    #[test]
    fn a_typo_gets_the_nearest_name() {
        let c = config();
        assert_eq!(
            hint(&c, "analitics", "", "<script type=\"text/plain\">").as_deref(),
            Some("<script type=\"text/plain\"> names the category \"analitics\", which does not exist (did you mean \"analytics\"?): it never runs.")
        );
        assert_eq!(
            hint(&c, "performance", "matamo", "<img>").as_deref(),
            Some("<img> names the service \"matamo\", which the config does not declare (did you mean \"matomo\"?): it never runs.")
        );
        // Nothing within two edits (or the name is too short to guess from).
        assert_eq!(
            hint(&c, "xyz", "", "<p>").as_deref(),
            Some("<p> names the category \"xyz\", which does not exist: it never runs.")
        );
        assert_eq!(
            hint(&c, "", "", "<p>").as_deref(),
            Some("<p> names the category \"\", which does not exist: it never runs.")
        );
    }
}
