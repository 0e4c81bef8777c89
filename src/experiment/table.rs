//! The runs table (`comparison.csv`, `runs.csv`): one row per run with its index, arm, the value
//! of each varied key, then every `RunSummary` field. Read back exactly (floats round-trip).

use super::{ExperimentError, Plan, RunRow};
use crate::metrics::RunSummary;
use csv::StringRecord;
use std::path::Path;

/// `RunSummary`'s values as CSV fields, in struct order.
fn summary_record(s: &RunSummary) -> StringRecord {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    w.serialize(s).expect("a flat struct serialises");
    let bytes = w.into_inner().expect("writing to memory");
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&bytes[..]);
    let mut record = r.records().next().expect("one row").expect("just written");
    // The optional fields at the end (absent from summary.json when their capability is off)
    // are empty columns here, so that every row has every column.
    while record.len() < summary_fields().len() {
        record.push_field("");
    }
    record
}

/// The table as CSV text, rows in the order given.
pub fn runs_csv(plan: &Plan, rows: &[RunRow]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["run".to_string(), "arm".to_string()];
    header.extend(plan.axes.iter().map(|a| a.key.clone()));
    header.extend(summary_fields().iter().map(|f| f.to_string()));
    w.write_record(&header)?;
    for row in rows {
        let mut fields = vec![row.run.to_string(), plan.arm_label(row.arm)];
        fields.extend(plan.arm_values(row.arm).iter().map(|v| v.to_string()));
        fields.extend(summary_record(&row.summary).iter().map(str::to_string));
        w.write_record(&fields)?;
    }
    Ok(w.into_inner().map_err(|e| e.into_error())?)
}

/// Reads a runs table written for `plan`, checking each row's arm columns against the plan.
pub fn read_runs(path: &Path, plan: &Plan) -> Result<Vec<RunRow>, ExperimentError> {
    let err = |m: String| ExperimentError::input(path, m);
    let mut r = csv::Reader::from_path(path).map_err(|e| err(e.to_string()))?;
    let headers = r.headers().map_err(|e| err(e.to_string()))?.clone();
    let fixed = 2 + plan.axes.len();
    let expected: Vec<&str> = ["run", "arm"]
        .into_iter()
        .chain(plan.axes.iter().map(|a| a.key.as_str()))
        .collect();
    if headers.iter().take(fixed).ne(expected.iter().copied()) {
        return Err(err(format!(
            "expected the columns to start with {expected:?}"
        )));
    }
    let mut rows = Vec::new();
    for (line, record) in r.records().enumerate() {
        let record = record.map_err(|e| err(e.to_string()))?;
        let at = |m: &str| err(format!("row {}: {m}", line + 1));
        let run: usize = record[0].parse().map_err(|_| at("`run` is not an index"))?;
        if run >= plan.run_count() {
            return Err(at("`run` is beyond the plan"));
        }
        let arm = plan.run(run).0;
        let values = plan.arm_values(arm);
        if record[1] != plan.arm_label(arm) || record.iter().skip(2).take(values.len()).ne(values) {
            return Err(at("the arm columns do not match the plan"));
        }
        let summary: RunSummary = record
            .deserialize(Some(&headers))
            .map_err(|e| at(&e.to_string()))?;
        if summary.seed != plan.run(run).1 {
            return Err(at("the seed does not match the plan"));
        }
        rows.push(RunRow { run, arm, summary });
    }
    Ok(rows)
}

/// The field names of `RunSummary` in declaration order (the order it serialises in), as its
/// derived `Deserialize` announces them to a deserializer.
pub fn summary_fields() -> &'static [&'static str] {
    let mut fields: &'static [&'static str] = &[];
    let _ = <RunSummary as serde::Deserialize>::deserialize(FieldNames(&mut fields));
    fields
}

struct FieldNames<'a>(&'a mut &'static [&'static str]);

impl<'de> serde::Deserializer<'de> for FieldNames<'_> {
    type Error = serde::de::value::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(serde::de::Error::custom("field names only"))
    }

    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = fields;
        Err(serde::de::Error::custom("field names only"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_are_in_serialisation_order() {
        let names = summary_fields();
        assert_eq!(&names[..3], ["scenario", "seed", "placement_policy"]);
        assert!(names.contains(&"carbon_kgco2e"));
    }
}
