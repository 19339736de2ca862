//! Model values as the plain JS objects the API hands out.

use js_sys::Object;
use wasm_bindgen::JsValue;

use super::dom::put;
use crate::model::category::Category;
use crate::model::record::Record;
use crate::model::time::iso8601;

/// The consent record in the contract's shape (section 4).
pub(crate) fn record_to_js(r: &Record) -> JsValue {
    let o = Object::new();
    put(&o, "id", &JsValue::from_str(&r.id));
    put(&o, "revision", &JsValue::from(r.revision));
    put(&o, "decidedAt", &JsValue::from_str(&iso8601(r.decided_at)));
    put(&o, "updatedAt", &JsValue::from_str(&iso8601(r.updated_at)));
    put(&o, "expiresAt", &JsValue::from_str(&iso8601(r.expires_at)));
    let categories = Object::new();
    for c in Category::ALL {
        put(&categories, c.as_str(), &JsValue::from_bool(r.granted(c)));
    }
    put(&o, "categories", &categories);
    let services = Object::new();
    for (id, on) in &r.services {
        put(&services, id, &JsValue::from_bool(*on));
    }
    put(&o, "services", &services);
    put(&o, "gpc", &JsValue::from_bool(r.gpc));
    if r.opt_out {
        put(&o, "mode", &JsValue::from_str("opt-out"));
    }
    o.into()
}
