//! Integration tests, one binary (one link step): each module is one concern.

mod actions;
mod bad_input;
mod bench;
mod bundled;
mod cli;
mod cloudsim;
mod common;
mod conservation;
mod determinism;
mod energy;
mod erlang;
mod experiments;
mod failures;
mod insight;
mod outputs;
mod outputs_doc;
mod plots;
mod power_states;
mod rebalance;
mod report;
mod services;
mod tco;
mod traces;
mod traces_azure;
mod traces_cluster;
mod traces_perfile;
