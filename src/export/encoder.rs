//! Rows to CSV bytes: the header from the question keys, one line per
//! response, every cell made safe to open in a spreadsheet.

use crate::domain::answer::AnswerValue;
use crate::domain::question::{Question, QuestionKind};
use crate::store::export::{CONTACT_COLUMN, Cell, ExportRow, FIXED_COLUMNS};
use chrono::{DateTime, Datelike, Timelike, Utc};
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;

/// The byte-order mark that makes Excel read the file as UTF-8.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// What separates the choices of a `multi` answer in one cell.
pub const CHOICE_SEPARATOR: &str = "; ";

/// The answer columns for question lists given in export order: each key
/// once, where first seen. Organisation and email questions are left out:
/// they live in the organisation columns and the contact column.
pub fn answer_columns(lists: &[Vec<Question>]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for question in lists.iter().flatten() {
        let answered = !matches!(
            question.kind,
            QuestionKind::Organisation | QuestionKind::Email
        );
        if answered && !keys.contains(&question.key) {
            keys.push(question.key.clone());
        }
    }
    keys
}

/// Whether a spreadsheet could read a cell as a formula (or as the start of
/// one after it strips a leading tab or line break).
pub fn is_formula_like(cell: &str) -> bool {
    matches!(
        cell.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r' | b'\n')
    )
}

/// The cell as written: with a leading `'` when it could run as a formula.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if is_formula_like(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// An answer as the text of its cell.
pub fn answer_text(value: &AnswerValue, out: &mut String) {
    match value {
        AnswerValue::Number(n) => {
            let _ = write!(out, "{n}");
        }
        AnswerValue::Text(t) => out.push_str(t),
        AnswerValue::List(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(CHOICE_SEPARATOR);
                }
                out.push_str(item);
            }
        }
    }
}

/// Option labels by question key and code, for exports that write labels:
/// every version's options, a later version's label winning.
#[derive(Debug, Clone, Default)]
pub struct Labels(HashMap<String, HashMap<String, String>>);

impl Labels {
    /// The labels of the choice questions in `lists`.
    pub fn of(lists: &[Vec<Question>]) -> Self {
        let mut labels: HashMap<String, HashMap<String, String>> = HashMap::new();
        for q in lists.iter().flatten() {
            if matches!(
                q.kind,
                QuestionKind::Single | QuestionKind::Multi | QuestionKind::YesNo
            ) {
                let codes = labels.entry(q.key.clone()).or_default();
                codes.extend(q.choices().into_iter().map(|c| (c.value, c.label)));
            }
        }
        Self(labels)
    }

    /// An answer with its codes replaced by labels (unknown codes kept).
    pub fn relabel(&self, key: &str, value: &AnswerValue) -> AnswerValue {
        let Some(codes) = self.0.get(key) else {
            return value.clone();
        };
        let label = |code: &str| codes.get(code).map_or(code, String::as_str).to_string();
        match value {
            AnswerValue::Text(code) => AnswerValue::Text(label(code)),
            AnswerValue::List(items) => AnswerValue::List(items.iter().map(|c| label(c)).collect()),
            other => other.clone(),
        }
    }

    fn write(&self, key: &str, value: &AnswerValue, out: &mut String) {
        answer_text(&self.relabel(key, value), out);
    }
}

/// `2026-11-27T10:15:00Z`: UTC to the second. Written by hand: chrono's
/// `format` parses its pattern on every call, a noticeable cost per row.
pub fn iso_8601(at: &DateTime<Utc>, out: &mut String) {
    let _ = write!(
        out,
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        at.year(),
        at.month(),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    );
}

/// Writes the CSV of one export into memory, to be taken in chunks.
pub struct CsvEncoder {
    writer: csv::Writer<Vec<u8>>,
    /// Where each answer key's cell is in `answers`.
    columns: HashMap<String, usize>,
    /// The answer cells of the row being written, reused from row to row.
    answers: Vec<String>,
    /// Room to build one cell (a number, a date, a prefixed value).
    scratch: String,
    include_contact: bool,
    /// Option labels to write instead of codes, when asked for.
    labels: Option<Labels>,
}

impl std::fmt::Debug for CsvEncoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsvEncoder")
            .field("columns", &self.answers.len())
            .finish_non_exhaustive()
    }
}

impl CsvEncoder {
    /// Starts the file: the byte-order mark if asked for, then the header.
    ///
    /// # Errors
    /// The CSV writer's error (none is expected writing to memory).
    pub fn new(
        answer_keys: Vec<String>,
        include_contact: bool,
        bom: bool,
        labels: Option<Labels>,
    ) -> csv::Result<Self> {
        let start = if bom { BOM.to_vec() } else { Vec::new() };
        let writer = csv_writer(start);
        let mut encoder = Self {
            writer,
            columns: HashMap::new(),
            answers: vec![String::new(); answer_keys.len()],
            scratch: String::new(),
            include_contact,
            labels,
        };
        for column in &FIXED_COLUMNS {
            encoder.cell(column.name)?;
        }
        for key in &answer_keys {
            encoder.cell(key)?;
        }
        if include_contact {
            encoder.cell(CONTACT_COLUMN)?;
        }
        encoder.writer.write_record(None::<&[u8]>)?;
        encoder.columns = answer_keys
            .into_iter()
            .enumerate()
            .map(|(i, k)| (k, i))
            .collect();
        Ok(encoder)
    }

    /// Writes one response as one line.
    ///
    /// # Errors
    /// The CSV writer's error (none is expected writing to memory).
    pub fn write_row(&mut self, row: &ExportRow) -> csv::Result<()> {
        for cell in &mut self.answers {
            cell.clear();
        }
        for (key, value) in &row.answers {
            if let Some(&i) = self.columns.get(key.as_str()) {
                match &self.labels {
                    Some(labels) => labels.write(key, value, &mut self.answers[i]),
                    None => answer_text(value, &mut self.answers[i]),
                }
            }
        }
        for cell in &row.fixed {
            match cell {
                Cell::Text(value) => self.cell(text(value))?,
                Cell::Time(at) => {
                    self.scratch.clear();
                    iso_8601(at, &mut self.scratch);
                    self.writer.write_field(&self.scratch)?;
                }
                Cell::Whole(n) => {
                    self.scratch.clear();
                    let _ = write!(self.scratch, "{n}");
                    self.writer.write_field(&self.scratch)?;
                }
            }
        }
        for i in 0..self.answers.len() {
            write_cell(&mut self.writer, &mut self.scratch, &self.answers[i])?;
        }
        if self.include_contact {
            self.cell(text(&row.contact_email))?;
        }
        self.writer.write_record(None::<&[u8]>)
    }

    /// How many bytes are waiting to be taken (give or take the writer's
    /// own small buffer).
    pub fn pending(&self) -> usize {
        self.writer.get_ref().len()
    }

    /// Everything written since the last call.
    ///
    /// # Errors
    /// The CSV writer's error (none is expected writing to memory).
    pub fn take(&mut self) -> csv::Result<Vec<u8>> {
        let capacity = self.writer.get_ref().capacity();
        let full = std::mem::replace(&mut self.writer, csv_writer(Vec::with_capacity(capacity)));
        full.into_inner().map_err(|e| e.into_error().into())
    }

    fn cell(&mut self, value: &str) -> csv::Result<()> {
        write_cell(&mut self.writer, &mut self.scratch, value)
    }
}

/// RFC 4180: quotes only where needed, CRLF line ends.
fn csv_writer(into: Vec<u8>) -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(into)
}

fn text(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or_default()
}

fn write_cell(
    writer: &mut csv::Writer<Vec<u8>>,
    scratch: &mut String,
    value: &str,
) -> csv::Result<()> {
    if is_formula_like(value) {
        scratch.clear();
        scratch.push('\'');
        scratch.push_str(value);
        writer.write_field(scratch.as_bytes())
    } else {
        writer.write_field(value)
    }
}
