//! ISO-8601 timestamps from Unix seconds, without a date library.

#[allow(unused_imports)]
use super::prelude::*;

use super::text::Sink;

/// Formats Unix seconds as UTC in the shape of JavaScript's
/// `Date.prototype.toISOString`, e.g. `"2026-11-22T18:20:02.000Z"`, so
/// `new Date(s).toISOString() === s` holds for every record date.
pub fn iso8601(unix_secs: u64) -> String {
    let mut s = String::with_capacity(24);
    write_iso8601(&mut s, unix_secs);
    s
}

/// [`iso8601`], appended to any [`Sink`].
pub fn write_iso8601(s: &mut impl Sink, unix_secs: u64) {
    let days = unix_secs / 86_400;
    let secs = unix_secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    s.decimal(year);
    for (sep, n) in [
        ("-", month),
        ("-", day),
        ("T", secs / 3600),
        (":", secs / 60 % 60),
        (":", secs % 60),
    ] {
        s.put(sep);
        if n < 10 {
            s.put("0");
        }
        s.decimal(n);
    }
    s.put(".000Z");
}

/// Howard Hinnant's `civil_from_days`: days since 1970-01-01 to (year, month, day).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::iso8601;

    #[test]
    fn known_dates() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(86_399), "1970-01-01T23:59:59.000Z");
        assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00.000Z");
        assert_eq!(iso8601(951_868_800), "2000-03-01T00:00:00.000Z");
        assert_eq!(iso8601(1_709_164_800), "2024-02-29T00:00:00.000Z");
        assert_eq!(iso8601(1_704_067_199), "2023-12-31T23:59:59.000Z");
        assert_eq!(iso8601(4_107_542_400), "2100-03-01T00:00:00.000Z");
        assert_eq!(iso8601(1_795_371_602), "2026-11-22T18:20:02.000Z");
        assert_eq!(iso8601(253_402_300_799), "9999-12-31T23:59:59.000Z");
    }
}
