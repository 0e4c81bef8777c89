//! Numbers for people, shared by the charts and the HTML report: tick labels, US dollars,
//! thousands separators, shares, durations.

/// A tick label: no trailing zeros, ten thousand and more as "k", a million and more as "M".
pub fn tick(v: f64) -> String {
    let a = v.abs();
    if a >= 1e6 {
        format!("{}M", trim(v / 1e6))
    } else if a >= 1e4 {
        format!("{}k", trim(v / 1e3))
    } else {
        trim(v)
    }
}

/// A US dollar tick label: "$0", "$950", "$12.5k", "$1.2M".
pub fn usd_tick(v: f64) -> String {
    let sign = if v < 0.0 { "-" } else { "" };
    let a = v.abs();
    if a >= 1e6 {
        format!("{sign}${}M", trim(a / 1e6))
    } else if a >= 1e3 {
        format!("{sign}${}k", trim(a / 1e3))
    } else {
        format!("{sign}${}", trim(a))
    }
}

/// A US dollar amount with thousands separators: no cents from $100 up ("$12,345", "-$950"),
/// cents below ("$12.5"), and up to four decimals below a dollar ("$0.056"), so that a small
/// amount never shows as "$0"; "n/a" when not finite.
pub fn usd(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".to_string();
    }
    let a = v.abs();
    let decimals = if a >= 100.0 {
        0
    } else if a >= 1.0 {
        2
    } else {
        4
    };
    let n = number(a, decimals);
    if n != "0" && v < 0.0 {
        format!("-${n}")
    } else {
        format!("${n}")
    }
}

/// A duration for people: "42.5 s", "12 min 5 s", "3 h 20 min", "2 d 4 h", "30 d".
pub fn duration(seconds: f64) -> String {
    if !seconds.is_finite() {
        return "n/a".to_string();
    }
    let s = seconds.max(0.0);
    let pair = |big: u64, big_unit: &str, small: u64, small_unit: &str| {
        if small == 0 {
            format!("{} {big_unit}", number(big as f64, 0))
        } else {
            format!("{} {big_unit} {small} {small_unit}", number(big as f64, 0))
        }
    };
    if s < 60.0 {
        format!("{} s", number(s, 1))
    } else if s < 3_600.0 {
        let t = s.round() as u64;
        pair(t / 60, "min", t % 60, "s")
    } else if s < 86_400.0 {
        let t = (s / 60.0).round() as u64;
        pair(t / 60, "h", t % 60, "min")
    } else {
        let t = (s / 3_600.0).round() as u64;
        pair(t / 24, "d", t % 24, "h")
    }
}

/// `v` with thousands separators and at most `decimals` decimals (trailing zeros dropped).
pub fn number(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    let text = format!("{:.*}", decimals, v.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::new();
    if v < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push('-');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    let frac = frac.trim_end_matches('0');
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// The share of `v` in `total`, as "12.3 %", or "n/a" when the total is zero.
pub fn share(v: f64, total: f64) -> String {
    if total != 0.0 && total.is_finite() && v.is_finite() {
        format!("{:.1} %", 100.0 * v / total)
    } else {
        "n/a".to_string()
    }
}

/// Up to two decimals, without trailing zeros.
fn trim(v: f64) -> String {
    number(v, 2).replace(',', "")
}

/// A number for a table: four significant digits, thousands separators, no exponent for
/// ordinary magnitudes.
pub fn value(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".to_string();
    }
    let a = v.abs();
    if a != 0.0 && !(1e-4..1e12).contains(&a) {
        return format!("{v:.3e}");
    }
    let decimals = if a == 0.0 {
        0
    } else {
        (3 - a.log10().floor() as i32).clamp(0, 8) as usize
    };
    number(v, decimals)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_short() {
        assert_eq!(tick(0.0), "0");
        assert_eq!(tick(2.5), "2.5");
        assert_eq!(tick(-0.001), "0");
        assert_eq!(tick(25_000.0), "25k");
        assert_eq!(usd_tick(12_500.0), "$12.5k");
        assert_eq!(usd_tick(0.0), "$0");
    }

    #[test]
    fn amounts_have_separators() {
        assert_eq!(usd(1_234_567.4), "$1,234,567");
        assert_eq!(usd(-950.0), "-$950");
        assert_eq!(usd(0.0), "$0");
        assert_eq!(usd(f64::NAN), "n/a");
        // Small amounts keep their cents (the report once showed $0.056 as "$0").
        assert_eq!(usd(0.05612), "$0.0561");
        assert_eq!(usd(0.014016), "$0.014");
        assert_eq!(usd(12.5), "$12.5");
        assert_eq!(usd(-0.00001), "$0");
        assert_eq!(number(55_322.0, 0), "55,322");
        assert_eq!(number(1234.56, 1), "1,234.6");
        assert_eq!(number(0.4250, 3), "0.425");
        assert_eq!(number(-0.0001, 2), "0");
        assert_eq!(number(f64::NAN, 2), "NaN");
    }

    #[test]
    fn durations_read_as_days_and_hours() {
        assert_eq!(duration(59.1), "59.1 s");
        assert_eq!(duration(725.0), "12 min 5 s");
        assert_eq!(duration(12_000.0), "3 h 20 min");
        assert_eq!(duration(86_400.0), "1 d");
        assert_eq!(duration(2_592_000.0), "30 d");
        assert_eq!(duration(187_200.0), "2 d 4 h");
    }

    #[test]
    fn shares_guard_a_zero_total() {
        assert_eq!(share(1.0, 4.0), "25.0 %");
        assert_eq!(share(0.0, 0.0), "n/a");
    }
}
