//! Integration tests, one binary (one link step): each module is one concern.

mod actions;
mod bad_input;
mod bench;
mod cli;
mod common;
mod conservation;
mod determinism;
mod energy;
mod erlang;
mod experiments;
mod failures;
mod plots;
mod power_states;
mod rebalance;
mod services;
mod tco;
mod traces;
mod traces_azure;
mod traces_cluster;
mod traces_perfile;
