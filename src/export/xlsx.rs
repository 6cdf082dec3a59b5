//! Rows to an Excel workbook: a "Responses" sheet with the CSV's columns
//! (numbers as numbers, the submission time as a date, a frozen header row
//! and an autofilter) and a "Codebook" sheet. Text cells are always stored
//! as text, so no formula is ever stored. Rows go to a temporary file as
//! they come (rust_xlsxwriter's constant-memory mode), so memory stays flat
//! however many there are; the workbook is put together at the end.

use super::encoder::{CHOICE_SEPARATOR, Labels, answer_text};
use crate::domain::answer::AnswerValue;
use crate::store::export::{CONTACT_COLUMN, Cell, ExportRow, FIXED_COLUMNS, SurveyVersion};
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use std::collections::HashMap;

/// The most rows a worksheet holds, the header included.
pub const MAX_ROWS: u32 = 1_048_576;

/// Writes one export as a workbook.
pub struct XlsxEncoder {
    workbook: Workbook,
    columns: HashMap<String, u16>,
    width: u16,
    row: u32,
    include_contact: bool,
    labels: Option<Labels>,
    date: Format,
    scratch: String,
}

impl std::fmt::Debug for XlsxEncoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("XlsxEncoder")
            .field("row", &self.row)
            .finish_non_exhaustive()
    }
}

impl XlsxEncoder {
    /// Starts the workbook with the header row.
    ///
    /// # Errors
    /// The writer's error (a temporary file that cannot be made).
    pub fn new(
        answer_keys: Vec<String>,
        include_contact: bool,
        labels: Option<Labels>,
    ) -> Result<Self, XlsxError> {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name("Responses")?;
        let bold = Format::new().set_bold();
        let names = FIXED_COLUMNS
            .iter()
            .map(|c| c.name)
            .chain(answer_keys.iter().map(String::as_str))
            .chain(include_contact.then_some(CONTACT_COLUMN));
        let mut width = 0u16;
        for (i, name) in names.enumerate() {
            let col = u16::try_from(i)
                .map_err(|_| XlsxError::ParameterError("too many columns".into()))?;
            sheet.write_string_with_format(0, col, name, &bold)?;
            width = col + 1;
        }
        sheet.set_freeze_panes(1, 0)?;
        let first_answer = FIXED_COLUMNS.len();
        let columns = answer_keys
            .into_iter()
            .enumerate()
            .filter_map(|(i, k)| Some((k, u16::try_from(first_answer + i).ok()?)))
            .collect();
        Ok(Self {
            workbook,
            columns,
            width,
            row: 0,
            include_contact,
            labels,
            date: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
            scratch: String::new(),
        })
    }

    /// Writes one response as one row.
    ///
    /// # Errors
    /// A workbook already full ([`MAX_ROWS`]), or the writer's error.
    pub fn write_row(&mut self, row: &ExportRow) -> Result<(), XlsxError> {
        if self.row + 1 >= MAX_ROWS {
            return Err(XlsxError::RowColumnLimitError);
        }
        self.row += 1;
        let r = self.row;
        let sheet = self.workbook.worksheet_from_index(0)?;
        for (col, cell) in (0u16..).zip(&row.fixed) {
            match cell {
                Cell::Text(Some(text)) => {
                    sheet.write_string(r, col, text)?;
                }
                Cell::Text(None) => {}
                Cell::Time(at) => {
                    sheet.write_datetime_with_format(r, col, at.naive_utc(), &self.date)?;
                }
                Cell::Whole(n) => {
                    sheet.write_number(r, col, f64::from(*n))?;
                }
            }
        }
        for (key, value) in &row.answers {
            let Some(&col) = self.columns.get(key.as_str()) else {
                continue;
            };
            let value = match &self.labels {
                Some(labels) => labels.relabel(key, value),
                None => value.clone(),
            };
            match &value {
                AnswerValue::Number(n) => {
                    sheet.write_number(r, col, f64::from(*n))?;
                }
                AnswerValue::Text(t) => {
                    sheet.write_string(r, col, t)?;
                }
                AnswerValue::List(_) => {
                    self.scratch.clear();
                    answer_text(&value, &mut self.scratch);
                    debug_assert!(CHOICE_SEPARATOR == "; ");
                    sheet.write_string(r, col, &self.scratch)?;
                }
            }
        }
        if self.include_contact
            && let Some(contact) = &row.contact_email
        {
            sheet.write_string(r, self.width - 1, contact)?;
        }
        Ok(())
    }

    /// Adds the autofilter and the codebook sheet and writes the workbook
    /// into `out`.
    ///
    /// # Errors
    /// The writer's error.
    pub fn finish(
        mut self,
        versions: &[SurveyVersion],
        out: &mut std::fs::File,
    ) -> Result<(), XlsxError> {
        let last_col = self.width.saturating_sub(1);
        self.workbook
            .worksheet_from_index(0)?
            .autofilter(0, 0, self.row, last_col)?;
        let bold = Format::new().set_bold();
        let codebook = self.workbook.add_worksheet();
        codebook.set_name("Codebook")?;
        for (col, name) in (0u16..).zip(super::codebook::COLUMNS) {
            codebook.write_string_with_format(0, col, name, &bold)?;
        }
        for (row, line) in (1u32..).zip(super::codebook::lines(versions)) {
            for (col, cell) in (0u16..).zip(&line) {
                if col == 1 {
                    let version: f64 = cell.parse().unwrap_or_default();
                    codebook.write_number(row, col, version)?;
                } else {
                    codebook.write_string(row, col, cell)?;
                }
            }
        }
        codebook.set_freeze_panes(1, 0)?;
        self.workbook.save_to_writer(out)
    }
}
