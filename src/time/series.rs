//! `Series`: a piecewise-constant value over simulated time (a tariff, a grid carbon intensity),
//! optionally repeating with a period, and its exact integral against a constant rate.

use super::SimTime;

/// Values that hold from each point's time until the next point's; optionally periodic.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Sorted by time, strictly increasing, the first at time zero.
    points: Vec<(SimTime, f64)>,
    period: Option<SimTime>,
}

/// Why points do not make a series.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SeriesError {
    #[error("the series is empty: expected at least one row")]
    Empty,
    #[error("the first row must be at time 0, found {0}")]
    LateStart(SimTime),
    #[error("times must increase strictly: {0} follows {1}")]
    NotIncreasing(SimTime, SimTime),
    #[error("the repeat period {0} must be longer than the last time {1}")]
    ShortPeriod(SimTime, SimTime),
}

impl Series {
    pub fn constant(value: f64) -> Series {
        Series {
            points: vec![(SimTime::ZERO, value)],
            period: None,
        }
    }

    pub fn new(
        points: Vec<(SimTime, f64)>,
        period: Option<SimTime>,
    ) -> Result<Series, SeriesError> {
        let first = points.first().ok_or(SeriesError::Empty)?;
        if first.0 != SimTime::ZERO {
            return Err(SeriesError::LateStart(first.0));
        }
        if let Some(w) = points.windows(2).find(|w| w[1].0 <= w[0].0) {
            return Err(SeriesError::NotIncreasing(w[1].0, w[0].0));
        }
        let last = points.last().expect("not empty").0;
        if let Some(p) = period.filter(|&p| p <= last) {
            return Err(SeriesError::ShortPeriod(p, last));
        }
        Ok(Series { points, period })
    }

    /// The value at `t` and the time at which it next may change.
    fn segment(&self, t: SimTime) -> (f64, SimTime) {
        let (local, base) = match self.period {
            Some(p) => (SimTime(t.0 % p.0), SimTime(t.0 - t.0 % p.0)),
            None => (t, SimTime::ZERO),
        };
        let i = self.points.partition_point(|&(at, _)| at <= local) - 1;
        let end = match (self.points.get(i + 1), self.period) {
            (Some(&(next, _)), _) => base + next,
            (None, Some(p)) => base + p,
            (None, None) => SimTime::MAX,
        };
        (self.points[i].1, end)
    }

    pub fn value_at(&self, t: SimTime) -> f64 {
        self.segment(t).0
    }

    /// ∫ value(t) dt over [from, to], in value × seconds.
    pub fn integral(&self, from: SimTime, to: SimTime) -> f64 {
        if self.points.len() == 1 {
            return self.points[0].1 * to.saturating_sub(from).as_secs_f64();
        }
        let mut t = from;
        let mut acc = 0.0;
        while t < to {
            let (v, end) = self.segment(t);
            let end = end.min(to);
            acc += v * (end - t).as_secs_f64();
            t = end;
        }
        acc
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(x: u64) -> SimTime {
        SimTime::from_secs(3600 * x)
    }

    #[test]
    fn integrates_across_segments_and_periods() {
        // 0.10 from 0 h to 7 h, 0.25 from 7 h to 19 h, 0.10 to 24 h, repeated daily.
        let s = Series::new(vec![(h(0), 0.10), (h(7), 0.25), (h(19), 0.10)], Some(h(24))).unwrap();
        assert_eq!(s.value_at(h(8)), 0.25);
        assert_eq!(s.value_at(h(24 + 20)), 0.10);
        // One day: 7·0.10 + 12·0.25 + 5·0.10 = 4.2 value-hours.
        assert!((s.integral(h(0), h(24)) / 3600.0 - 4.2).abs() < 1e-12);
        // 6 h → 30 h: 1·0.10 + 12·0.25 + 5·0.10 + 6·0.10 = 4.2.
        assert!((s.integral(h(6), h(30)) / 3600.0 - 4.2).abs() < 1e-12);
        assert_eq!(Series::constant(2.0).integral(h(1), h(3)), 2.0 * 7200.0);
    }

    #[test]
    fn rejects_malformed_points() {
        assert_eq!(Series::new(vec![], None), Err(SeriesError::Empty));
        assert!(matches!(
            Series::new(vec![(h(1), 1.0)], None),
            Err(SeriesError::LateStart(_))
        ));
        assert!(matches!(
            Series::new(vec![(h(0), 1.0), (h(0), 2.0)], None),
            Err(SeriesError::NotIncreasing(..))
        ));
        assert!(matches!(
            Series::new(vec![(h(0), 1.0), (h(5), 2.0)], Some(h(4))),
            Err(SeriesError::ShortPeriod(..))
        ));
    }
}
