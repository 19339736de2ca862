//! A small JSON reader into [`Value`], for the host tools (the config checker
//! in `src/native/check.rs`) and the tests. The browser's modules do not use
//! it: the browser's `JSON.parse` reads the text and `src/browser/boot.mjs`
//! hands the result to the banner module in [`Value::from_bytes`]'s binary
//! form (see the end of this note for why).
//!
//! It accepts exactly RFC 8259 JSON, refuses nesting deeper than
//! [`MAX_DEPTH`] (exactly where [`Value`]'s own `Deserialize` stops), and
//! never panics.
//!
//! A number reads as the nearest `f64` (as `JSON.parse` and serde_json read
//! it: `0.3` is `0.3`, `0e400` is `0`); like serde_json, and unlike
//! `JSON.parse`, a number beyond the `f64` range (`1e400`) is refused. The
//! conversion is `core`'s `str::parse::<f64>` (no `std`, no `core::fmt`).
//! That parser is why the browser's modules do without this reader: it is
//! large in a `.wasm` (about 17 KB raw, 13.9 KB brotli after `wasm-opt -Oz`,
//! measured alone).

#[allow(unused_imports)]
use super::prelude::*;

use super::value::{Value, MAX_DEPTH};

/// Parses JSON text; `None` when it is not valid JSON (or nests too deep).
pub fn parse(text: &str) -> Option<Value> {
    let mut p = Parser {
        s: text.as_bytes(),
        i: 0,
    };
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

    /// One value at nesting `depth` (0 at the top). An array or object at
    /// depth [`MAX_DEPTH`] is refused, as [`Value`]'s `Deserialize` refuses it.
    fn value(&mut self, depth: u32) -> Option<Value> {
        self.ws();
        if matches!(self.peek(), Some(b'[' | b'{')) && depth >= MAX_DEPTH {
            return None;
        }
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

    /// Skips ASCII digits; whether there was at least one.
    fn digits(&mut self) -> Option<()> {
        let start = self.i;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.i += 1;
        }
        (self.i > start).then_some(())
    }

    /// A number: the RFC 8259 grammar is checked here, then `core` converts
    /// the text to the nearest `f64`; out of the `f64` range is refused.
    fn number(&mut self) -> Option<f64> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        let leading_zero = self.peek() == Some(b'0');
        let int_start = self.i;
        self.digits()?;
        if leading_zero && self.i - int_start > 1 {
            return None;
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            self.digits()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.peek(), Some(b'-' | b'+')) {
                self.i += 1;
            }
            self.digits()?;
        }
        // ASCII only, checked just above, and exactly the JSON grammar, which
        // `f64`'s parser accepts (it also takes more, e.g. `inf`, never given).
        let text = core::str::from_utf8(self.s.get(start..self.i)?).ok()?;
        let n: f64 = text.parse().ok()?;
        // Like serde_json (and unlike JSON.parse), refuse numbers beyond f64.
        n.is_finite().then_some(n)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(members: Vec<(&str, Value)>) -> Value {
        Value::Object(
            members
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
        )
    }

    #[test]
    fn reads_every_kind_of_value() {
        let v = parse(
            r#" { "a": [1, -2.5, 3e2, 0], "b": {"c": null, "d": true, "e": false}, "s": "x\"\\\/\n\u00e9\ud83d\ude00" } "#,
        );
        assert_eq!(
            v,
            Some(obj(vec![
                (
                    "a",
                    Value::Array(vec![
                        Value::Number(1.0),
                        Value::Number(-2.5),
                        Value::Number(300.0),
                        Value::Number(0.0)
                    ])
                ),
                (
                    "b",
                    obj(vec![
                        ("c", Value::Null),
                        ("d", Value::Bool(true)),
                        ("e", Value::Bool(false))
                    ])
                ),
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
            "",
            " ",
            "{",
            "}",
            "[1,]",
            "{\"a\":1,}",
            "{a:1}",
            "'x'",
            "01",
            "1.",
            ".5",
            "-",
            "1e",
            "tru",
            "nul",
            "\"\u{1}\"",
            "\"\\x\"",
            "\"\\u12\"",
            "[1] 2",
            "NaN",
            "Infinity",
            "{\"a\" 1}",
            "\"open",
            "1e400",
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
    fn depth_limit_is_the_same_as_value_deserialize() {
        for n in [31, 32, 33] {
            let text = "[".repeat(n) + &"]".repeat(n);
            let ours = parse(&text);
            let serde = serde_json::from_str::<Value>(&text).ok();
            assert_eq!(ours, serde, "{n} nested arrays");
            assert_eq!(ours.is_some(), n <= MAX_DEPTH as usize, "{n} nested arrays");
        }
        let text = "{\"a\":".repeat(33) + "1" + &"}".repeat(33);
        assert_eq!(parse(&text), None);
        let text = "{\"a\":".repeat(32) + "1" + &"}".repeat(32);
        assert!(
            parse(&text).is_some(),
            "a number inside the deepest object is fine"
        );
    }

    #[test]
    fn numbers_are_the_nearest_f64() {
        for (text, n) in [
            ("0.3", 0.3),
            ("0.1", 0.1),
            ("-2.675", -2.675),
            ("1.7976931348623157e308", f64::MAX),
            ("2.2250738585072014e-308", f64::MIN_POSITIVE),
            ("5e-324", 5e-324),
            ("1e-400", 0.0),
            ("0e400", 0.0),
            ("0.0e-99999999999999999999", 0.0),
            ("123.456E+2", 12345.6),
            ("9007199254740993", 9_007_199_254_740_992.0),
            ("18446744073709551616", 18_446_744_073_709_551_616.0),
        ] {
            let got = parse(text).and_then(|v| v.as_f64());
            assert_eq!(got.map(f64::to_bits), Some(n.to_bits()), "{text}");
        }
        assert_eq!(
            parse("-0").and_then(|v| v.as_f64()).map(f64::to_bits),
            Some((-0.0f64).to_bits())
        );
        for out_of_range in ["1e400", "-1e400", "1.8e308", "1e99999999999999999999"] {
            assert_eq!(parse(out_of_range), None, "{out_of_range}");
        }
    }

    #[test]
    fn integers_are_exact() {
        assert_eq!(parse("1000000000"), Some(Value::Number(1e9)));
        assert_eq!(
            parse("9007199254740991"),
            Some(Value::Number(9_007_199_254_740_991.0))
        );
        assert_eq!(parse("182"), Some(Value::Number(182.0)));
    }
}
