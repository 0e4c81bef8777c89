//! `FacilityMeter`: facility power (IT plus cooling) integrated exactly against a time-varying
//! electricity price and grid carbon intensity.

use crate::time::{Series, SimTime};

#[derive(Clone, Debug)]
pub struct FacilityMeter {
    /// Facility power now, watts (IT + cooling of every host).
    power_w: f64,
    last: SimTime,
    price_usd_per_kwh: Series,
    intensity_g_per_kwh: Series,
    /// ∫ P·price dt so far.
    pub energy_usd: f64,
    /// ∫ P·intensity dt so far, grams.
    pub carbon_g: f64,
}

impl FacilityMeter {
    pub fn new(price_usd_per_kwh: Series, intensity_g_per_kwh: Series) -> FacilityMeter {
        FacilityMeter {
            power_w: 0.0,
            last: SimTime::ZERO,
            price_usd_per_kwh,
            intensity_g_per_kwh,
            energy_usd: 0.0,
            carbon_g: 0.0,
        }
    }

    /// Integrates the current power from the last change up to `now`.
    pub fn advance(&mut self, now: SimTime) {
        if now <= self.last {
            return;
        }
        let kw_hours_per_second = self.power_w / 1000.0 / 3600.0;
        if kw_hours_per_second != 0.0 {
            self.energy_usd +=
                kw_hours_per_second * self.price_usd_per_kwh.integral(self.last, now);
            self.carbon_g +=
                kw_hours_per_second * self.intensity_g_per_kwh.integral(self.last, now);
        }
        self.last = now;
    }

    /// Power changes by `delta_w` at `now`.
    pub fn change(&mut self, now: SimTime, delta_w: f64) {
        self.advance(now);
        self.power_w += delta_w;
    }

    /// Replaces the running sum by an exact one (called at samples, so rounding never accumulates).
    pub fn reset_power(&mut self, now: SimTime, power_w: f64) {
        self.advance(now);
        self.power_w = power_w;
    }

    pub fn power_w(&self) -> f64 {
        self.power_w
    }
}
