//! The browser edge: the only code that names `web_sys` or `js_sys`, with
//! `build.js` (the DOM of each view and the banner UI's plumbing, in
//! JavaScript). Each module owns one web API and stays thin; every rule it
//! applies comes from [`crate::model`]. Gating, cross-tab sync and what
//! `accepted()` answers belong to the core module (`src/core_abi.rs`) and the
//! loader; this edge serves the banner module.

pub(crate) mod convert;
pub(crate) mod declaration;
pub(crate) mod dom;
pub(crate) mod signals;
pub(crate) mod storage;
pub(crate) mod ui;

#[cfg(test)]
mod tests;
