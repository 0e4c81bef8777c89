//! The discrete-event kernel: the `Event` enum, the `EventQueue`, the run loop, and `RngStreams`.

mod background;
mod failures;
mod handlers;
mod live;
mod migration;
mod power_states;
mod queue;
mod rebalance;
pub mod rng;
mod sampling;
mod services;
mod sim;

pub use failures::describe_failures;
pub use live::{LiveSet, LiveWorkload, Sampled};
pub use queue::EventQueue;
pub use rng::{Purpose, RngStreams};
pub use sampling::{MAX_PASS_THREADS, usage_pass_threads};
pub use services::{SERVICE_CLASS, SERVICE_ID_BASE};
pub use sim::{
    EngineError, NoObserver, RunObserver, RunOptions, RunResult, Simulation, landscape_of,
};

/// Something that happens at an instant of simulated time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// The pending workload from the stream arrives.
    Arrival,
    /// A running workload ends. `generation` guards against a recycled handle.
    Departure { handle: u32, generation: u32 },
    /// The head of the waiting queue may have waited too long.
    QueueExpiry,
    /// Usage profiles are refreshed and a time-series row is recorded.
    Sample,
    /// A booting host is ready.
    BootDone { host: u32 },
    /// A host has been empty for the grace period: it may shut down.
    IdleCheck { host: u32 },
    /// A host finished shutting down.
    ShutdownDone { host: u32 },
    /// The rebalancing loop runs.
    Rebalance,
    /// A live migration finished copying.
    MigrationDone { handle: u32, generation: u32 },
    /// The background flow's learners run (`[insight]`).
    Learn,
    /// The failure model's next failure, repair or trip is due (`[failures]` only).
    FailureDue,
    /// VMs killed by a failure are due for restart (after the detection delay).
    Restart,
    /// Service instances arrive (`[[workload.services]]` only).
    ServiceArrival,
    /// Service replicas that found no host are tried again.
    ServiceRetry,
}
