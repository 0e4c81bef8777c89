//! The built-in placement policies, one per file.

mod best_fit;
mod first_fit;
mod random;
mod round_robin;
mod worst_fit;

pub use best_fit::BestFit;
pub use first_fit::FirstFit;
pub use random::RandomFit;
pub use round_robin::RoundRobin;
pub use worst_fit::WorstFit;
