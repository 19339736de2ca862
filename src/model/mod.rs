//! The pure core: every rule of Consent Gate as plain Rust (`std` + `serde`).
//!
//! Nothing here touches the browser. Time (`now`, Unix seconds) and randomness
//! (the consent id) come in as arguments, so every function is deterministic
//! and tested on the host with `cargo test`.
//!
//! * [`category`]: the four categories and their aliases.
//! * [`value`], [`json`]: a JSON-like tree the config is read from, and the
//!   host tools' JSON reader (the modules get theirs from `JSON.parse`).
//! * [`config`]: the validated config; every bad key is reported with its path
//!   as a [`diagnostic::Diagnostic`].
//! * [`record`], [`decision`]: the consent record and how a decision changes it.
//! * [`codec`]: the cookie grammar a server can parse.
//! * [`gate`]: whether a gated element may run.
//! * [`hosts`]: automatic blocking (`autoBlock`, `blockHosts`): which hosts are held.
//! * [`region`], [`crawler`]: the banner mode for the visitor's region, and who is a crawler.
//! * [`i18n`], [`view`]: texts, language choice and what the dialog shows.
//! * [`markup`]: the banner module's DOM as byte programs (one per view).
//! * [`time`]: ISO-8601 dates without a date library.
//! * [`withdraw`]: which cookies and storage keys a withdrawal deletes.
//! * [`names`]: what a service id, cookie name, link or language tag may be.
//! * [`text`]: text output without `core::fmt`.
//!
//! Everything here is `no_std` + `alloc`, so the returning visitor's module
//! (built without the `ui` feature, with no standard library) shares it.

/// What `std`'s prelude would give: the model compiles without it.
#[allow(unused_imports)]
pub(crate) mod prelude {
    pub use alloc::borrow::ToOwned;
    pub use alloc::boxed::Box;
    pub use alloc::string::{String, ToString};
    pub use alloc::vec;
    pub use alloc::vec::Vec;
}

pub mod category;
pub mod codec;
pub mod config;
pub mod crawler;
pub mod decision;
pub mod diagnostic;
pub mod gate;
pub mod hints;
pub mod hosts;
pub mod i18n;
pub mod json;
pub mod markup;
pub mod names;
pub mod record;
pub mod region;
pub mod text;
pub mod time;
pub mod value;
pub mod view;
pub mod withdraw;

/// Appends the decimal digits of `n` to `s` without the formatting machinery.
pub fn push_decimal(s: &mut alloc::string::String, n: u64) {
    text::Sink::decimal(s, n);
}
