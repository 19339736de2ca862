//! The browser edge: the only code that names `web_sys`, `js_sys` or
//! `gloo_storage`. Each module owns one web API and stays thin; every rule it
//! applies comes from [`crate::model`].

pub(crate) mod convert;
pub(crate) mod declaration;
pub(crate) mod dom;
pub(crate) mod gate;
pub(crate) mod signals;
pub(crate) mod storage;
pub(crate) mod tabs;
pub(crate) mod ui;

#[cfg(test)]
mod tests;
