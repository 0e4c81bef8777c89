//! What workloads do to the landscape: power drawn as a function of CPU utilisation, and the
//! cooling power that IT power calls for.

mod cooling;
mod power;

pub use cooling::{cooling_per_it_watt, crac_cop};
pub use power::PowerModel;
