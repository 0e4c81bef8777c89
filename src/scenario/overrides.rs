//! `--set dotted.key=value` overrides, applied to the TOML text before it is parsed, so that the
//! lines of keys that were not overridden keep their place in error messages.

use toml_edit::{DocumentMut, Item, Table, TableLike, Value};

/// One `key=value` override. Array elements are addressed by index: `workload.classes.0.name`.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    pub path: Vec<String>,
    pub value: String,
}

impl Override {
    /// Parses "a.b.c=value". The value is read as a TOML value ("3", "true", "\"x\"", "[1, 2]")
    /// and, failing that, as a bare string ("first-fit", "5m").
    pub fn parse(text: &str) -> Result<Override, String> {
        let (key, value) = text
            .split_once('=')
            .ok_or_else(|| format!("override {text:?}: expected dotted.key=value"))?;
        let path: Vec<String> = key
            .trim()
            .split('.')
            .map(|s| s.trim().to_string())
            .collect();
        if path.iter().any(String::is_empty) {
            return Err(format!("override {text:?}: the key has an empty part"));
        }
        Ok(Override {
            path,
            value: value.trim().to_string(),
        })
    }

    fn toml_value(&self) -> Value {
        self.value
            .parse::<Value>()
            .unwrap_or_else(|_| Value::from(self.value.as_str()))
    }
}

/// Applies overrides in order to `text`; returns the rewritten document.
pub fn apply(text: &str, overrides: &[Override]) -> Result<String, String> {
    if overrides.is_empty() {
        return Ok(text.to_string());
    }
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| e.to_string())?;
    for o in overrides {
        set(doc.as_table_mut(), &o.path, o.toml_value())
            .map_err(|why| format!("--set {}={}: {why}", o.path.join("."), o.value))?;
    }
    Ok(doc.to_string())
}

fn set(table: &mut dyn TableLike, path: &[String], value: Value) -> Result<(), String> {
    let (head, rest) = path.split_first().expect("paths are never empty");
    if rest.is_empty() {
        table.insert(head, Item::Value(value));
        return Ok(());
    }
    if table.get(head).is_none() {
        table.insert(head, Item::Table(Table::new()));
    }
    let child = table.get_mut(head).expect("present or just inserted");
    if let Some(array) = child.as_array_of_tables_mut() {
        let (index, rest) = rest.split_first().expect("rest is not empty");
        let i: usize = index.parse().map_err(|_| {
            format!("`{head}` is an array of tables: expected an index, found `{index}`")
        })?;
        let len = array.len();
        let element = array
            .get_mut(i)
            .ok_or_else(|| format!("`{head}.{i}` is out of range (the array has {len} entries)"))?;
        if rest.is_empty() {
            return Err(format!(
                "`{head}.{i}` is a whole table: set one of its keys"
            ));
        }
        return set(element, rest, value);
    }
    let child = child
        .as_table_like_mut()
        .ok_or_else(|| format!("`{head}` is a value, not a table"))?;
    set(child, rest, value)
}

/// When `--set` overrides made `text` fail the schema, the error of the first override at fault,
/// placed on that argument (not on a line of the rewritten file) and, for a misspelt key, with
/// the nearest key the schema has. `None` when `text` itself fails: the file is at fault.
pub fn blame(text: &str, overrides: &[Override]) -> Option<super::ScenarioError> {
    let fails = |n: usize| -> Option<toml::de::Error> {
        let rewritten = apply(text, &overrides[..n]).ok()?;
        toml::from_str::<super::Scenario>(&rewritten).err()
    };
    if fails(0).is_some() {
        return None;
    }
    let (k, err) = (1..=overrides.len()).find_map(|n| fails(n).map(|e| (n - 1, e)))?;
    let o = &overrides[k];
    let mut message = err.message().trim().to_string();
    if let Some(better) = nearest_key(&message, &o.path) {
        message.push_str(&format!("; did you mean `{better}`?"));
    }
    Some(super::ScenarioError {
        file: format!("--set {}={}", o.path.join("."), o.value).into(),
        line: None,
        column: None,
        field: Some(o.path.join(".")),
        message,
    })
}

/// For serde's "unknown field `x`, expected one of `a`, `b`": `path` with `x` replaced by the
/// closest of `a`, `b`, … (at most a third of its letters different).
fn nearest_key(message: &str, path: &[String]) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (unknown, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    let (best, distance) = expected
        .iter()
        .map(|c| (*c, edit_distance(unknown, c)))
        .min_by_key(|(_, d)| *d)?;
    if distance == 0 || distance > (unknown.chars().count() / 3).max(2) {
        return None;
    }
    let at = path.iter().rposition(|p| p == unknown)?;
    let mut fixed = path.to_vec();
    fixed[at] = best.to_string();
    Some(fixed.join("."))
}

/// Levenshtein distance between `a` and `b`, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    #[test]
    fn edit_distances() {
        assert_eq!(super::edit_distance("duraton", "duration"), 1);
        assert_eq!(super::edit_distance("kitten", "sitting"), 3);
        assert_eq!(super::edit_distance("", "abc"), 3);
    }

    #[test]
    fn a_misspelt_override_is_blamed_with_the_nearest_key() {
        let text = include_str!("../../scenarios/quickstart.toml");
        let good = Override::parse("simulation.seed=3").unwrap();
        let bad = Override::parse("simulation.duraton=2h").unwrap();
        let e = super::blame(text, &[good, bad]).expect("the override is at fault");
        assert_eq!(e.file.to_str(), Some("--set simulation.duraton=2h"));
        assert_eq!(e.line, None);
        assert!(
            e.message.ends_with("did you mean `simulation.duration`?"),
            "{}",
            e.message
        );
        // Far from every key: no guess.
        let far = Override::parse("simulation.zzzzzzzz=1").unwrap();
        let e = super::blame(text, &[far]).unwrap();
        assert!(!e.message.contains("did you mean"), "{}", e.message);
        // The file's own mistake is not an override's.
        assert!(super::blame("[simulation]\nbogus = 1\n", &[]).is_none());
    }

    use super::*;

    #[test]
    fn parses_key_and_value() {
        let o = Override::parse("simulation.seed = 7").unwrap();
        assert_eq!(o.path, ["simulation", "seed"]);
        assert_eq!(o.value, "7");
        assert!(Override::parse("novalue").is_err());
        assert!(Override::parse("a..b=1").is_err());
    }

    #[test]
    fn sets_scalars_tables_and_array_elements() {
        let text = "[simulation]\nseed = 1 # kept\n\n[[classes]]\nname = \"a\"\n";
        let out = apply(
            text,
            &[
                Override::parse("simulation.seed=9").unwrap(),
                Override::parse("classes.0.name=b").unwrap(),
                Override::parse("policy.placement=first-fit").unwrap(),
            ],
        )
        .unwrap();
        let v: toml::Table = toml::from_str(&out).unwrap();
        assert_eq!(v["simulation"]["seed"].as_integer(), Some(9));
        assert_eq!(v["classes"][0]["name"].as_str(), Some("b"));
        assert_eq!(v["policy"]["placement"].as_str(), Some("first-fit"));
        assert_eq!(
            out.lines().position(|l| l.starts_with("[[classes]]")),
            Some(3)
        );
    }

    #[test]
    fn reports_bad_paths() {
        let text = "[[classes]]\nname = \"a\"\n";
        assert!(apply(text, &[Override::parse("classes.3.name=x").unwrap()]).is_err());
        assert!(apply(text, &[Override::parse("classes.x.name=x").unwrap()]).is_err());
    }
}
