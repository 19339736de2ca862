//! The browser edge of the banner module: the one import (`js`) and thin
//! modules over it, each owning one part of the page; every rule they apply
//! comes from [`crate::model`]. The JavaScript half is `boot.mjs` (the import's
//! functions, the module's entry) and `build.js` (the DOM of each view, the
//! banner UI's plumbing). Gating, cross-tab sync and what `accepted()` answers
//! belong to the core module (`src/core_abi.rs`) and the loader.

pub(crate) mod declaration;
pub(crate) mod env;
pub(crate) mod js;
pub(crate) mod storage;
pub(crate) mod ui;
