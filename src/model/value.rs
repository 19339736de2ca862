//! A JSON-like tree. The config is read into it first, so validation can
//! report every bad key with its path instead of stopping at the first one.
//!
//! Three readers make one: [`Value::from_bytes`] in the banner module (the
//! binary form `src/browser/boot.mjs` writes from the browser's `JSON.parse`),
//! [`super::json::parse`] in the host tools (the config checker), and serde's
//! `Deserialize` for the tests, which compare against serde_json.

#[allow(unused_imports)]
use super::prelude::*;

use core::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// How deep arrays and objects may nest; deeper input (or a cyclic JS object)
/// is refused instead of exhausting the stack.
pub const MAX_DEPTH: u32 = 32;

/// A JSON value. Object members keep their order, and any duplicates the
/// text had (`JSON.parse` keeps only the last, so the binary form has none).
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// Any number.
    Number(f64),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object, as its members in order.
    Object(Vec<(String, Value)>),
}

/// The compact binary form the banner module receives values in: the
/// browser's own `JSON.parse` reads the text, and `src/browser/boot.mjs`
/// writes the result this way, so the module carries no JSON text reader.
///
/// ```text
/// value  = 0 (null) / 1 (false) / 2 (true) / 3 f64 / 4 text / 5 count *value / 6 count *(text value)
/// text   = u32 byte-length, UTF-8 bytes        ; numbers and lengths little-endian
/// ```
impl Value {
    /// Reads a value in the binary form above; `None` for anything else:
    /// truncated, trailing bytes, bad UTF-8, or nested deeper than [`MAX_DEPTH`].
    pub fn from_bytes(bytes: &[u8]) -> Option<Value> {
        let mut rest = bytes;
        let v = read(&mut rest, 0)?;
        rest.is_empty().then_some(v)
    }

    /// The member `key` of an object (the last one if repeated); `None` otherwise.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(members) => members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number, if this is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The number if it is a whole number within `min..=max`.
    pub fn as_int_in(&self, min: u32, max: u32) -> Option<u32> {
        let n = self.as_f64()?;
        (n == (n as i64) as f64 && n >= f64::from(min) && n <= f64::from(max)).then_some(n as u32)
    }
}

/// Takes `n` bytes off the front of `rest`.
fn take<'a>(rest: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    if rest.len() < n {
        return None;
    }
    let (head, tail) = rest.split_at(n);
    *rest = tail;
    Some(head)
}

fn u32_le(rest: &mut &[u8]) -> Option<usize> {
    let b = take(rest, 4)?;
    Some(u32::from_le_bytes([*b.first()?, *b.get(1)?, *b.get(2)?, *b.get(3)?]) as usize)
}

fn text(rest: &mut &[u8]) -> Option<String> {
    let len = u32_le(rest)?;
    crate::model::text::utf8(take(rest, len)?.to_vec())
}

fn read(rest: &mut &[u8], depth: u32) -> Option<Value> {
    let tag = *take(rest, 1)?.first()?;
    Some(match tag {
        0 => Value::Null,
        1 => Value::Bool(false),
        2 => Value::Bool(true),
        3 => {
            let b = take(rest, 8)?;
            let mut n = [0u8; 8];
            n.copy_from_slice(b);
            Value::Number(f64::from_le_bytes(n))
        }
        4 => Value::String(text(rest)?),
        5 | 6 if depth < MAX_DEPTH => {
            // Each item takes at least one byte: a count beyond what is left is a lie.
            let count = u32_le(rest)?;
            if count > rest.len() {
                return None;
            }
            if tag == 5 {
                let mut items = Vec::with_capacity(count);
                for _ in 0..count {
                    items.push(read(rest, depth + 1)?);
                }
                Value::Array(items)
            } else {
                let mut members = Vec::with_capacity(count);
                for _ in 0..count {
                    let key = text(rest)?;
                    members.push((key, read(rest, depth + 1)?));
                }
                Value::Object(members)
            }
        }
        _ => return None,
    })
}

impl<'de> serde::Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        Seed(0).deserialize(d)
    }
}

/// Deserializes one value at nesting depth `.0`.
struct Seed(u32);

impl<'de> DeserializeSeed<'de> for Seed {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor(self.0))
    }
}

struct ValueVisitor(u32);

impl ValueVisitor {
    fn deeper<E: serde::de::Error>(&self) -> Result<Seed, E> {
        if self.0 >= MAX_DEPTH {
            return Err(E::custom("nested too deeply"));
        }
        Ok(Seed(self.0 + 1))
    }
}

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Number(n as f64))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::Number(n as f64))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Value, E> {
        Ok(Value::Number(n))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.into()))
    }
    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Seed(self.0).deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element_seed(self.deeper()?)? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members = Vec::new();
        while let Some(k) = map.next_key::<String>()? {
            let v = map.next_value_seed(self.deeper()?)?;
            members.push((k, v));
        }
        Ok(Value::Object(members))
    }
}

#[cfg(test)]
mod tests {
    use super::{Value, MAX_DEPTH};

    #[test]
    fn reads_json() {
        let v: Value =
            serde_json::from_str(r#"{"a":[1,-2,2.5,"x",true,null],"b":{"c":false},"a":0}"#)
                .unwrap();
        assert_eq!(
            v.get("a"),
            Some(&Value::Number(0.0)),
            "the last duplicate wins"
        );
        assert_eq!(
            v.get("b").and_then(|b| b.get("c")).and_then(Value::as_bool),
            Some(false)
        );
        let Value::Object(m) = &v else { panic!() };
        assert_eq!(
            m[0].1,
            Value::Array(vec![
                Value::Number(1.0),
                Value::Number(-2.0),
                Value::Number(2.5),
                Value::String("x".into()),
                Value::Bool(true),
                Value::Null
            ])
        );
        assert_eq!(Value::Null.get("a"), None);
        assert_eq!(Value::String("s".into()).as_str(), Some("s"));
        assert_eq!(Value::Number(3.0).as_f64(), Some(3.0));
    }

    #[test]
    fn integer_ranges() {
        assert_eq!(Value::Number(5.0).as_int_in(1, 5), Some(5));
        assert_eq!(Value::Number(5.5).as_int_in(1, 9), None);
        assert_eq!(Value::Number(0.0).as_int_in(1, 9), None);
        assert_eq!(Value::Number(f64::NAN).as_int_in(0, 9), None);
        assert_eq!(Value::String("5".into()).as_int_in(0, 9), None);
    }

    #[test]
    fn depth_is_limited() {
        let deep = "[".repeat(40) + &"]".repeat(40);
        assert!(serde_json::from_str::<Value>(&deep).is_err());
        let ok = "[".repeat(30) + &"]".repeat(30);
        assert!(serde_json::from_str::<Value>(&ok).is_ok());
    }

    /// The binary form, written as `src/browser/boot.mjs` writes it.
    fn bytes(v: &Value, out: &mut Vec<u8>) {
        let text = |s: &str, out: &mut Vec<u8>| {
            out.extend_from_slice(&(s.len() as u32).to_le_bytes());
            out.extend_from_slice(s.as_bytes());
        };
        match v {
            Value::Null => out.push(0),
            Value::Bool(b) => out.push(1 + u8::from(*b)),
            Value::Number(n) => {
                out.push(3);
                out.extend_from_slice(&n.to_le_bytes());
            }
            Value::String(s) => {
                out.push(4);
                text(s, out);
            }
            Value::Array(items) => {
                out.push(5);
                out.extend_from_slice(&(items.len() as u32).to_le_bytes());
                items.iter().for_each(|i| bytes(i, out));
            }
            Value::Object(members) => {
                out.push(6);
                out.extend_from_slice(&(members.len() as u32).to_le_bytes());
                for (k, v) in members {
                    text(k, out);
                    bytes(v, out);
                }
            }
        }
    }

    #[test]
    fn binary_form_round_trips_and_refuses_the_rest() {
        let v: Value = serde_json::from_str(
            r#"{"a":[1,-2.5,0.3,"x\u00e9",true,false,null],"b":{"c":{}},"":[]}"#,
        )
        .unwrap();
        let mut b = Vec::new();
        bytes(&v, &mut b);
        assert_eq!(Value::from_bytes(&b), Some(v));
        for cut in 0..b.len() {
            assert_eq!(Value::from_bytes(&b[..cut]), None, "truncated at {cut}");
        }
        let mut extra = b.clone();
        extra.push(0);
        assert_eq!(Value::from_bytes(&extra), None, "trailing bytes");
        assert_eq!(Value::from_bytes(&[7]), None, "unknown tag");
        assert_eq!(
            Value::from_bytes(&[4, 2, 0, 0, 0, 0xff, 0xfe]),
            None,
            "bad UTF-8"
        );
        assert_eq!(
            Value::from_bytes(&[5, 0xff, 0xff, 0xff, 0xff]),
            None,
            "a count beyond the input"
        );
        let deep = |n: usize| {
            let mut b = Vec::new();
            for _ in 0..n {
                b.extend_from_slice(&[5, 1, 0, 0, 0]);
            }
            b.push(0);
            b
        };
        assert!(Value::from_bytes(&deep(MAX_DEPTH as usize)).is_some());
        assert_eq!(
            Value::from_bytes(&deep(MAX_DEPTH as usize + 1)),
            None,
            "too deep"
        );
    }
}
