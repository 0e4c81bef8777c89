//! VM selection on an overloaded host: minimum migration time (MMT), minimum utilisation (MU),
//! random (RS) and maximum correlation (MC).

use rand::RngExt;
use rand::rngs::ChaCha8Rng;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selector {
    Mmt,
    Mu,
    Rs,
    Mc,
}

/// What a selector sees of one VM on the host.
#[derive(Clone, Copy, Debug)]
pub struct Candidate<'a> {
    /// Memory to copy, MB (migration time = memory / bandwidth).
    pub memory_mb: f64,
    /// The VM's own utilisation now (fraction of its request).
    pub utilisation: f64,
    /// Its past utilisation, newest first.
    pub history: &'a [f64],
    /// Already migrating: not a candidate.
    pub migrating: bool,
}

impl Selector {
    /// Index of the VM to migrate next, or `None` if none can move. Ties: the first.
    pub fn select(&self, vms: &[Candidate], rng: &mut ChaCha8Rng) -> Option<usize> {
        let movable = || vms.iter().enumerate().filter(|(_, v)| !v.migrating);
        let least = |key: fn(&Candidate) -> f64| {
            movable()
                .min_by(|a, b| key(a.1).total_cmp(&key(b.1)).then(a.0.cmp(&b.0)))
                .map(|(i, _)| i)
        };
        match self {
            Selector::Mmt => least(|v| v.memory_mb),
            Selector::Mu => least(|v| v.utilisation),
            Selector::Rs => {
                let ids: Vec<usize> = movable().map(|(i, _)| i).collect();
                (!ids.is_empty()).then(|| ids[rng.random_range(0..ids.len())])
            }
            Selector::Mc => max_correlation(vms).or_else(|| Selector::Mmt.select(vms, rng)),
        }
    }
}

/// The movable VM whose history is best explained by the others' (largest R² of a multiple
/// linear regression on them); `None` when the histories are too short to regress.
///
/// One inverse serves every VM: with Z = [1, history₀, …, historyₖ₋₁] over the common length,
/// the residual sum of squares of regressing column j on the others is 1 / (ZᵀZ)⁻¹ⱼⱼ, so
/// R²ᵢ = 1 − 1 / ((ZᵀZ)⁻¹ᵢ₊₁,ᵢ₊₁ · Σ(yᵢ − ȳᵢ)²): O(k³) for the host instead of O(k⁴). Where
/// ZᵀZ is (nearly) singular, each VM's own regression decides (`max_correlation_by_solves`).
fn max_correlation(vms: &[Candidate]) -> Option<usize> {
    let len = regression_length(vms)?;
    let k = vms.len();
    let n = k + 1;
    let gram = gram(vms, len);
    let Some(inverse) = invert(&gram, n) else {
        return max_correlation_by_solves(vms, len, &gram);
    };
    let mut best: Option<(usize, f64)> = None;
    for i in (0..k).filter(|&i| !vms[i].migrating) {
        let y = &vms[i].history[..len];
        let mean = y.iter().sum::<f64>() / len as f64;
        let ss_tot: f64 = y.iter().map(|v| (v - mean).powi(2)).sum();
        let diag = inverse[(i + 1) * n + i + 1];
        if ss_tot <= 0.0 || diag.is_nan() || diag <= 0.0 {
            continue;
        }
        let r2 = 1.0 - 1.0 / (diag * ss_tot);
        if best.is_none_or(|(_, b)| r2 > b) {
            best = Some((i, r2));
        }
    }
    best.map(|(i, _)| i)
}

/// The histories' common length, if it is long enough to regress each VM on the others.
fn regression_length(vms: &[Candidate]) -> Option<usize> {
    let len = vms.iter().map(|v| v.history.len()).min()?;
    (vms.len() >= 2 && len > vms.len()).then_some(len)
}

/// ZᵀZ for Z = [1, history₀, …, historyₖ₋₁] over the first `len` samples, row-major. Each
/// entry is summed over t in order (the upper triangle, mirrored: the products commute), as a
/// regression of its own would sum it.
fn gram(vms: &[Candidate], len: usize) -> Vec<f64> {
    let n = vms.len() + 1;
    let mut gram = vec![0.0; n * n];
    let mut row = vec![0.0; n];
    for t in 0..len {
        row[0] = 1.0;
        for (r, v) in row[1..].iter_mut().zip(vms) {
            *r = v.history[t];
        }
        for a in 0..n {
            let za = row[a];
            for b in a..n {
                gram[a * n + b] += za * row[b];
            }
        }
    }
    for a in 0..n {
        for b in 0..a {
            gram[a * n + b] = gram[b * n + a];
        }
    }
    gram
}

/// The inverse of the symmetric `n` × `n` matrix `a` (row-major) by Gauss–Jordan elimination
/// with partial pivoting; `None` when a pivot is negligible against the matrix's scale.
fn invert(a: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut a = a.to_vec();
    let scale = (0..n).map(|i| a[i * n + i].abs()).fold(0.0, f64::max);
    let mut inv = vec![0.0; n * n];
    for i in 0..n {
        inv[i * n + i] = 1.0;
    }
    for c in 0..n {
        let pivot = (c..n).max_by(|&i, &j| a[i * n + c].abs().total_cmp(&a[j * n + c].abs()))?;
        if a[pivot * n + c].abs() <= 1e-10 * scale {
            return None;
        }
        if pivot != c {
            for k in 0..n {
                a.swap(c * n + k, pivot * n + k);
                inv.swap(c * n + k, pivot * n + k);
            }
        }
        let p = a[c * n + c];
        for k in 0..n {
            a[c * n + k] /= p;
            inv[c * n + k] /= p;
        }
        for r in (0..n).filter(|&r| r != c) {
            let f = a[r * n + c];
            if f != 0.0 {
                for k in 0..n {
                    a[r * n + k] -= f * a[c * n + k];
                    inv[r * n + k] -= f * inv[c * n + k];
                }
            }
        }
    }
    Some(inv)
}

/// `max_correlation` by one regression per VM, each solved from the shared Gram matrix (summed
/// in the order a regression of its own would sum it).
fn max_correlation_by_solves(vms: &[Candidate], len: usize, gram: &[f64]) -> Option<usize> {
    let k = vms.len();
    let n = k + 1;
    let z = |c: usize, t: usize| if c == 0 { 1.0 } else { vms[c - 1].history[t] };
    let mut cols = Vec::with_capacity(k);
    let mut a = Vec::with_capacity(k * (k + 1));
    (0..k)
        .filter(|&i| !vms[i].migrating)
        .filter_map(|i| {
            cols.clear();
            cols.push(0);
            cols.extend((0..k).filter(|&j| j != i).map(|j| j + 1));
            // The augmented normal equations, row-major: p rows of p + 1.
            a.clear();
            for &r in &cols {
                a.extend(cols.iter().map(|&c| gram[r * n + c]));
                a.push(gram[r * n + i + 1]);
            }
            let p = cols.len();
            solve_in_place(&mut a, p)?;
            let beta = |r: usize| a[r * (p + 1) + p] / a[r * (p + 1) + r];
            let y = &vms[i].history[..len];
            let mean = y.iter().sum::<f64>() / y.len() as f64;
            let (mut ss_res, mut ss_tot) = (0.0, 0.0);
            for (t, &yt) in y.iter().enumerate() {
                let fit: f64 = cols
                    .iter()
                    .enumerate()
                    .map(|(r, &c)| z(c, t) * beta(r))
                    .sum();
                ss_res += (yt - fit).powi(2);
                ss_tot += (yt - mean).powi(2);
            }
            (ss_tot > 0.0).then(|| (i, 1.0 - ss_res / ss_tot))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(i, _)| i)
}

/// `solve` on a row-major augmented matrix of `n` rows of `n + 1`, in place (the same
/// operations in the same order, without allocating); the solution is then
/// `a[r][n] / a[r][r]`. `None` if singular.
fn solve_in_place(a: &mut [f64], n: usize) -> Option<()> {
    let w = n + 1;
    for c in 0..n {
        let pivot = (c..n).max_by(|&i, &j| a[i * w + c].abs().total_cmp(&a[j * w + c].abs()))?;
        if a[pivot * w + c].abs() < 1e-12 {
            return None;
        }
        if pivot != c {
            for k in 0..w {
                a.swap(c * w + k, pivot * w + k);
            }
        }
        for r in (0..n).filter(|&r| r != c) {
            let f = a[r * w + c] / a[c * w + c];
            for k in c..w {
                a[r * w + k] -= f * a[c * w + k];
            }
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Gaussian elimination with partial pivoting on an augmented matrix.
    fn solve(mut a: Vec<Vec<f64>>) -> Option<Vec<f64>> {
        let n = a.len();
        for c in 0..n {
            let pivot = (c..n).max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))?;
            if a[pivot][c].abs() < 1e-12 {
                return None;
            }
            a.swap(c, pivot);
            let pivot_row = a[c].clone();
            for (r, row) in a.iter_mut().enumerate() {
                if r != c {
                    let f = row[c] / pivot_row[c];
                    for (x, p) in row[c..].iter_mut().zip(&pivot_row[c..]) {
                        *x -= f * p;
                    }
                }
            }
        }
        Some((0..n).map(|i| a[i][n] / a[i][i]).collect())
    }

    /// R² of the least-squares fit y ≈ β₀ + Σ βⱼ xⱼ, by the normal equations; `None` if singular.
    fn r_squared(x: &[Vec<f64>], y: &[f64]) -> Option<f64> {
        let p = x[0].len() + 1;
        let row = |t: usize| {
            std::iter::once(1.0)
                .chain(x[t].iter().copied())
                .collect::<Vec<f64>>()
        };
        let mut a = vec![vec![0.0; p + 1]; p];
        for (t, &yt) in y.iter().enumerate() {
            let r = row(t);
            for i in 0..p {
                for j in 0..p {
                    a[i][j] += r[i] * r[j];
                }
                a[i][p] += r[i] * yt;
            }
        }
        let beta = solve(a)?;
        let mean = y.iter().sum::<f64>() / y.len() as f64;
        let (mut ss_res, mut ss_tot) = (0.0, 0.0);
        for (t, &yt) in y.iter().enumerate() {
            let fit: f64 = row(t).iter().zip(&beta).map(|(r, b)| r * b).sum();
            ss_res += (yt - fit).powi(2);
            ss_tot += (yt - mean).powi(2);
        }
        (ss_tot > 0.0).then(|| 1.0 - ss_res / ss_tot)
    }

    /// The regression of each VM on the others built from its own rows: the reference that
    /// `max_correlation`'s shared Gram matrix must agree with, to the bit.
    fn max_correlation_by_rows(vms: &[Candidate]) -> Option<usize> {
        let len = vms.iter().map(|v| v.history.len()).min()?;
        let k = vms.len();
        if k < 2 || len <= k {
            return None;
        }
        (0..k)
            .filter(|&i| !vms[i].migrating)
            .filter_map(|i| {
                let y: Vec<f64> = vms[i].history[..len].to_vec();
                let x: Vec<Vec<f64>> = (0..len)
                    .map(|t| {
                        (0..k)
                            .filter(|&j| j != i)
                            .map(|j| vms[j].history[t])
                            .collect()
                    })
                    .collect();
                r_squared(&x, &y).map(|r| (i, r))
            })
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|(i, _)| i)
    }

    proptest::proptest! {
        #[test]
        fn the_shared_gram_matrix_picks_as_each_regression_would(
            histories in proptest::collection::vec(
                proptest::collection::vec(0.0f64..1.0, 6..14), 2..6),
            moving in 0usize..6,
        ) {
            let vms: Vec<Candidate> = histories
                .iter()
                .enumerate()
                .map(|(i, h)| Candidate {
                    memory_mb: 1.0,
                    utilisation: 0.5,
                    history: h,
                    migrating: i == moving,
                })
                .collect();
            // The shared Gram matrix's solves agree with each VM's own regression to the bit.
            let solves = regression_length(&vms)
                .and_then(|len| max_correlation_by_solves(&vms, len, &gram(&vms, len)));
            proptest::prop_assert_eq!(solves, max_correlation_by_rows(&vms));
            // The inverse picks a VM whose R² is the best one's (to rounding).
            let exact = |i: usize| {
                let len = vms.iter().map(|v| v.history.len()).min().unwrap();
                let y: Vec<f64> = vms[i].history[..len].to_vec();
                let x: Vec<Vec<f64>> = (0..len)
                    .map(|t| (0..vms.len()).filter(|&j| j != i).map(|j| vms[j].history[t]).collect())
                    .collect();
                r_squared(&x, &y)
            };
            match (max_correlation(&vms), max_correlation_by_rows(&vms)) {
                (Some(fast), Some(best)) => {
                    let (a, b) = (exact(fast).unwrap(), exact(best).unwrap());
                    proptest::prop_assert!((a - b).abs() < 1e-9, "{} vs {}", a, b);
                }
                (fast, best) => proptest::prop_assert_eq!(fast, best),
            }
        }
    }
    use crate::engine::{Purpose, RngStreams};

    fn vm(memory_mb: f64, utilisation: f64, history: &[f64]) -> Candidate<'_> {
        Candidate {
            memory_mb,
            utilisation,
            history,
            migrating: false,
        }
    }

    #[test]
    fn mmt_and_mu_pick_the_least() {
        let mut rng = RngStreams::new(1).stream(Purpose::Policy);
        let mut vms = [
            vm(1740.0, 0.2, &[]),
            vm(613.0, 0.9, &[]),
            vm(870.0, 0.1, &[]),
        ];
        assert_eq!(
            Selector::Mmt.select(&vms, &mut rng),
            Some(1),
            "613 MB moves fastest"
        );
        assert_eq!(Selector::Mu.select(&vms, &mut rng), Some(2));
        vms[1].migrating = true;
        assert_eq!(
            Selector::Mmt.select(&vms, &mut rng),
            Some(2),
            "a migrating VM is skipped"
        );
    }

    #[test]
    fn random_selection_is_uniform_over_movable_vms() {
        let mut rng = RngStreams::new(3).stream(Purpose::Policy);
        let mut vms = [vm(1.0, 0.0, &[]), vm(1.0, 0.0, &[]), vm(1.0, 0.0, &[])];
        vms[0].migrating = true;
        let mut counts = [0i32; 3];
        for _ in 0..6000 {
            counts[Selector::Rs.select(&vms, &mut rng).unwrap()] += 1;
        }
        assert_eq!(counts[0], 0);
        assert!(
            (counts[1] - 3000).abs() < 200 && (counts[2] - 3000).abs() < 200,
            "{counts:?}"
        );
    }

    #[test]
    fn max_correlation_picks_the_vm_the_others_explain() {
        // a and b rise together; c is noise-like. a = 2b exactly, so a (and b) have R² = 1
        // against the others; ties go to the first.
        let a = [0.8, 0.6, 0.4, 0.6, 0.2, 0.4, 0.8];
        let b = [0.4, 0.3, 0.2, 0.3, 0.1, 0.2, 0.4];
        let c = [0.5, 0.1, 0.9, 0.2, 0.7, 0.3, 0.6];
        let mut rng = RngStreams::new(1).stream(Purpose::Policy);
        let vms = [vm(1.0, 0.0, &c), vm(1.0, 0.0, &a), vm(1.0, 0.0, &b)];
        assert_eq!(Selector::Mc.select(&vms, &mut rng), Some(1));
        // Too little history to regress: falls back to MMT.
        let short = [
            vm(5.0, 0.0, &a[..2]),
            vm(2.0, 0.0, &b[..2]),
            vm(9.0, 0.0, &c[..2]),
        ];
        assert_eq!(Selector::Mc.select(&short, &mut rng), Some(1));
    }

    #[test]
    fn r_squared_of_an_exact_fit_is_one() {
        let x: Vec<Vec<f64>> = (0..5).map(|t| vec![t as f64]).collect();
        let y: Vec<f64> = (0..5).map(|t| 3.0 + 2.0 * t as f64).collect();
        assert!((r_squared(&x, &y).unwrap() - 1.0).abs() < 1e-12);
    }
}
