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
    let mut categories = previous.map_or([true, false, false, false], |p| p.categories);
    // Every configured service, sorted by id; one not in the previous record starts refused.
    // Insertion by id: at most 64 services, and far fewer bytes in the .wasm
    // than the standard library's sort.
    let mut services: Vec<(String, bool, Category)> = Vec::new();
    for (c, s) in config.services() {
        let at = services.partition_point(|(id, _, _)| *id < s.id);
        services.insert(
            at,
            (
                s.id.clone(),
                previous.and_then(|p| p.service(&s.id)).unwrap_or(false),
                c,
            ),
        );
    }

    match action {
        Action::AcceptAll => {
            for c in Category::OPTIONAL {
                if !(gpc && c == Category::Marketing) {
                    set_category(&mut categories, &mut services, c, true);
                }
            }
        }
        Action::RejectAll => {
            for c in Category::OPTIONAL {
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
                        let Some(c) = services.iter_mut().find(|s| s.0 == *id).map(|s| {
                            s.1 = *on;
                            s.2
                        }) else {
                            continue;
                        };
                        if let Some(slot) = categories.get_mut(c.index()) {
                            *slot = services.iter().any(|s| s.2 == c && s.1);
                        }
                    }
                }
            }
        }
    }
    // Essential and its services are always on.
    categories[0] = true;
    for s in services.iter_mut().filter(|s| !s.2.is_optional()) {
        s.1 = true;
    }

    let record = Record {
        id: previous.map_or(ctx.new_id, |p| p.id.as_str()).into(),
        revision: config.revision,
        decided_at: previous.map_or(ctx.now, |p| p.decided_at.min(ctx.now)),
        updated_at: ctx.now,
        expires_at: ctx
            .now
            .saturating_add(u64::from(config.cookie.lifetime_days) * 86_400),
        categories,
        services: services
            .iter()
            .map(|(id, on, _)| (id.clone(), *on))
            .collect(),
        gpc,
    };
    let was = |c: Category| previous.is_some_and(|p| p.granted(c));
    let was_service = |id: &str| previous.and_then(|p| p.service(id)) == Some(true);
    let withdrawn: Vec<Category> = Category::OPTIONAL
        .into_iter()
        .filter(|&c| was(c) && !record.granted(c))
        .collect();
    let withdrawn_services: Vec<String> = services
        .iter()
        .filter(|s| !s.1 && was_service(&s.0))
        .map(|s| s.0.clone())
        .collect();
    let newly_granted = Category::OPTIONAL
        .into_iter()
        .any(|c| record.granted(c) && !was(c))
        || services
            .iter()
            .any(|s| s.2.is_optional() && s.1 && !was_service(&s.0));
    let changed =
        previous.is_none_or(|p| p.categories != record.categories || p.services != record.services);
    Outcome {
        first: previous.is_none(),
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
    for s in services.iter_mut().filter(|s| s.2 == c) {
        s.1 = on;
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
