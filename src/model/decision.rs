//! Decisions: how accept-all, reject-all or a partial choice turns the
//! previous record (if any) into the new one.

#[allow(unused_imports)]
use super::prelude::*;

use super::category::Category;
use super::config::Config;
use super::record::Record;
use super::value::Value;

/// What a choice is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Key {
    /// A whole category (and all its services).
    Category(Category),
    /// One configured service, by id.
    Service(String),
}

/// What the visitor did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// Grant every category (under honoured GPC, marketing keeps its value).
    AcceptAll,
    /// Refuse every optional category and service.
    RejectAll,
    /// Change the listed keys, in order; everything else keeps its value.
    Set(Vec<(Key, bool)>),
}

/// The inputs a decision needs besides the action.
#[derive(Clone, Copy, Debug)]
pub struct Context<'a> {
    /// The running config.
    pub config: &'a Config,
    /// Unix seconds.
    pub now: u64,
    /// A fresh random id (32 lowercase hex digits), used for a first decision.
    pub new_id: &'a str,
    /// Whether the browser sends Global Privacy Control.
    pub gpc_signal: bool,
    /// Whether the visitor is in an `"opt-out"` region: without a previous
    /// record the decision starts from [`provisional`] (optional categories
    /// granted), and the record says `"mode": "opt-out"`.
    pub opt_out: bool,
}

/// What an undecided visitor in an `"opt-out"` region starts with: every
/// optional category and service granted, except marketing (and its
/// services) under honoured Global Privacy Control. Never stored: the loader
/// only grants from it while there is no stored decision (`get()` stays `null`).
pub fn provisional(config: &Config, now: u64, gpc_signal: bool) -> Record {
    // "Accept all" from nothing: under GPC it leaves marketing refused.
    let ctx = Context {
        config,
        now,
        new_id: "00000000000000000000000000000000",
        gpc_signal,
        opt_out: false,
    };
    let mut r = decide(None, &Action::AcceptAll, &ctx).record;
    r.opt_out = true;
    r
}

/// The result of a decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The record to store.
    pub record: Record,
    /// There was no valid decision before.
    pub first: bool,
    /// `first`, or some grant differs from before.
    pub changed: bool,
    /// Categories granted before and refused now.
    pub withdrawn: Vec<Category>,
    /// Services granted before and refused now.
    pub withdrawn_services: Vec<String>,
    /// Some optional category or service is granted now that was not before.
    pub newly_granted: bool,
}

/// Applies `action` to `previous`, the currently valid record (or `None`).
pub fn decide(previous: Option<&Record>, action: &Action, ctx: &Context) -> Outcome {
    let config = ctx.config;
    let gpc = ctx.gpc_signal && config.gpc;
    let first = previous.is_none();
    // In an opt-out region an undecided visitor starts from the provisional
    // grants: refusing one of them is a withdrawal (its cookies are deleted).
    let assumed = (first && ctx.opt_out).then(|| provisional(config, ctx.now, ctx.gpc_signal));
    let kept = previous;
    let previous = previous.or(assumed.as_ref());
    let mut categories = previous.map_or([true, false, false, false], |p| p.categories);
    // Every configured service, sorted by id; one not in the previous record starts refused.
    // Insertion by id, found by a linear scan: at most 64 services, and far
    // fewer bytes in the .wasm than the standard library's sort (or a binary search).
    let mut services: Vec<(String, bool, Category)> = Vec::new();
    for &c in &Category::ALL {
        for s in &config.category(c).services {
            let mut at = 0;
            while services.get(at).is_some_and(|(id, _, _)| *id < s.id) {
                at += 1;
            }
            services.insert(
                at,
                (
                    s.id.clone(),
                    previous.and_then(|p| p.service(&s.id)).unwrap_or(false),
                    c,
                ),
            );
        }
    }

    match action {
        Action::AcceptAll => {
            for &c in &Category::OPTIONAL {
                if !(gpc && c == Category::Marketing) {
                    set_category(&mut categories, &mut services, c, true);
                }
            }
        }
        Action::RejectAll => {
            for &c in &Category::OPTIONAL {
                set_category(&mut categories, &mut services, c, false);
            }
        }
        Action::Set(choices) => {
            for (key, on) in choices {
                match key {
                    Key::Category(c) if c.is_optional() => {
                        set_category(&mut categories, &mut services, *c, *on)
                    }
                    Key::Category(_) => {}
                    Key::Service(id) => {
                        let mut found = None;
                        for s in services.iter_mut() {
                            if s.0 == *id {
                                s.1 = *on;
                                found = Some(s.2);
                                break;
                            }
                        }
                        let Some(c) = found else {
                            continue;
                        };
                        let mut any = false;
                        for s in &services {
                            any |= s.2 == c && s.1;
                        }
                        if let Some(slot) = categories.get_mut(c.index()) {
                            *slot = any;
                        }
                    }
                }
            }
        }
    }
    // Essential and its services are always on.
    categories[0] = true;
    for s in services.iter_mut() {
        if !s.2.is_optional() {
            s.1 = true;
        }
    }

    let mut record = Record {
        id: kept.map_or(ctx.new_id, |p| p.id.as_str()).into(),
        revision: config.revision,
        decided_at: kept.map_or(ctx.now, |p| p.decided_at.min(ctx.now)),
        updated_at: ctx.now,
        expires_at: ctx
            .now
            .saturating_add(u64::from(config.cookie.lifetime_days) * 86_400),
        categories,
        // Filled below, with the withdrawals.
        services: Vec::with_capacity(services.len()),
        gpc,
        opt_out: ctx.opt_out,
    };
    let was = |c: Category| previous.is_some_and(|p| p.granted(c));
    let was_service = |id: &str| previous.and_then(|p| p.service(id)) == Some(true);
    // Plain loops rather than iterator chains: each `filter().collect()`
    // generates its own adapter and collection code.
    let mut withdrawn = Vec::new();
    let mut newly_granted = false;
    for &c in &Category::OPTIONAL {
        if was(c) && !record.granted(c) {
            withdrawn.push(c);
        }
        newly_granted |= record.granted(c) && !was(c);
    }
    let mut withdrawn_services = Vec::new();
    for (id, on, c) in &services {
        record.services.push((id.clone(), *on));
        if !*on && was_service(id) {
            withdrawn_services.push(id.clone());
        }
        newly_granted |= c.is_optional() && *on && !was_service(id);
    }
    let changed = first
        || previous
            .is_none_or(|p| p.categories != record.categories || p.services != record.services);
    Outcome {
        first,
        changed,
        withdrawn,
        withdrawn_services,
        newly_granted,
        record,
    }
}

/// Sets category `c` and all its services to `on`.
fn set_category(
    cats: &mut [bool; 4],
    services: &mut [(String, bool, Category)],
    c: Category,
    on: bool,
) {
    if let Some(slot) = cats.get_mut(c.index()) {
        *slot = on;
    }
    for s in services.iter_mut() {
        if s.2 == c {
            s.1 = on;
        }
    }
}

/// A bad argument to `ConsentGate.set()`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArgError {
    /// The argument path, e.g. `choices.essential`.
    pub argument: String,
    /// What is wrong, e.g. `essential cannot be refused`.
    pub message: String,
}

fn arg_error(argument: String, message: &str) -> ArgError {
    ArgError {
        argument,
        message: message.into(),
    }
}

/// Reads the argument of `ConsentGate.set()`: category ids, aliases or
/// configured service ids, each with its boolean. The argument's shape (an
/// object whose own properties are all booleans) is the loader's to check,
/// with its own `TypeError`s, before anything reaches the banner module
/// (`set` in `pkg-template/consent-gate.js`); this checks the names, which
/// need the config. A value that is not `true` (never the case after the
/// loader's check) refuses.
pub fn parse_choices(
    members: &[(String, Value)],
    config: &Config,
) -> Result<Vec<(Key, bool)>, ArgError> {
    let mut out = Vec::with_capacity(members.len());
    for (name, value) in members {
        let on = matches!(value, Value::Bool(true));
        let argument = || super::diagnostic::join("choices", name);
        let key = match Category::parse(name) {
            Some(c) => Key::Category(c),
            None if config.service_category(name).is_some() => Key::Service(name.clone()),
            None => return Err(arg_error(argument(), "unknown category or service")),
        };
        let essential = match &key {
            Key::Category(c) => !c.is_optional(),
            Key::Service(id) => config.service_category(id) == Some(Category::Essential),
        };
        if essential && !on {
            let argument = if matches!(key, Key::Category(_)) {
                "choices.essential".into()
            } else {
                argument()
            };
            return Err(arg_error(argument, "essential cannot be refused"));
        }
        out.push((key, on));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::value::Value;

    fn config() -> Config {
        let services = |ids: &[&str]| {
            Value::Object(vec![(
                "services".into(),
                Value::Object(
                    ids.iter()
                        .map(|id| ((*id).into(), Value::Object(Vec::new())))
                        .collect(),
                ),
            )])
        };
        let v = Value::Object(vec![(
            "categories".into(),
            Value::Object(vec![
                ("marketing".into(), services(&["pixel"])),
                ("performance".into(), services(&["ga"])),
            ]),
        )]);
        Config::from_value(&v).unwrap().0
    }

    fn ctx(config: &Config, gpc: bool, opt_out: bool) -> Context<'_> {
        Context {
            config,
            now: 1000,
            new_id: "0123456789abcdef0123456789abcdef",
            gpc_signal: gpc,
            opt_out,
        }
    }

    #[test]
    fn provisional_grants_everything_optional_but_marketing_under_gpc() {
        let c = config();
        let p = provisional(&c, 1000, false);
        assert_eq!(p.categories, [true; 4]);
        assert_eq!(
            p.services,
            vec![("ga".into(), true), ("pixel".into(), true)]
        );
        assert!(p.opt_out && !p.gpc);
        assert_eq!(p.expires_at, 1000 + 182 * 86_400);
        let g = provisional(&c, 1000, true);
        assert_eq!(g.categories, [true, true, true, false]);
        assert_eq!(
            g.services,
            vec![("ga".into(), true), ("pixel".into(), false)]
        );
        assert!(g.gpc);
        let mut off = c.clone();
        off.gpc = false;
        assert_eq!(provisional(&off, 1000, true).categories, [true; 4]);
    }

    #[test]
    fn do_not_sell_in_an_opt_out_region_refuses_marketing_only() {
        let c = config();
        let action = Action::Set(vec![(Key::Category(Category::Marketing), false)]);
        let o = decide(None, &action, &ctx(&c, false, true));
        assert!(o.first && o.changed);
        assert_eq!(o.record.categories, [true, true, true, false]);
        assert_eq!(
            o.record.services,
            vec![("ga".into(), true), ("pixel".into(), false)]
        );
        assert!(o.record.opt_out);
        assert_eq!(o.record.id, "0123456789abcdef0123456789abcdef");
        assert_eq!(o.record.decided_at, 1000);
        assert_eq!(
            o.withdrawn,
            vec![Category::Marketing],
            "it ran provisionally"
        );
        assert_eq!(o.withdrawn_services, vec![String::from("pixel")]);
        assert!(!o.newly_granted);
    }

    #[test]
    fn the_same_action_in_an_opt_in_region_starts_from_nothing() {
        let c = config();
        let action = Action::Set(vec![(Key::Category(Category::Marketing), false)]);
        let o = decide(None, &action, &ctx(&c, false, false));
        assert_eq!(o.record.categories, [true, false, false, false]);
        assert!(!o.record.opt_out);
        assert!(o.withdrawn.is_empty());
    }

    #[test]
    fn opt_out_with_gpc_and_a_later_change() {
        let c = config();
        let o = decide(None, &Action::AcceptAll, &ctx(&c, true, true));
        assert_eq!(o.record.categories, [true, true, true, false]);
        assert!(o.record.gpc && o.record.opt_out);
        assert!(o.withdrawn.is_empty() && !o.newly_granted);
        let later = decide(Some(&o.record), &Action::RejectAll, &ctx(&c, true, true));
        assert!(!later.first);
        assert_eq!(later.record.id, o.record.id);
        assert_eq!(
            later.withdrawn,
            vec![Category::Performance, Category::Functional]
        );
    }
}
