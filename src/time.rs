//! Simulated time: `SimTime` as integer microseconds, durations parsed from "90s", "5m", "2h",
//! "7d", and piecewise-constant series over time (`Series`).

mod series;

pub use series::Series;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::ops::{Add, Sub};

/// An instant or a span of simulated time, in whole microseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SimTime(pub u64);

pub const MICROS_PER_SEC: u64 = 1_000_000;

impl SimTime {
    pub const ZERO: SimTime = SimTime(0);
    pub const MAX: SimTime = SimTime(u64::MAX);

    pub const fn from_secs(s: u64) -> SimTime {
        SimTime(s * MICROS_PER_SEC)
    }

    /// Rounds to the nearest microsecond; negative or non-finite inputs saturate.
    pub fn from_secs_f64(s: f64) -> SimTime {
        let us = (s * MICROS_PER_SEC as f64).round();
        if us.is_nan() || us <= 0.0 {
            SimTime(0)
        } else if us >= u64::MAX as f64 {
            SimTime::MAX
        } else {
            SimTime(us as u64)
        }
    }

    pub fn as_secs_f64(self) -> f64 {
        self.0 as f64 / MICROS_PER_SEC as f64
    }

    pub fn saturating_add(self, d: SimTime) -> SimTime {
        SimTime(self.0.saturating_add(d.0))
    }

    pub fn saturating_sub(self, d: SimTime) -> SimTime {
        SimTime(self.0.saturating_sub(d.0))
    }
}

impl Add for SimTime {
    type Output = SimTime;
    fn add(self, rhs: SimTime) -> SimTime {
        SimTime(self.0 + rhs.0)
    }
}

impl Sub for SimTime {
    type Output = SimTime;
    fn sub(self, rhs: SimTime) -> SimTime {
        SimTime(self.0 - rhs.0)
    }
}

/// Why a duration string was not understood.
#[derive(Debug, thiserror::Error, PartialEq)]
#[error(
    "invalid duration {input:?}: expected a non-negative number followed by a unit (us, ms, s, m, h, d), e.g. \"90s\", \"5m\", \"2h\", \"7d\""
)]
pub struct DurationParseError {
    pub input: String,
}

/// Parses "90s", "5m", "2h", "7d", "1.5h", "250ms", "10us". A bare number means seconds.
pub fn parse_duration(input: &str) -> Result<SimTime, DurationParseError> {
    let err = || DurationParseError {
        input: input.to_string(),
    };
    let s = input.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    let value: f64 = number.parse().map_err(|_| err())?;
    let micros_per_unit = match unit.trim() {
        "us" => 1.0,
        "ms" => 1e3,
        "" | "s" => 1e6,
        "m" | "min" => 60e6,
        "h" => 3600e6,
        "d" => 86_400e6,
        _ => return Err(err()),
    };
    let us = value * micros_per_unit;
    if !us.is_finite() || us < 0.0 || us >= u64::MAX as f64 {
        return Err(err());
    }
    Ok(SimTime(us.round() as u64))
}

/// Formats as the largest unit that divides the value exactly ("300s" → "5m").
impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const UNITS: [(u64, &str); 5] = [
            (86_400_000_000, "d"),
            (3_600_000_000, "h"),
            (60_000_000, "m"),
            (1_000_000, "s"),
            (1_000, "ms"),
        ];
        if self.0 == 0 {
            return write!(f, "0s");
        }
        for (per, unit) in UNITS {
            if self.0.is_multiple_of(per) {
                return write!(f, "{}{unit}", self.0 / per);
            }
        }
        write!(f, "{}us", self.0)
    }
}

impl Serialize for SimTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for SimTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<SimTime, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = SimTime;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(
                    f,
                    "a duration such as \"90s\", \"5m\", \"2h\", \"7d\" or a number of seconds"
                )
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<SimTime, E> {
                parse_duration(v).map_err(E::custom)
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<SimTime, E> {
                u64::try_from(v)
                    .map(SimTime::from_secs)
                    .map_err(|_| E::custom("a duration must not be negative"))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<SimTime, E> {
                Ok(SimTime::from_secs(v))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<SimTime, E> {
                if v.is_finite() && v >= 0.0 {
                    Ok(SimTime::from_secs_f64(v))
                } else {
                    Err(E::custom(
                        "a duration must be a finite, non-negative number",
                    ))
                }
            }
        }
        d.deserialize_any(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_unit() {
        assert_eq!(parse_duration("90s"), Ok(SimTime::from_secs(90)));
        assert_eq!(parse_duration("5m"), Ok(SimTime::from_secs(300)));
        assert_eq!(parse_duration("2h"), Ok(SimTime::from_secs(7200)));
        assert_eq!(parse_duration("7d"), Ok(SimTime::from_secs(604_800)));
        assert_eq!(parse_duration("1.5h"), Ok(SimTime::from_secs(5400)));
        assert_eq!(parse_duration("250ms"), Ok(SimTime(250_000)));
        assert_eq!(parse_duration("42"), Ok(SimTime::from_secs(42)));
    }

    #[test]
    fn rejects_garbage() {
        for bad in ["", "s", "5x", "-3s", "1e999h", "five minutes"] {
            assert!(parse_duration(bad).is_err(), "{bad} should not parse");
        }
    }

    #[test]
    fn displays_in_largest_exact_unit() {
        assert_eq!(SimTime::from_secs(300).to_string(), "5m");
        assert_eq!(SimTime::from_secs(90).to_string(), "90s");
        assert_eq!(SimTime::from_secs(86_400 * 7).to_string(), "7d");
        assert_eq!(
            parse_duration(&SimTime(1234).to_string()),
            Ok(SimTime(1234))
        );
    }
}
