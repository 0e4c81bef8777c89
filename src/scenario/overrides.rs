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

#[cfg(test)]
mod tests {
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
