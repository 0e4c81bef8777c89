//! The report's "Failures and availability" section (only for runs with `[failures]` or
//! services): availability and nines per service class with its down time, component down
//! time and SLA penalty; what failures cost (VMs killed, restarted, lost, unreachable and
//! throttled VM-hours, host availability); per entity kind the observed MTBF and MTTR; the
//! first failure's blast radius (a sentence and its picture).

use super::escape;
use crate::report::ReportInput;
use crate::report::plots::format::number;
use std::fmt::Write;

/// Appends the section to `h`; nothing without failures or services.
pub fn section(h: &mut String, input: &ReportInput) {
    let s = input.summary;
    if s.failures.is_none() && s.services.is_none() {
        return;
    }
    h.push_str("<section id=\"availability\">\n<h2>Failures and availability</h2>\n");
    if let Some(sv) = &s.services {
        let _ = writeln!(
            h,
            "<p>Services were up {} of their instance-time ({} nines), down {} instance-hours; \
             SLA penalty ${}. An instance is up while every component has its <code>min_live</code> \
             replicas live and every component it depends on is up (a replica on a host cut off \
             by its ToR switch is not live).</p>",
            percent(sv.service_availability),
            number(nines(sv.service_availability), 2),
            number(sv.service_down_hours, 2),
            number(sv.service_sla_penalty_usd, 2),
        );
        h.push_str(
            "<table>\n<tr><th>service</th><th class=\"n\">instances</th>\
             <th class=\"n\">availability</th><th class=\"n\">nines</th>\
             <th class=\"n\">down (instance-hours)</th><th>component down (hours)</th>\
             <th class=\"n\">replicas unplaced</th><th class=\"n\">SLA penalty</th></tr>\n",
        );
        for (name, c) in &sv.services {
            let comps: Vec<String> = c
                .component_down_hours
                .iter()
                .map(|(k, v)| format!("{} {}", escape(k), number(*v, 2)))
                .collect();
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
                 <td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td>\
                 <td class=\"n\">${}</td></tr>",
                escape(name),
                number(c.instances as f64, 0),
                percent(c.availability),
                number(c.nines, 2),
                number(c.down_hours, 2),
                comps.join(", "),
                number(c.replicas_unplaced as f64, 0),
                number(c.sla_penalty_usd, 2),
            );
        }
        h.push_str("</table>\n");
    }
    if let Some(f) = &s.failures {
        let _ = writeln!(
            h,
            "<p>Hosts were up {} of host-time ({} host-hours down). Failures took {} VMs off \
             their hosts: {} restarted (after {} s on average), {} never; {} VM-hours lost \
             waiting. {} VM-hours ran unreachable behind failed ToR switches and {} throttled \
             by failed cooling.</p>",
            percent(f.host_availability),
            number(f.host_down_hours, 2),
            number(f.vms_killed_by_failures as f64, 0),
            number(f.vm_restarts as f64, 0),
            number(f.mean_restart_delay_seconds, 0),
            number(f.vms_lost_to_failures as f64, 0),
            number(f.lost_vm_hours, 2),
            number(f.unreachable_vm_hours, 2),
            number(f.throttled_vm_hours, 2),
        );
        h.push_str(
            "<table>\n<tr><th>entity kind</th><th class=\"n\">entities</th>\
             <th class=\"n\">failures</th><th class=\"n\">repairs</th>\
             <th class=\"n\">observed MTBF (h)</th><th class=\"n\">observed MTTR (h)</th>\
             <th class=\"n\">availability</th></tr>\n",
        );
        for (kind, k) in &f.failures_by_kind {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
                 <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>\
                 <td class=\"n\">{}</td></tr>",
                escape(kind),
                number(k.entities as f64, 0),
                number(k.failures as f64, 0),
                number(k.repairs as f64, 0),
                number(k.observed_mtbf_hours, 1),
                number(k.observed_mttr_hours, 2),
                percent(k.availability),
            );
        }
        h.push_str(
            "</table>\n<p>Observed MTBF: up time over failures; MTTR: down time over failures \
             (repairs running at the end counted to it). <code>dcsim landscape FILE --at T \
             --blast ENTITY</code> draws what one failure takes down.</p>\n",
        );
        if let Some(b) = &f.first_blast {
            first_blast(h, b, input.landscape_svg.is_some());
        }
    }
    h.push_str("</section>\n");
}

/// The first failure's blast radius: a sentence, and its picture unless plots are off.
fn first_blast(h: &mut String, b: &crate::metrics::FirstBlast, picture: bool) {
    let [hosts, vms, c_down, c_degraded, s_down, s_degraded] = b.counts;
    let effect = if matches!(b.kind.as_str(), "tor" | "agg") {
        "cut off"
    } else {
        "down"
    };
    let _ = writeln!(
        h,
        "<h3>Blast radius of the first failure</h3>\n<p>At {} h {} ({}) failed: {} hosts {effect} \
         with {} VMs on them; {} service components down and {} degraded, {} service instances \
         down and {} degraded, as the landscape stood just before (restarts elsewhere come \
         after).</p>",
        number(b.at_s / 3600.0, 2),
        escape(&b.entity),
        escape(&b.kind),
        number(hosts as f64, 0),
        number(vms as f64, 0),
        number(c_down as f64, 0),
        number(c_degraded as f64, 0),
        number(s_down as f64, 0),
        number(s_degraded as f64, 0),
    );
    if picture {
        let _ = writeln!(h, "<figure class=\"blast\">{}</figure>", b.svg);
    }
}

/// An availability as a percentage with enough decimals to tell nines apart.
fn percent(a: f64) -> String {
    format!("{} %", number(100.0 * a, 4))
}

/// −log10(1 − A), at most 9.
fn nines(a: f64) -> f64 {
    if a >= 1.0 {
        9.0
    } else {
        (-(1.0 - a).log10()).min(9.0)
    }
}
