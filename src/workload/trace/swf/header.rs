//! The header comments of an SWF log (`; Key: value` lines before the first job) that dcsim
//! reports among its assumptions: the machine's size and the queues' names.

/// What the header says; unknown or malformed comments are ignored (they are free text).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Header {
    pub version: Option<String>,
    pub computer: Option<String>,
    pub max_nodes: Option<u64>,
    pub max_procs: Option<u64>,
    /// (queue number, name), in header order.
    pub queues: Vec<(i64, String)>,
}

impl Header {
    /// Takes in one comment line (with its leading ';').
    pub fn read(&mut self, comment: &str) {
        let body = comment.trim_start_matches(';').trim();
        let Some((key, value)) = body.split_once(':') else {
            return;
        };
        let value = value.trim();
        match key.trim() {
            "Version" => self.version = Some(value.to_string()),
            "Computer" => self.computer = Some(value.to_string()),
            "MaxNodes" => self.max_nodes = value.parse().ok(),
            "MaxProcs" => self.max_procs = value.parse().ok(),
            "Queue" => self.queue(value),
            _ => {}
        }
    }

    /// "Queue: 0 interactive": a number, then a name.
    fn queue(&mut self, value: &str) {
        let mut words = value.split_whitespace();
        if let Some(n) = words.next().and_then(|n| n.parse().ok()) {
            self.queues.push((n, words.collect::<Vec<_>>().join(" ")));
        }
    }

    /// What the header told, as sentences for run.json.
    pub fn assumptions(&self) -> Vec<String> {
        let mut a = Vec::new();
        let machine = [
            self.computer.clone(),
            self.max_nodes.map(|n| format!("MaxNodes {n}")),
            self.max_procs.map(|n| format!("MaxProcs {n}")),
        ];
        let machine: Vec<String> = machine.into_iter().flatten().collect();
        if !machine.is_empty() {
            a.push(format!(
                "swf: the log's header describes the machine as {} (size the landscape to match)",
                machine.join(", ")
            ));
        }
        if !self.queues.is_empty() {
            let names: Vec<String> = self
                .queues
                .iter()
                .map(|(n, name)| format!("{n} = {name}"))
                .collect();
            a.push(format!(
                "swf: queues (classes) named in the header: {}",
                names.join(", ")
            ));
        }
        a
    }
}
