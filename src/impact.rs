//! What workloads do to the landscape: power drawn as a function of CPU utilisation.

mod power;

pub use power::PowerModel;
