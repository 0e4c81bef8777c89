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
