//! Money as integer minor units: parsing what people type and showing it back.

use crate::error::{Error, Result};

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
    let whole: i128 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| bad())?
    };
    let frac6: i128 = frac6.parse().map_err(|_| bad())?;
    let micros = (whole * 1_000_000 + frac6) * mult as i128;
    let cents = micros / 10_000;
    if micros % 10_000 != 0 || cents > i64::MAX as i128 / 100 {
        return Err(bad());
    }
    Ok((cents as i64, currency))
}

/// 1234567 cents -> "12,345.67"; whole amounts lose the ".00".
pub fn format_amount(cents: i64) -> String {
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
pub fn format(cents: i64, currency: &str) -> String {
    format!("{} {currency}", format_amount(cents))
}

/// Short, for narrow cards: 950, 12.5k, 1.2m.
pub fn compact(cents: i64) -> String {
    let units = cents / 100;
    let a = units.unsigned_abs();
    let sign = if units < 0 { "-" } else { "" };
    if a >= 1_000_000 {
        format!("{sign}{}m", tenths(a, 1_000_000))
    } else if a >= 1_000 {
        format!("{sign}{}k", tenths(a, 1_000))
    } else {
        format!("{sign}{a}")
    }
}

fn tenths(a: u64, unit: u64) -> String {
    let t = (a * 10 + unit / 2) / unit;
    if t.is_multiple_of(10) || t >= 1000 {
        format!("{}", t / 10)
    } else {
        format!("{}.{}", t / 10, t % 10)
    }
}

fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
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
        assert_eq!(compact(1_250_000), "12.5k");
        assert_eq!(compact(95_000), "950");
        assert_eq!(compact(120_000_000), "1.2m");
        assert_eq!(compact(100_000_000_000), "1000m");
    }
}
