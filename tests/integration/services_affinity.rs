//! Chatty-pair affinity (`near`, `near_within`): a component's replicas join a domain holding a
//! live replica of their partner, where the policy alone would spread them; when the partner's
//! domain has no room they go where the policy puts them and are counted; bad keys are errors.

use crate::common::{parse, run_checked};
use dcsim::engine::SERVICE_ID_BASE;
use std::path::Path;

/// One rack of three 8-core hosts, worst fit (the emptiest host first); one instance of "app":
/// a database of `db_size`, then a web replica, `near` as given.
fn scenario(db_size: &str, near: &str) -> String {
    format!(
        r#"
[simulation]
duration = "2h"
sample_interval = "1h"
seed = 2
[policy]
placement = "worst-fit"
[[host_types]]
name = "h"
cores = 8
memory_gib = 8
power = {{ model = "linear", idle_w = 100, max_w = 200 }}
[[landscape.racks]]
hosts_per_rack = 3
host_type = "h"
[[workload.vm_sizes]]
name = "one"
cores = 1
memory_gib = 1
[[workload.vm_sizes]]
name = "eight"
cores = 8
memory_gib = 8
[[workload.services]]
name = "app"
arrival = {{ rate_per_hour = 1, at_once = 1 }}
lifetime = {{ distribution = "fixed", value = "10h" }}
[[workload.services.components]]
name = "db"
replicas = 1
size = "{db_size}"
[[workload.services.components]]
name = "web"
replicas = 1
size = "one"
{near}
"#
    )
}

fn hosts(text: &str) -> (u32, u32, u64) {
    let (r, records) = run_checked(&parse(text));
    let host = |id: u64| records.iter().find(|w| w.id == id).unwrap().host.unwrap();
    let away = r.summary.services.unwrap().services["app"].replicas_away_from_partner;
    (host(SERVICE_ID_BASE), host(SERVICE_ID_BASE + 1), away)
}

#[test]
fn a_chatty_pair_shares_a_host_that_worst_fit_would_not_choose() {
    // Worst fit puts the database on an empty host; the web replica, alone, on another empty
    // host (the database's has 1 core less). With near = "db" within "host" it joins the
    // database's host.
    let (db, web, _) = hosts(&scenario("one", ""));
    assert_ne!(db, web, "worst fit spreads them");
    let (db, web, away) = hosts(&scenario("one", "near = \"db\"\nnear_within = \"host\""));
    assert_eq!(db, web, "the pair shares a host");
    assert_eq!(away, 0);
}

#[test]
fn a_full_partner_host_leaves_the_replica_where_the_policy_puts_it_and_counts_it() {
    // The database takes its whole 8-core host: the web replica cannot join it, goes where worst
    // fit puts it (another host), and is counted away from its partner.
    let (db, web, away) = hosts(&scenario("eight", "near = \"db\"\nnear_within = \"host\""));
    assert_ne!(db, web);
    assert_eq!(away, 1);
}

#[test]
fn bad_affinity_keys_are_clear_errors() {
    for (near, field) in [
        ("near = \"cache\"", "workload.services.0.components.1.near"),
        ("near = \"web\"", "workload.services.0.components.1.near"),
        (
            "near = \"db\"\nnear_within = \"none\"",
            "workload.services.0.components.1.near_within",
        ),
    ] {
        let text = scenario("one", near);
        let err = dcsim::scenario::parse(&text, Path::new("s.toml"), "s", &[]).unwrap_err();
        assert_eq!(err.field.as_deref(), Some(field), "{err}");
    }
}

/// At its first round, asks for each (replica, host) move in turn; nothing after.
struct Moves {
    moves: Vec<(u64, u32)>,
}

impl dcsim::policy::Rebalance for Moves {
    fn plan(
        &mut self,
        view: &dcsim::policy::RebalanceView,
        _: &dcsim::insight::InformationCore,
        out: &mut Vec<dcsim::policy::Action>,
    ) {
        let mut vms = Vec::new();
        let mut all = Vec::new();
        for h in view.fleet.hosts() {
            view.vms.on_host(h, &mut vms);
            all.extend(vms.iter().copied());
        }
        for (r, to) in self.moves.drain(..) {
            let id = dcsim::workload::WorkloadId(SERVICE_ID_BASE + r);
            let vm = all.iter().find(|v| v.id == id).unwrap().key;
            out.push(dcsim::policy::Action::Migrate {
                vm,
                to: dcsim::landscape::HostId(to),
            });
        }
    }
}

/// Three racks of two 4-core hosts, first fit; one "kv" instance, two 1-core replicas with
/// `anti_affinity`; `moves` asked at the first round. The replicas' hosts at the end, and the
/// migrations done and refused.
fn moved(anti_affinity: &str, moves: Vec<(u64, u32)>) -> (u32, u32, u64, u64) {
    let fleet = crate::common::small_fleet(4, 8, 3, 2, "racks_per_pdu = 1");
    let text = format!(
        r#"
[simulation]
duration = "2h"
sample_interval = "1h"
[policy]
placement = "first-fit"
{fleet}
[[workload.services]]
name = "kv"
arrival = {{ rate_per_hour = 1, at_once = 1 }}
lifetime = {{ distribution = "fixed", value = "10h" }}
anti_affinity = "{anti_affinity}"
[[workload.services.components]]
name = "store"
replicas = 2
size = "one"
"#
    );
    run_moves(&text, moves)
}

/// Runs `text` with `moves` asked at the first round: the hosts of replicas 0 and 1 at the
/// end, and the migrations done and refused.
fn run_moves(text: &str, moves: Vec<(u64, u32)>) -> (u32, u32, u64, u64) {
    let loaded = parse(text);
    let mut records = crate::common::Records::default();
    let options = dcsim::engine::RunOptions {
        check_invariants: true,
        ..Default::default()
    };
    let mut sim = dcsim::engine::Simulation::new(&loaded, options, &mut records).unwrap();
    sim.set_rebalancer(Box::new(Moves { moves }));
    let r = sim.run().unwrap();
    let host = |id: u64| {
        let w = records.0.iter().find(|w| w.id == id).unwrap();
        w.host.unwrap()
    };
    let s = &r.summary;
    (
        host(SERVICE_ID_BASE),
        host(SERVICE_ID_BASE + 1),
        s.migrations,
        s.rebalance_actions_rejected,
    )
}

#[test]
fn live_migrations_keep_a_components_anti_affinity() {
    // Rack anti-affinity: replica 0 on host 0 (rack 0), replica 1 on host 2 (rack 1). Both are
    // asked onto host 1 (rack 0): replica 0 may go (its own rack), replica 1 may not (replica 0
    // is in rack 0), so it stays on host 2.
    assert_eq!(moved("rack", vec![(0, 1), (1, 1)]), (1, 2, 1, 1));
    // Without anti-affinity both start on host 0 and both move.
    assert_eq!(moved("none", vec![(0, 1), (1, 1)]), (1, 1, 2, 0));
    // Both asked into rack 2 in the same round: the first goes; the second may not follow it
    // there while it is still migrating (its destination counts as where it is).
    assert_eq!(moved("rack", vec![(0, 4), (1, 5)]), (4, 2, 1, 1));
    // Host anti-affinity lets them share a rack but not a host.
    assert_eq!(moved("host", vec![(0, 3), (1, 3)]), (3, 1, 1, 1));
}

#[test]
fn live_migrations_keep_a_chatty_pair_together() {
    // db on host 2 (worst fit, ties to the highest id), web near it within the host: on host 2
    // too. Asked to move web to host 1, away from its partner: refused.
    let near = scenario("one", "near = \"db\"\nnear_within = \"host\"\n");
    assert_eq!(run_moves(&near, vec![(1, 1)]), (2, 2, 0, 1));
    // Without `near`, web starts on another host and may move anywhere with room: to host 2.
    let free = scenario("one", "");
    assert_eq!(run_moves(&free, vec![(1, 2)]), (2, 2, 1, 0));
}
