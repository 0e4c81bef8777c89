//! Small statistics on utilisation histories: median, MAD, IQR (CloudSim's quartile rule), and
//! weighted least-squares lines.

/// Calls `f` with a scratch copy of `data` (on the stack for histories of up to 64 samples).
fn with_copy<R>(data: &[f64], f: impl FnOnce(&mut [f64]) -> R) -> R {
    let mut buf = [0.0f64; 64];
    if data.len() <= buf.len() {
        let v = &mut buf[..data.len()];
        v.copy_from_slice(data);
        f(v)
    } else {
        f(&mut data.to_vec())
    }
}

/// The values of ranks `lo` ≤ `hi` in `v` (as `total_cmp` sorts them), in linear time: exactly
/// `sorted[lo]` and `sorted[hi]`, without sorting.
fn ranks(v: &mut [f64], lo: usize, hi: usize) -> (f64, f64) {
    let (left, &mut high, _) = v.select_nth_unstable_by(hi, f64::total_cmp);
    let low = if lo == hi {
        high
    } else {
        *left.select_nth_unstable_by(lo, f64::total_cmp).1
    };
    (low, high)
}

/// The median (mean of the two middle values for an even count); 0 for no data.
pub fn median(data: &[f64]) -> f64 {
    if data.is_empty() {
        return 0.0;
    }
    with_copy(data, |v| {
        let n = v.len();
        if n % 2 == 1 {
            ranks(v, n / 2, n / 2).1
        } else {
            let (a, b) = ranks(v, n / 2 - 1, n / 2);
            (a + b) / 2.0
        }
    })
}

/// Median absolute deviation from the median.
pub fn mad(data: &[f64]) -> f64 {
    let m = median(data);
    with_copy(data, |dev| {
        for d in dev.iter_mut() {
            *d = (*d - m).abs();
        }
        median(dev)
    })
}

/// Interquartile range with the quartile positions CloudSim uses:
/// q1 = sorted[round(0.25·(n+1)) − 1], q3 = sorted[round(0.75·(n+1)) − 1].
pub fn iqr(data: &[f64]) -> f64 {
    if data.is_empty() {
        return 0.0;
    }
    with_copy(data, |v| {
        let n = v.len() as f64;
        let at = |q: f64| (((q * (n + 1.0)).round() as usize).saturating_sub(1)).min(v.len() - 1);
        let (q1, q3) = ranks(v, at(0.25), at(0.75));
        q3 - q1
    })
}

/// (intercept, slope) of the weighted least-squares line through (x_i, y_i); `None` if degenerate.
pub fn weighted_line(x: &[f64], y: &[f64], w: &[f64]) -> Option<(f64, f64)> {
    let sw: f64 = w.iter().sum();
    if sw <= 0.0 {
        return None;
    }
    let mx = x.iter().zip(w).map(|(x, w)| x * w).sum::<f64>() / sw;
    let my = y.iter().zip(w).map(|(y, w)| y * w).sum::<f64>() / sw;
    let sxx: f64 = x.iter().zip(w).map(|(x, w)| w * (x - mx).powi(2)).sum();
    let sxy: f64 = x
        .iter()
        .zip(y)
        .zip(w)
        .map(|((x, y), w)| w * (x - mx) * (y - my))
        .sum();
    if sxx <= 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    Some((my - slope * mx, slope))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_spreads_by_hand() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        // |x − 3| for 1..5 = 2,1,0,1,2 → median 1.
        assert_eq!(mad(&[1.0, 2.0, 3.0, 4.0, 5.0]), 1.0);
        // n = 12: q1 = sorted[round(3.25) − 1] = sorted[2], q3 = sorted[round(9.75) − 1] = sorted[9].
        let d: Vec<f64> = (1..=12).map(f64::from).collect();
        assert_eq!(iqr(&d), 10.0 - 3.0);
    }

    #[test]
    fn least_squares_line() {
        let x = [1.0, 2.0, 3.0, 4.0];
        let (a, b) = weighted_line(&x, &[3.0, 5.0, 7.0, 9.0], &[1.0; 4]).unwrap();
        assert!((a - 1.0).abs() < 1e-12 && (b - 2.0).abs() < 1e-12);
        assert!(weighted_line(&[1.0, 1.0], &[1.0, 2.0], &[1.0, 1.0]).is_none());
    }
}
