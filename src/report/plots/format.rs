//! Numbers for people, shared by the charts and the HTML report: tick labels, US dollars,
//! thousands separators, shares.

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

/// A US dollar amount with thousands separators and no cents: "$12,345", "-$950"; "n/a"
/// when not finite.
pub fn usd(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".to_string();
    }
    let n = number(v.abs(), 0);
    if v.round() < 0.0 {
        format!("-${n}")
    } else {
        format!("${n}")
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
        assert_eq!(number(55_322.0, 0), "55,322");
        assert_eq!(number(1234.56, 1), "1,234.6");
        assert_eq!(number(0.4250, 3), "0.425");
        assert_eq!(number(-0.0001, 2), "0");
        assert_eq!(number(f64::NAN, 2), "NaN");
    }

    #[test]
    fn shares_guard_a_zero_total() {
        assert_eq!(share(1.0, 4.0), "25.0 %");
        assert_eq!(share(0.0, 0.0), "n/a");
    }
}
