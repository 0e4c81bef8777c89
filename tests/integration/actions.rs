//! A policy of the caller's own, plugged in with `Simulation::set_rebalancer`: the engine carries
//! out its kills and resizes when they are valid and refuses them when they are not.

use crate::cli::temp_dir;
use crate::common::Records;
use crate::traces::trace_scenario;
use dcsim::engine::{RunOptions, Simulation};
use dcsim::insight::InformationCore;
use dcsim::metrics::Outcome;
use dcsim::policy::{Action, Rebalance, RebalanceView, VmInfo};
use dcsim::workload::{Resources, WorkloadId};

/// At its first round: kills workload 0, grows workload 1 to 6 cores and 8 GiB, and asks for
/// workload 2 to grow past its host (refused). Nothing after.
struct KillAndResize {
    done: bool,
}

impl Rebalance for KillAndResize {
    fn plan(&mut self, view: &RebalanceView, _: &InformationCore, out: &mut Vec<Action>) {
        if std::mem::replace(&mut self.done, true) {
            return;
        }
        let mut vms: Vec<VmInfo> = Vec::new();
        let mut all = Vec::new();
        for h in view.fleet.hosts() {
            view.vms.on_host(h, &mut vms);
            all.extend(vms.iter().copied());
        }
        let key = |id: u64| all.iter().find(|v| v.id == WorkloadId(id)).unwrap().key;
        out.push(Action::Kill { vm: key(0) });
        let cores = |c: f64, gib: f64| Resources::from_cores_gib(c, gib).unwrap();
        out.push(Action::Resize {
            vm: key(1),
            to: cores(6.0, 8.0),
        });
        out.push(Action::Resize {
            vm: key(2),
            to: cores(9.0, 1.0),
        });
    }
}

#[test]
fn kills_and_resizes_are_carried_out_or_refused() {
    // Two 8-core, 32-GiB hosts; three 1-core VMs at half use, spread by worst fit.
    let dir = temp_dir("actions-kill-resize");
    std::fs::write(
        dir.join("t.csv"),
        "class,arrival_s,lifetime_s,cores,memory_gib,usage,usage_interval_s,usage_series\n\
         a,0,,1,1,0.5,,\na,1,,1,1,0.5,,\na,2,,1,1,0.5,,\n",
    )
    .unwrap();
    let extra = "[policy]\nplacement = \"worst-fit\"\n";
    let file = trace_scenario(&dir, "native", "t.csv", extra);
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("duration = \"1d\"", "duration = \"1h\"");
    std::fs::write(&file, text).unwrap();
    let loaded = dcsim::scenario::load(&file, &[]).unwrap();
    let mut records = Records::default();
    let options = RunOptions {
        check_invariants: true,
        ..Default::default()
    };
    let mut sim = Simulation::new(&loaded, options, &mut records).unwrap();
    sim.set_rebalancer(Box::new(KillAndResize { done: false }));
    let r = sim.run().unwrap();
    let s = &r.summary;
    assert_eq!(s.workloads_killed, 1);
    assert_eq!(
        s.rebalance_actions_rejected, 1,
        "the 9-core resize does not fit"
    );
    assert_eq!(
        s.workloads_placed,
        s.workloads_departed + s.workloads_killed + s.workloads_running_at_end
    );
    let killed: Vec<_> = records
        .0
        .iter()
        .filter(|r| r.outcome == Outcome::Killed)
        .collect();
    assert_eq!(killed.len(), 1);
    assert_eq!(killed[0].id, 0);
    assert_eq!(killed[0].ended_s, Some(300.0), "killed at the first round");
    // Left running: the grown VM (6 cores, 8 GiB, half used) and workload 2 (1 core, 1 GiB,
    // half used).
    let f = &r.fleet;
    let held = f
        .hosts()
        .fold(Resources::ZERO, |t, h| t + f.allocated[h.index()]);
    assert_eq!(held, Resources::from_cores_gib(7.0, 9.0).unwrap());
    let demand: u64 = f.hosts().map(|h| f.cpu_demand[h.index()]).sum();
    assert_eq!(demand, 3000 + 500);
}
