//! Scenario keys of the failure model (`[failures]`): per entity kind a time to failure and a
//! time to repair, a failure trace, the detection delay before killed VMs restart.

use super::schema::LifetimeSpec;
use super::{ScenarioError, SourceMap};
use crate::time::SimTime;
use serde::{Deserialize, Serialize};

/// `[failures]`: absent, nothing ever fails (and nothing of this costs a run anything).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FailuresSpec {
    /// Time from a host's failure until its killed VMs are restarted elsewhere by the placement
    /// policy. Default "5m".
    #[serde(default = "default_detection")]
    pub detection_delay: SimTime,
    /// Time from a cooling unit's failure until the hosts of the racks it cools trip (as if they
    /// failed); repaired sooner, nothing trips. Default "10m".
    #[serde(default = "default_trip")]
    pub cooling_trip_delay: SimTime,
    /// Time from a cooling unit's failure until the hosts of the racks it cools throttle (run
    /// on, but count as throttled VM-hours and take no new work) until they trip or the unit is
    /// repaired. At or past `cooling_trip_delay`, hosts trip without throttling first.
    /// Default "5m".
    #[serde(default = "default_throttle")]
    pub cooling_throttle_delay: SimTime,
    /// A failure trace (CSV, path beside the scenario file): `time,target,duration[,fraction]`,
    /// see `docs/failures.md`. Default: none.
    #[serde(default)]
    pub trace: Option<String>,
    /// Random failures per kind; a kind left out fails only as the trace says.
    #[serde(default)]
    pub host: Option<KindFailures>,
    #[serde(default)]
    pub rack: Option<KindFailures>,
    #[serde(default)]
    pub pdu: Option<KindFailures>,
    #[serde(default)]
    pub cooling: Option<KindFailures>,
    #[serde(default)]
    pub ups: Option<KindFailures>,
    /// ToR switches (`landscape.tor_switches`): a failed switch cuts its rack's hosts off.
    #[serde(default)]
    pub tor: Option<KindFailures>,
    /// Aggregation switches (`landscape.racks_per_aggregation`): a failed one cuts the hosts of
    /// all its racks off.
    #[serde(default)]
    pub agg: Option<KindFailures>,
}

/// Every entity of a kind fails after a time drawn from `mtbf` (counted from its last repair,
/// or from the start) and is repaired after a time drawn from `mttr`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct KindFailures {
    /// Time between failures (up time): a lifetime distribution, e.g.
    /// `{ distribution = "exponential", mean = "30d" }`, or "weibull", "lognormal", …
    pub mtbf: LifetimeSpec,
    /// Time to repair (down time), the same kinds of distribution.
    pub mttr: LifetimeSpec,
}

fn default_detection() -> SimTime {
    SimTime::from_secs(300)
}

fn default_throttle() -> SimTime {
    SimTime::from_secs(300)
}

fn default_trip() -> SimTime {
    SimTime::from_secs(600)
}

impl FailuresSpec {
    /// The kinds with random failures, by name, in a fixed order.
    pub fn kinds(&self) -> [(&'static str, Option<&KindFailures>); 7] {
        [
            ("host", self.host.as_ref()),
            ("rack", self.rack.as_ref()),
            ("pdu", self.pdu.as_ref()),
            ("cooling", self.cooling.as_ref()),
            ("ups", self.ups.as_ref()),
            ("tor", self.tor.as_ref()),
            ("agg", self.agg.as_ref()),
        ]
    }
}

/// Checks every distribution of `[failures]`, and that the kinds it makes fail are in the
/// landscape (UPSs and ToR switches only when the landscape has them).
pub fn validate(
    f: &FailuresSpec,
    landscape: &super::schema::LandscapeSpec,
    src: &SourceMap,
) -> Result<(), ScenarioError> {
    for (name, kind) in f.kinds() {
        let Some(k) = kind else { continue };
        let missing = match name {
            "ups" if landscape.pdus_per_ups.is_none() => Some("landscape.pdus_per_ups"),
            "tor" if !landscape.tor_switches => Some("landscape.tor_switches = true"),
            "agg" if landscape.racks_per_aggregation.is_none() => {
                Some("landscape.racks_per_aggregation")
            }
            _ => None,
        };
        if let Some(key) = missing {
            return Err(src.error(
                Some(&format!("failures.{name}")),
                format!("the landscape has no {name} entities to fail: expected {key}"),
            ));
        }
        super::validate::validate_lifetime(&k.mtbf, src, &format!("failures.{name}.mtbf"))?;
        super::validate::validate_lifetime(&k.mttr, src, &format!("failures.{name}.mttr"))?;
    }
    Ok(())
}
