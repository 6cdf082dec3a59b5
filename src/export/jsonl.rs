//! Rows to JSON Lines: one response per line, its fixed columns by name
//! (`null` when empty), its answers by question key with their types kept
//! (scores as numbers, several choices as arrays), and `contact_email` only
//! when asked for.

use super::encoder::Labels;
use crate::domain::answer::AnswerValue;
use crate::store::export::{CONTACT_COLUMN, Cell, ExportRow, FIXED_COLUMNS};
use serde_json::{Map, Value};

/// Writes the JSON Lines of one export into memory, to be taken in chunks.
#[derive(Debug, Default)]
pub struct JsonLinesEncoder {
    out: Vec<u8>,
    include_contact: bool,
    labels: Option<Labels>,
}

impl JsonLinesEncoder {
    /// An encoder; JSON Lines has no header.
    pub fn new(include_contact: bool, labels: Option<Labels>) -> Self {
        Self {
            out: Vec::new(),
            include_contact,
            labels,
        }
    }

    /// Writes one response as one line.
    ///
    /// # Errors
    /// The JSON writer's error (none is expected writing to memory).
    pub fn write_row(&mut self, row: &ExportRow) -> serde_json::Result<()> {
        serde_json::to_writer(
            &mut self.out,
            &record(row, self.include_contact, self.labels.as_ref()),
        )?;
        self.out.push(b'\n');
        Ok(())
    }

    /// How many bytes are waiting to be taken.
    pub fn pending(&self) -> usize {
        self.out.len()
    }

    /// Everything written since the last call.
    pub fn take(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.out)
    }
}

/// One response as a JSON object.
pub fn record(row: &ExportRow, include_contact: bool, labels: Option<&Labels>) -> Value {
    let mut object = Map::new();
    for (column, cell) in FIXED_COLUMNS.iter().zip(&row.fixed) {
        let value = match cell {
            Cell::Text(text) => text.clone().map_or(Value::Null, Value::String),
            Cell::Time(at) => {
                let mut text = String::new();
                super::encoder::iso_8601(at, &mut text);
                Value::String(text)
            }
            Cell::Whole(n) => Value::from(*n),
        };
        object.insert(column.name.to_string(), value);
    }
    let answers: Map<String, Value> = row
        .answers
        .iter()
        .map(|(key, value)| {
            let value = match labels {
                Some(labels) => labels.relabel(key, value),
                None => value.clone(),
            };
            let json = match value {
                AnswerValue::Number(n) => Value::from(n),
                AnswerValue::Text(t) => Value::String(t),
                AnswerValue::List(items) => Value::from(items),
            };
            (key.clone(), json)
        })
        .collect();
    object.insert("answers".into(), Value::Object(answers));
    if include_contact {
        let contact = row.contact_email.clone().map_or(Value::Null, Value::String);
        object.insert(CONTACT_COLUMN.into(), contact);
    }
    Value::Object(object)
}
