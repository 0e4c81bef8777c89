//! Builds one workload per task from task events in time order. A task opens at its first event
//! (SUBMIT, or whatever comes first), takes its latest request, and closes at a terminal event
//! (or the end of the file: still running). Closed tasks leave in arrival order: a closed task is
//! held until no task still open arrived before it, so the output stays sorted although tasks
//! close out of order. Memory: the open tasks plus the closed ones held behind an older open one.

use super::fields::Moment;
use crate::time::SimTime;
use crate::workload::trace::{TraceGroup, TraceUsage, TraceVm};
use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap, HashMap};
use std::hash::Hash;

/// What an event does to its task.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// SUBMIT: opens the task (a no-op but for sizes when it is open).
    Open,
    /// Any other live event (SCHEDULE, QUEUE, ENABLE, UPDATE_*): opens the task if unseen.
    Update,
    /// EVICT, FAIL, FINISH, KILL, LOST: closes the task.
    End,
}

/// One task event, already parsed.
pub(crate) struct Event<'a> {
    pub time: Moment,
    pub step: Step,
    pub line: u64,
    /// `TraceVm::key` of the task (for usage readings).
    pub key: u64,
    /// `TraceVm::subscription` of the task (its job's user), 0 for none.
    pub subscription: u64,
    pub class: &'a str,
    pub cores: Option<f64>,
    pub memory_gib: Option<f64>,
}

/// A closed task, ordered by (arrival, order of opening).
struct Done(SimTime, u64, TraceVm);

impl PartialEq for Done {
    fn eq(&self, o: &Self) -> bool {
        (self.0, self.1) == (o.0, o.1)
    }
}
impl Eq for Done {}
impl PartialOrd for Done {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Done {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        (self.0, self.1).cmp(&(o.0, o.1))
    }
}

pub(crate) struct Assembler<K> {
    open: HashMap<K, (u64, TraceVm)>,
    /// (arrival, order of opening) of every open task.
    order: BTreeSet<(SimTime, u64)>,
    done: BinaryHeap<Reverse<Done>>,
    seq: u64,
    now: SimTime,
    ended: bool,
    /// Terminal events of tasks never seen opening (ignored).
    pub orphans: u64,
    /// A task's service group from its id, when groups are wanted.
    group: Option<fn(&K) -> TraceGroup>,
}

impl<K: Hash + Eq> Assembler<K> {
    pub fn new() -> Assembler<K> {
        Assembler {
            open: HashMap::new(),
            order: BTreeSet::new(),
            done: BinaryHeap::new(),
            seq: 0,
            now: SimTime::ZERO,
            ended: false,
            orphans: 0,
            group: None,
        }
    }

    /// An assembler whose tasks carry the service group `group` gives their id.
    pub fn grouped(group: Option<fn(&K) -> TraceGroup>) -> Assembler<K> {
        Assembler {
            group,
            ..Assembler::new()
        }
    }

    /// Applies one event of task `id`.
    pub fn apply(&mut self, id: K, ev: Event<'_>) {
        let at = ev.time.time();
        if let Some(t) = at {
            self.now = self.now.max(t);
        }
        match (ev.step, self.open.get_mut(&id)) {
            (Step::End, Some(_)) => self.close(&id, at),
            (Step::End, None) => self.orphans += 1,
            (_, Some((_, vm))) => {
                vm.cores = ev.cores.or(vm.cores);
                vm.memory_gib = ev.memory_gib.or(vm.memory_gib);
            }
            (_, None) => {
                if let Some(t) = at {
                    self.start(id, t, &ev);
                }
            }
        }
    }

    fn start(&mut self, id: K, arrival: SimTime, ev: &Event<'_>) {
        self.seq += 1;
        self.order.insert((arrival, self.seq));
        let vm = TraceVm {
            subscription: ev.subscription,
            line: ev.line,
            key: ev.key,
            class: ev.class.to_string(),
            arrival,
            lifetime: None,
            cores: ev.cores,
            memory_gib: ev.memory_gib,
            usage: TraceUsage::Unknown,
            group: self.group.map(|g| g(&id)),
        };
        self.open.insert(id, (self.seq, vm));
    }

    /// Closes task `id` at `at` (`None`: after the trace window, so still running).
    fn close(&mut self, id: &K, at: Option<SimTime>) {
        if let Some((seq, mut vm)) = self.open.remove(id) {
            self.order.remove(&(vm.arrival, seq));
            vm.lifetime = at.map(|t| t.saturating_sub(vm.arrival));
            self.done.push(Reverse(Done(vm.arrival, seq, vm)));
        }
    }

    /// The earliest closed task, once no open task (nor any later event) can arrive before it.
    pub fn pop(&mut self) -> Option<TraceVm> {
        let Reverse(top) = self.done.peek()?;
        let first_open = self.order.first().copied();
        let ready = self.ended
            || (first_open.is_none_or(|open| (top.0, top.1) < open) && top.0 <= self.now);
        if !ready {
            return None;
        }
        self.done.pop().map(|Reverse(Done(_, _, vm))| vm)
    }

    /// The end of the events: tasks still open run past the trace's end.
    pub fn finish(&mut self) {
        self.ended = true;
        self.order.clear();
        for (_, (seq, vm)) in self.open.drain() {
            self.done.push(Reverse(Done(vm.arrival, seq, vm)));
        }
    }

    /// Whether every task has been handed out.
    pub fn is_drained(&self) -> bool {
        self.ended && self.done.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(t: u64, step: Step) -> Event<'static> {
        Event {
            time: Moment::of_micros(t),
            step,
            line: t,
            key: 1,
            subscription: 0,
            class: "c",
            cores: Some(1.0),
            memory_gib: None,
        }
    }

    #[test]
    fn tasks_leave_sorted_by_arrival_although_they_close_out_of_order() {
        let mut a = Assembler::new();
        a.apply(1, ev(10, Step::Open));
        a.apply(2, ev(20, Step::Open));
        a.apply(2, ev(30, Step::End));
        assert!(a.pop().is_none(), "task 1 is open and arrived earlier");
        a.apply(1, ev(40, Step::End));
        let first = a.pop().unwrap();
        assert_eq!(
            (first.arrival, first.lifetime),
            (SimTime(10), Some(SimTime(30)))
        );
        assert_eq!(a.pop().unwrap().arrival, SimTime(20));
        a.apply(3, ev(50, Step::Update));
        a.apply(3, ev(i64::MAX as u64, Step::End));
        a.finish();
        assert_eq!(a.pop().unwrap().lifetime, None, "ended after the window");
        assert!(a.is_drained());
    }
}
