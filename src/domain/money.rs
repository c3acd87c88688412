//! Money as integer minor units: parsing what people type and showing it back.
//!
//! One deal's value is at most [`MAX_CENTS`]; sums of values are [`i128`], which no number
//! of deals at the bound can overflow (and money stays exact: never a float).

use crate::error::{Error, Result};

/// The largest value a deal may have, in minor units: 10 trillion (10^13) of the currency.
/// Every way a value comes in (`--value`, a `$12k` note command, the forms, imports) is
/// checked against it, so a value read back from the book fits the sums and the weighting.
pub const MAX_CENTS: i64 = 1_000_000_000_000_000;

/// The refusal of a value above [`MAX_CENTS`] or below zero, naming what was typed.
fn out_of_range(what: &str) -> Error {
    Error::input(format!(
        "{what} is not an amount salesdesk keeps: a value is 0 to {}",
        format_amount(MAX_CENTS)
    ))
}

/// `cents` when it is a value a deal may have (0 to [`MAX_CENTS`]); for values that arrive
/// as numbers (JSON import, the forms), with `what` naming the field in the error.
pub fn check(cents: i64, what: &str) -> Result<i64> {
    if (0..=MAX_CENTS).contains(&cents) {
        Ok(cents)
    } else {
        Err(out_of_range(&format!("{what} {cents} (in cents)")))
    }
}

/// "12000.50", "12,500", "$12k", "1.5m", "€ 900" -> cents. Returns the currency symbol's code
/// when one was typed ($ USD, € EUR, £ GBP).
pub fn parse(input: &str) -> Result<(i64, Option<&'static str>)> {
    let bad = || {
        Error::input(format!(
            "{input:?} is not an amount; write it like 12000.50, 12,500, 12k or 1.5m"
        ))
    };
    let mut s = input.trim();
    let mut currency = None;
    for (sym, code) in [("$", "USD"), ("€", "EUR"), ("£", "GBP")] {
        if let Some(rest) = s.strip_prefix(sym) {
            s = rest.trim_start();
            currency = Some(code);
        }
    }
    let lower = s.to_ascii_lowercase();
    let (num, mult) = if let Some(n) = lower.strip_suffix('k') {
        (n.to_string(), 1_000)
    } else if let Some(n) = lower.strip_suffix('m') {
        (n.to_string(), 1_000_000)
    } else {
        (lower.clone(), 1)
    };
    let num = num.replace([',', '_', ' '], "");
    if num.is_empty() || num.starts_with('-') {
        return Err(bad());
    }
    let (whole, frac) = match num.split_once('.') {
        Some((w, f)) => (w, f),
        None => (num.as_str(), ""),
    };
    if !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    if whole.is_empty() && frac.is_empty() {
        return Err(bad());
    }
    // Work in units of 1/1_000_000 so "1.5k" and "0.25" are exact before scaling.
    let frac6: String = frac.chars().chain(std::iter::repeat('0')).take(6).collect();
    if frac.len() > 6 {
        return Err(bad());
    }
    // Digits past i128's reach are out of range, not a failed parse.
    let whole = whole.trim_start_matches('0');
    if whole.len() > 30 {
        return Err(out_of_range(&format!("{input:?}")));
    }
    let whole: i128 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| bad())?
    };
    let frac6: i128 = frac6.parse().map_err(|_| bad())?;
    let micros = (whole * 1_000_000 + frac6) * mult as i128;
    let cents = micros / 10_000;
    if micros % 10_000 != 0 {
        return Err(bad());
    }
    if cents > MAX_CENTS as i128 {
        return Err(out_of_range(&format!("{input:?}")));
    }
    Ok((cents as i64, currency))
}

/// 1234567 cents -> "12,345.67"; whole amounts lose the ".00". Takes one value or a sum.
pub fn format_amount(cents: impl Into<i128>) -> String {
    let cents: i128 = cents.into();
    let neg = cents < 0;
    let c = cents.unsigned_abs();
    let whole = group(c / 100);
    let frac = c % 100;
    let sign = if neg { "-" } else { "" };
    if frac == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{frac:02}")
    }
}

/// "12,345.67 USD"
pub fn format(cents: impl Into<i128>, currency: &str) -> String {
    format!("{} {currency}", format_amount(cents))
}

/// Short, for narrow cards: 950, 12.5k, 174k, 1.2m, 3b, 10t. Rounded to the nearest, so the
/// rows of a table add up to about its total: one decimal below 100 of the suffix (where a
/// tenth is still a few percent), whole above it.
pub fn compact(cents: impl Into<i128>) -> String {
    let cents: i128 = cents.into();
    let sign = if cents < 0 { "-" } else { "" };
    let c = cents.unsigned_abs();
    if (c + 50) / 100 < 1000 {
        return format!("{sign}{}", (c + 50) / 100);
    }
    // The smallest suffix whose whole part stays below 1000 after rounding, so 999,950 is
    // "1m", not "1000k"; the largest takes whatever is left.
    let suffixes = [
        ("k", 100_000u128),
        ("m", 100_000_000),
        ("b", 100_000_000_000),
        ("t", 100_000_000_000_000),
    ];
    let (suffix, unit) = suffixes
        .into_iter()
        .find(|(_, unit)| (c + unit / 2) / unit < 1000)
        .unwrap_or(suffixes[suffixes.len() - 1]);
    let tenths = (c * 10 + unit / 2) / unit;
    if tenths >= 1000 {
        format!("{sign}{}{suffix}", (c + unit / 2) / unit)
    } else if tenths.is_multiple_of(10) {
        format!("{sign}{}{suffix}", tenths / 10)
    } else {
        format!("{sign}{}.{}{suffix}", tenths / 10, tenths % 10)
    }
}

fn group(n: u128) -> String {
    crate::text::group_digits(&n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_people_type() {
        for (input, cents, cur) in [
            ("12000.50", 1_200_050, None),
            ("12,500", 1_250_000, None),
            ("$12k", 1_200_000, Some("USD")),
            ("1.5m", 150_000_000, None),
            ("€ 900", 90_000, Some("EUR")),
            ("0.25", 25, None),
            ("12.5K", 1_250_000, None),
        ] {
            assert_eq!(parse(input).unwrap(), (cents, cur), "{input}");
        }
        for bad in ["", "abc", "-5", "1.234", "12kk", "$"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn formats() {
        assert_eq!(format_amount(1_234_567), "12,345.67");
        assert_eq!(format_amount(100_000_000), "1,000,000");
        assert_eq!(format(1_250_000, "EUR"), "12,500 EUR");
    }

    #[test]
    fn compact_rounds_to_the_nearest() {
        for (cents, want) in [
            (0, "0"),
            (95_000, "950"),
            (99_949, "999"),
            (99_950, "1k"),
            (100_000, "1k"),
            (104_900, "1k"),
            (105_000, "1.1k"),
            (1_250_000, "12.5k"),
            (9_995_000, "100k"),
            (13_050_000, "131k"),
            (17_365_000, "174k"),
            (17_349_999, "173k"),
            (99_949_999, "999k"),
            (99_950_000, "1m"),
            (120_000_000, "1.2m"),
            (125_000_000, "1.3m"),
            (1_234_567_800, "12.3m"),
            (17_365_000_000, "174m"),
            (100_000_000_000, "1b"),
            (99_949_999_999_999, "999b"),
            (99_950_000_000_000, "1t"),
            (MAX_CENTS as i128, "10t"),
            (MAX_CENTS as i128 * 10_000, "100000t"),
            (-17_365_000, "-174k"),
            (i64::MAX as i128 * 10_000, "922337204t"),
        ] {
            assert_eq!(compact(cents), want, "{cents}");
        }
    }

    #[test]
    fn values_are_bounded() {
        assert_eq!(parse("10000000000000").unwrap().0, MAX_CENTS);
        assert_eq!(parse("10,000,000,000,000.00").unwrap().0, MAX_CENTS);
        for too_big in [
            "10000000000000.01",
            "10000000001k",
            "10000001m",
            "92233720368547758.07",
            "99999999999999999999999999999999999999999",
            "$1e3",
        ] {
            let e = parse(too_big).unwrap_err().to_string();
            assert!(
                e.contains("0 to 10,000,000,000,000") || e.contains("not an amount"),
                "{too_big}: {e}"
            );
        }
        assert!(check(MAX_CENTS, "value_cents").is_ok());
        assert!(check(0, "value_cents").is_ok());
        for bad in [MAX_CENTS + 1, -1, i64::MAX, i64::MIN] {
            let e = check(bad, "value_cents").unwrap_err().to_string();
            assert!(
                e.contains("value_cents") && e.contains("0 to 10,000,000,000,000"),
                "{e}"
            );
        }
        // sums of many values at the bound stay exact
        let sum: i128 = std::iter::repeat_n(MAX_CENTS as i128, 100_000).sum();
        assert_eq!(format_amount(sum), "1,000,000,000,000,000,000");
    }
}
