//! # Consent Gate
//!
//! A cookie-consent banner compiled to WebAssembly. The crate has two halves:
//!
//! ```text
//!   config JSON ──► model (pure Rust, host-tested) ──► browser (one import) ──► api (exports)
//!                    category · config · record            storage · env · ui     cg_start · cg_set …
//!                    decision · codec · gate · i18n
//! ```
//!
//! * [`model`] owns every rule: the four categories and their aliases, the config
//!   and its validation, the consent record, decisions, the cookie grammar,
//!   gating and language choice. It uses `std` and `serde` only and is tested
//!   with plain `cargo test`.
//! * `browser` (wasm32 only) is the thin edge over the DOM, cookies and
//!   `localStorage`: one import whose JavaScript half is `src/browser/boot.mjs`
//!   and `build.js`.
//! * `api` (wasm32 only) holds every export of the banner module and nothing
//!   else; `core_abi` those of the returning visitor's module. Neither uses
//!   wasm-bindgen or the standard library.
//!
//! ```
//! use consent_gate::model::category::Category;
//! assert_eq!(Category::parse("analytics"), Some(Category::Performance));
//! ```
#![deny(missing_docs)]
// Both visitor modules (wasm32, with or without the `ui` feature) have no
// standard library: no panic machinery, no `core::fmt`, no allocator unless used.
// (The `devtool` feature builds the configurator's checker instead, with std.)
#![cfg_attr(
    all(target_arch = "wasm32", not(feature = "devtool"), not(test)),
    no_std
)]

extern crate alloc;

pub mod model;

// The .wasm's allocator (in place of dlmalloc); compiled on the host for its tests.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod heap;

// A cell for either visitor module's state.
#[cfg(all(target_arch = "wasm32", not(feature = "devtool")))]
mod local;

#[cfg(all(target_arch = "wasm32", feature = "ui"))]
mod browser;

#[cfg(all(target_arch = "wasm32", feature = "ui"))]
mod api;

// The returning visitor's module: decode, validity, gating, the API's answers.
#[cfg(all(target_arch = "wasm32", not(feature = "ui"), not(feature = "devtool")))]
mod core_abi;

// The config checker: the native `consent-gate check` and the configurator's
// developer-tool module share it; never part of a visitor's module.
#[cfg(any(not(target_arch = "wasm32"), feature = "devtool"))]
pub mod check;

// The configurator's developer-tool module (`www/devtool/`, scripts/build-devtool.sh).
#[cfg(all(target_arch = "wasm32", feature = "devtool"))]
mod devtool;

#[cfg(not(target_arch = "wasm32"))]
pub mod native;
