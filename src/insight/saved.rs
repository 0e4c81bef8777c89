//! Saving an `InformationCore` as `information_core.json` and loading it into another run,
//! its classes matched by name (those the run knows at its start), its subscriptions by key.

use super::core::{InformationCore, InsightError};

impl InformationCore {
    /// Writes the core as pretty JSON.
    pub fn save(&self, path: &std::path::Path) -> Result<(), InsightError> {
        let io = |source| InsightError::Io {
            path: path.display().to_string(),
            source,
        };
        let text = serde_json::to_string_pretty(self).map_err(|source| InsightError::Json {
            path: path.display().to_string(),
            source,
        })?;
        std::fs::write(path, text + "\n").map_err(io)
    }

    /// Reads a saved core and renumbers its classes to `class_names` (matched by name; classes
    /// it does not know start empty).
    pub fn load(
        path: &std::path::Path,
        class_names: &[String],
    ) -> Result<InformationCore, InsightError> {
        let text = std::fs::read_to_string(path).map_err(|source| InsightError::Io {
            path: path.display().to_string(),
            source,
        })?;
        let saved: InformationCore =
            serde_json::from_str(&text).map_err(|source| InsightError::Json {
                path: path.display().to_string(),
                source,
            })?;
        Ok(saved.aligned_to(class_names))
    }

    fn aligned_to(self, class_names: &[String]) -> InformationCore {
        let map: Vec<Option<usize>> = self
            .classes
            .iter()
            .map(|k| class_names.iter().position(|n| *n == k.name))
            .collect();
        let mut out = InformationCore::new(class_names, self.effective_quantile);
        out.interference = self.interference.remapped(&map, class_names.len());
        if map.contains(&None) {
            let names = self.classes.iter().map(|k| k.name.clone()).collect();
            out.unplaced_pairs = Some((names, self.interference));
        }
        out.learn_rounds = self.learn_rounds;
        out.anomalies = self.anomalies;
        out.curve = self.curve;
        // Subscriptions are matched by key as they arrive (`bind_subscription`).
        out.subscriptions = self.subscriptions;
        for (k, to) in self.classes.into_iter().zip(&map) {
            match *to {
                Some(i) => out.classes[i] = k,
                None => out.unplaced.push(k),
            }
        }
        out.refresh();
        out
    }
}
