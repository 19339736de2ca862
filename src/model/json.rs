//! A small JSON reader into [`Value`].
//!
//! The loader hands the config (and a language file) over as JSON text: the
//! browser's `JSON.stringify` does the work on its side, and this reader is a
//! fraction of the code a general deserializer from JS values costs in the
//! `.wasm` (see the README's size notes). It accepts exactly RFC 8259 JSON,
//! refuses nesting deeper than [`MAX_DEPTH`], and never panics.
//! Numbers only need to be good enough for validation (integers are exact up
//! to 2^53), so no float-parsing machinery is pulled in.

#[allow(unused_imports)]
use super::prelude::*;

use super::value::{Value, MAX_DEPTH};

/// Parses JSON text; `None` when it is not valid JSON (or nests too deep).
pub fn parse(text: &str) -> Option<Value> {
    let mut p = Parser { s: text.as_bytes(), i: 0 };
    let v = p.value(0)?;
    p.ws();
    (p.i == p.s.len()).then_some(v)
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.i += 1;
        Some(b)
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn eat(&mut self, word: &[u8]) -> Option<()> {
        let end = self.i.checked_add(word.len())?;
        (self.s.get(self.i..end)? == word).then(|| self.i = end)
    }

    fn value(&mut self, depth: u32) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.ws();
        match self.peek()? {
            b'n' => self.eat(b"null").map(|_| Value::Null),
            b't' => self.eat(b"true").map(|_| Value::Bool(true)),
            b'f' => self.eat(b"false").map(|_| Value::Bool(false)),
            b'"' => self.string().map(Value::String),
            b'[' => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.peek() == Some(b']') {
                    self.i += 1;
                    return Some(Value::Array(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.ws();
                    match self.next()? {
                        b',' => continue,
                        b']' => return Some(Value::Array(items)),
                        _ => return None,
                    }
                }
            }
            b'{' => {
                self.i += 1;
                let mut members = Vec::new();
                self.ws();
                if self.peek() == Some(b'}') {
                    self.i += 1;
                    return Some(Value::Object(members));
                }
                loop {
                    self.ws();
                    if self.peek() != Some(b'"') {
                        return None;
                    }
                    let key = self.string()?;
                    self.ws();
                    if self.next()? != b':' {
                        return None;
                    }
                    members.push((key, self.value(depth + 1)?));
                    self.ws();
                    match self.next()? {
                        b',' => continue,
                        b'}' => return Some(Value::Object(members)),
                        _ => return None,
                    }
                }
            }
            b'-' | b'0'..=b'9' => self.number().map(Value::Number),
            _ => None,
        }
    }

    fn digits(&mut self) -> Option<(f64, i32)> {
        let (mut n, mut count) = (0f64, 0i32);
        while let Some(d @ b'0'..=b'9') = self.peek() {
            n = n * 10.0 + f64::from(d - b'0');
            count = count.saturating_add(1);
            self.i += 1;
        }
        (count > 0).then_some((n, count))
    }

    fn number(&mut self) -> Option<f64> {
        let negative = self.peek() == Some(b'-');
        if negative {
            self.i += 1;
        }
        let leading_zero = self.peek() == Some(b'0');
        let (mut n, count) = self.digits()?;
        if leading_zero && count > 1 {
            return None;
        }
        let mut exponent = 0i32;
        if self.peek() == Some(b'.') {
            self.i += 1;
            let (fraction, places) = self.digits()?;
            n += fraction * pow10(-places);
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            let sign = match self.peek() {
                Some(b'-') => {
                    self.i += 1;
                    -1
                }
                Some(b'+') => {
                    self.i += 1;
                    1
                }
                _ => 1,
            };
            let (e, _) = self.digits()?;
            exponent = sign * (e.min(400.0) as i32);
        }
        let n = n * pow10(exponent);
        // Like serde_json (and unlike JSON.parse), refuse numbers beyond f64.
        n.is_finite().then_some(if negative { -n } else { n })
    }

    fn hex4(&mut self) -> Option<u32> {
        let mut n = 0;
        for _ in 0..4 {
            let d = char::from(self.next()?).to_digit(16)?;
            n = n * 16 + d;
        }
        Some(n)
    }

    fn string(&mut self) -> Option<String> {
        self.i += 1; // the opening quote
        let mut out = String::new();
        loop {
            let start = self.i;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.i += 1;
            }
            // The input is a &str and we stopped at an ASCII byte, so this is a char boundary.
            out.push_str(core::str::from_utf8(self.s.get(start..self.i)?).ok()?);
            match self.next()? {
                b'"' => return Some(out),
                b'\\' => {
                    let c = match self.next()? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return None,
                    };
                    out.push(c);
                }
                _ => return None, // a raw control character
            }
        }
    }

    /// After `\u`: one code unit, or a surrogate pair written as two escapes.
    /// A lone surrogate becomes U+FFFD, as `TextDecoder` would show it.
    fn unicode_escape(&mut self) -> Option<char> {
        let high = self.hex4()?;
        if !(0xD800..0xDC00).contains(&high) {
            return Some(char::from_u32(high).unwrap_or('\u{fffd}'));
        }
        let rewind = self.i;
        if self.eat(b"\\u").is_some() {
            let low = self.hex4()?;
            if (0xDC00..0xE000).contains(&low) {
                return char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00));
            }
        }
        self.i = rewind;
        Some('\u{fffd}')
    }
}

/// 10^e for the small exponents config numbers have; saturates to 0 or infinity.
fn pow10(e: i32) -> f64 {
    let mut r = 1f64;
    let (mut n, up) = (e.unsigned_abs().min(400), e >= 0);
    while n > 0 {
        r = if up { r * 10.0 } else { r / 10.0 };
        n -= 1;
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(members: Vec<(&str, Value)>) -> Value {
        Value::Object(members.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
    }

    #[test]
    fn reads_every_kind_of_value() {
        let v = parse(r#" { "a": [1, -2.5, 3e2, 0], "b": {"c": null, "d": true, "e": false}, "s": "x\"\\\/\n\u00e9\ud83d\ude00" } "#);
        assert_eq!(
            v,
            Some(obj(vec![
                ("a", Value::Array(vec![Value::Number(1.0), Value::Number(-2.5), Value::Number(300.0), Value::Number(0.0)])),
                ("b", obj(vec![("c", Value::Null), ("d", Value::Bool(true)), ("e", Value::Bool(false))])),
                ("s", Value::String("x\"\\/\né😀".into())),
            ]))
        );
        assert_eq!(parse("[]"), Some(Value::Array(vec![])));
        assert_eq!(parse("{}"), Some(Value::Object(vec![])));
        assert_eq!(parse("\"\\ud800\""), Some(Value::String("\u{fffd}".into())));
    }

    #[test]
    fn refuses_what_is_not_json() {
        for bad in [
            "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{a:1}", "'x'", "01", "1.", ".5", "-", "1e", "tru", "nul",
            "\"\u{1}\"", "\"\\x\"", "\"\\u12\"", "[1] 2", "NaN", "Infinity", "{\"a\" 1}", "\"open", "1e400",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn depth_is_limited() {
        let deep = "[".repeat(40) + &"]".repeat(40);
        assert_eq!(parse(&deep), None);
        let ok = "[".repeat(20) + &"]".repeat(20);
        assert!(parse(&ok).is_some());
    }

    #[test]
    fn integers_are_exact() {
        assert_eq!(parse("1000000000"), Some(Value::Number(1e9)));
        assert_eq!(parse("9007199254740991"), Some(Value::Number(9_007_199_254_740_991.0)));
        assert_eq!(parse("182"), Some(Value::Number(182.0)));
    }
}
