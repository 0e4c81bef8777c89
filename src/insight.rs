//! The background flow's store of learned heuristics, the `InformationCore`.
//!
//! Policies receive it on every decision. No learner fills it yet (a later issue builds the
//! background flow); it is here so that the policy interface is the one DESIGN.md fixes.

/// Heuristics learned from past telemetry. Empty until learners exist.
#[derive(Debug, Clone, Default)]
pub struct InformationCore {}
