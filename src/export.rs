//! The export of responses, streamed from the database: the same bytes for
//! the command line (`export responses`) and the web (`GET /admin/export.csv`,
//! `/admin/export?format=`), in chunks of about [`CHUNK_BYTES`], so memory
//! stays flat and the first bytes leave at once. CSV ([`encoder`]), JSON
//! Lines ([`jsonl`]) and an Excel workbook ([`xlsx`], whose rows go to a
//! temporary file and whose file is sent once put together).
//!
//! - [`write_chunks`]: the export itself, into a channel of chunks.
//! - [`write_to`]: into any [`AsyncWrite`] (a file, standard output).
//! - [`start`]: in a background task, as a [`CsvStream`] for an HTTP body.
//! - [`file::write_to_path`]: into a path given with `--out`.
//! - [`record`]: the audit-log entry of a finished export, for every channel.
//! - [`codebook`]: what each key and code of an export means.
//!
//! The cells are written by [`encoder`]: RFC 4180 quoting, CRLF line ends,
//! UTF-8 with an optional byte-order mark, and a leading `'` on any cell a
//! spreadsheet could run as a formula.

pub mod codebook;
pub mod encoder;
pub mod file;
pub mod jsonl;
#[cfg(test)]
mod tests;
pub mod xlsx;

use crate::domain::filter::{FilterError, ResponseFilter};
use crate::store::export::{self as queries, ScopeError};
use encoder::{CsvEncoder, answer_columns};
use sea_orm::{DatabaseConnection, DbErr};
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

/// The size of the chunks handed over, in bytes (a chunk ends with a row).
pub const CHUNK_BYTES: usize = 64 * 1024;
/// How many chunks may wait for a slow reader before the query pauses.
const CHANNEL_CHUNKS: usize = 4;

/// What to export and how.
#[derive(Debug, Clone)]
pub struct ExportRequest {
    /// Which responses (and which surveys' questions, for the columns).
    pub filter: ResponseFilter,
    /// The time zone of the filter's local dates (`config.timezone`).
    pub timezone: chrono_tz::Tz,
    /// Adds the `contact_email` column: only when an officer asks for it.
    pub include_contact: bool,
    /// Starts the file with a UTF-8 byte-order mark, for Excel.
    pub bom: bool,
    /// Writes option labels ("Cyber security") instead of their codes
    /// (`cyber_security`) in the answer columns; scores stay numbers.
    pub labels: bool,
    /// CSV, an Excel workbook or JSON Lines.
    pub format: Format,
}

/// The file an export writes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// RFC 4180 CSV.
    #[default]
    Csv,
    /// An Excel workbook: responses and codebook sheets.
    Xlsx,
    /// One JSON object per line.
    Jsonl,
}

impl Format {
    /// `csv`, `xlsx` or `jsonl`.
    ///
    /// # Errors
    /// What the formats are, for anything else.
    pub fn parse(text: &str) -> Result<Self, String> {
        match text {
            "csv" => Ok(Self::Csv),
            "xlsx" => Ok(Self::Xlsx),
            "jsonl" => Ok(Self::Jsonl),
            other => Err(format!(
                "{other:?} is not an export format: use csv, xlsx or jsonl"
            )),
        }
    }

    /// The file name's ending.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
            Self::Jsonl => "jsonl",
        }
    }

    /// The media type of the download.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Csv => "text/csv; charset=utf-8",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Jsonl => "application/jsonl; charset=utf-8",
        }
    }
}

/// Where an export was asked for, as recorded in the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// The command line.
    Cli,
    /// `GET /admin/export.csv`.
    Web,
}

/// Records a finished export in the audit log (who, when, filters, rows):
/// the one place exports are recorded, whichever channel ran them.
///
/// # Errors
/// The database's error.
pub async fn record(
    db: &DatabaseConnection,
    request: &ExportRequest,
    rows: u64,
    officer_id: Option<i32>,
    channel: Channel,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), DbErr> {
    let detail = request.audit_detail(rows, channel);
    crate::store::audit::record(db, now, officer_id, "export", detail).await
}

impl ExportRequest {
    /// The `detail` of the audit-log entry of a finished export, the same
    /// shape for both channels: `{filters, rows, include_contact, channel}`.
    fn audit_detail(&self, rows: u64, channel: Channel) -> serde_json::Value {
        serde_json::json!({
            "filters": self.filter,
            "rows": rows,
            "include_contact": self.include_contact,
            "labels": self.labels,
            "format": self.format,
            "channel": match channel {
                Channel::Cli => "cli",
                Channel::Web => "web",
            },
        })
    }
}

/// Why an export stopped.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The filter names a campaign, survey or resource that does not exist:
    /// the user's to fix (a 400 on the web, exit code 2 on the command line).
    #[error(transparent)]
    Filter(#[from] FilterError),
    /// The database failed.
    #[error("reading the responses: {0}")]
    Db(#[from] DbErr),
    /// Writing the output failed (a full disk, a closed pipe).
    #[error("writing the export: {0}")]
    Io(#[from] std::io::Error),
    /// The reader went away (the download was cancelled).
    #[error("the export was stopped: its reader went away")]
    Closed,
    /// More responses than a worksheet holds (1,048,575).
    #[error(
        "more responses than an Excel worksheet holds (1,048,575): narrow the filter, or export CSV or JSON Lines"
    )]
    TooManyRows,
    /// A bug: the CSV writer failed, or the export task panicked.
    #[error("internal error in the export: {0}")]
    Internal(String),
}

impl From<ScopeError> for ExportError {
    fn from(e: ScopeError) -> Self {
        match e {
            ScopeError::Unknown(f) => Self::Filter(f),
            ScopeError::Db(e) => Self::Db(e),
        }
    }
}

impl From<csv::Error> for ExportError {
    fn from(e: csv::Error) -> Self {
        Self::Internal(format!("CSV writer: {e}"))
    }
}

impl From<serde_json::Error> for ExportError {
    fn from(e: serde_json::Error) -> Self {
        Self::Internal(format!("JSON writer: {e}"))
    }
}

impl From<rust_xlsxwriter::XlsxError> for ExportError {
    fn from(e: rust_xlsxwriter::XlsxError) -> Self {
        match e {
            rust_xlsxwriter::XlsxError::RowColumnLimitError => Self::TooManyRows,
            other => Self::Internal(format!("XLSX writer: {other}")),
        }
    }
}

/// Runs an export, sending the file into `tx` in chunks: the header (with the
/// byte-order mark if asked for) as soon as the columns are known, then rows
/// in chunks of about [`CHUNK_BYTES`]. Returns how many responses it wrote.
///
/// # Errors
/// [`ExportError::Filter`] for a campaign, survey or resource that does not
/// exist (before anything is sent); [`ExportError::Db`] when the database
/// fails; [`ExportError::Closed`] when the receiver is dropped.
#[tracing::instrument(skip_all)]
pub async fn write_chunks(
    db: &DatabaseConnection,
    request: &ExportRequest,
    tx: &mpsc::Sender<Vec<u8>>,
) -> Result<u64, ExportError> {
    let versions = queries::survey_versions(db, &request.filter).await?;
    let lists: Vec<_> = versions.iter().map(|v| v.questions.clone()).collect();
    let labels = request.labels.then(|| encoder::Labels::of(&lists));
    let columns = answer_columns(&lists);
    let rows = match request.format {
        Format::Csv => {
            let mut csv = CsvEncoder::new(columns, request.include_contact, request.bom, labels)?;
            write_rows(db, request, &mut csv, tx).await?
        }
        Format::Jsonl => {
            let mut jsonl = jsonl::JsonLinesEncoder::new(request.include_contact, labels);
            write_rows(db, request, &mut jsonl, tx).await?
        }
        Format::Xlsx => {
            let mut workbook = xlsx::XlsxEncoder::new(columns, request.include_contact, labels)?;
            let rows = write_rows(db, request, &mut workbook, tx).await?;
            // Put together off the async threads: a large workbook takes seconds.
            let file = tokio::task::spawn_blocking(move || -> Result<_, ExportError> {
                let mut file = tempfile::tempfile()?;
                workbook.finish(&versions, &mut file)?;
                Ok(file)
            })
            .await
            .map_err(|e| ExportError::Internal(format!("the workbook task failed: {e}")))??;
            send_file(file, tx).await?;
            rows
        }
    };
    tracing::info!(rows, format = ?request.format, "export written");
    Ok(rows)
}

/// What the row loop needs of each format's encoder.
trait Encode {
    fn row(&mut self, row: &crate::store::export::ExportRow) -> Result<(), ExportError>;
    /// Bytes ready to hand over (0 for a workbook, sent whole at the end).
    fn pending(&self) -> usize;
    fn take(&mut self) -> Result<Vec<u8>, ExportError>;
}

impl Encode for CsvEncoder {
    fn row(&mut self, row: &crate::store::export::ExportRow) -> Result<(), ExportError> {
        Ok(self.write_row(row)?)
    }
    fn pending(&self) -> usize {
        CsvEncoder::pending(self)
    }
    fn take(&mut self) -> Result<Vec<u8>, ExportError> {
        Ok(CsvEncoder::take(self)?)
    }
}

impl Encode for jsonl::JsonLinesEncoder {
    fn row(&mut self, row: &crate::store::export::ExportRow) -> Result<(), ExportError> {
        Ok(self.write_row(row)?)
    }
    fn pending(&self) -> usize {
        jsonl::JsonLinesEncoder::pending(self)
    }
    fn take(&mut self) -> Result<Vec<u8>, ExportError> {
        Ok(jsonl::JsonLinesEncoder::take(self))
    }
}

impl Encode for xlsx::XlsxEncoder {
    fn row(&mut self, row: &crate::store::export::ExportRow) -> Result<(), ExportError> {
        Ok(self.write_row(row)?)
    }
    fn pending(&self) -> usize {
        0
    }
    fn take(&mut self) -> Result<Vec<u8>, ExportError> {
        Ok(Vec::new())
    }
}

/// The header (if any), then every selected response, handed over in
/// chunks of about [`CHUNK_BYTES`]. Returns how many responses.
async fn write_rows(
    db: &DatabaseConnection,
    request: &ExportRequest,
    encoder: &mut impl Encode,
    tx: &mpsc::Sender<Vec<u8>>,
) -> Result<u64, ExportError> {
    // Sent even when empty (JSON Lines has no header): the first chunk
    // tells the web that the filter was good and the database answered.
    send(tx, encoder.take()?).await?;
    let mut cursor = queries::responses(
        db,
        &request.filter,
        &request.timezone,
        request.include_contact,
    )
    .await?;
    let mut rows = 0_u64;
    while let Some(row) = cursor.next().await? {
        encoder.row(row)?;
        rows += 1;
        if encoder.pending() >= CHUNK_BYTES {
            send(tx, encoder.take()?).await?;
        }
    }
    let rest = encoder.take()?;
    if !rest.is_empty() {
        send(tx, rest).await?;
    }
    Ok(rows)
}

/// A finished file, handed over in chunks.
async fn send_file(file: std::fs::File, tx: &mpsc::Sender<Vec<u8>>) -> Result<(), ExportError> {
    use tokio::io::{AsyncReadExt, AsyncSeekExt};
    let mut file = tokio::fs::File::from_std(file);
    file.seek(std::io::SeekFrom::Start(0)).await?;
    loop {
        let mut chunk = vec![0; CHUNK_BYTES];
        let n = file.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        chunk.truncate(n);
        send(tx, chunk).await?;
    }
}

async fn send(tx: &mpsc::Sender<Vec<u8>>, chunk: Vec<u8>) -> Result<(), ExportError> {
    tx.send(chunk).await.map_err(|_| ExportError::Closed)
}

/// Runs an export into `out` (standard output, a file) and flushes it.
/// Returns how many responses it wrote.
///
/// # Errors
/// As [`write_chunks`], and [`ExportError::Io`] when writing fails.
pub async fn write_to<W: AsyncWrite + Unpin>(
    db: &DatabaseConnection,
    request: &ExportRequest,
    out: &mut W,
) -> Result<u64, ExportError> {
    let (tx, mut rx) = mpsc::channel::<Vec<u8>>(CHANNEL_CHUNKS);
    let produce = async move { write_chunks(db, request, &tx).await };
    let consume = async move {
        while let Some(chunk) = rx.recv().await {
            out.write_all(&chunk).await?;
        }
        out.flush().await
    };
    let (produced, consumed) = tokio::join!(produce, consume);
    match (produced, consumed) {
        (_, Err(e)) => Err(ExportError::Io(e)),
        (result, Ok(())) => result,
    }
}

/// Starts an export in a background task and waits for its first chunk, so
/// a bad filter or an unreachable database is reported before any byte is
/// sent. Returns the body and the task, whose result is the row count once
/// the last chunk has been handed over (for the audit log).
///
/// ```text
/// let (body, done) = export::start(state.db.clone(), request.clone()).await?;
/// tokio::spawn(async move {
///     if let Ok(Ok(rows)) = done.await {
///         let _ = export::record(&db, &request, rows, Some(user_id), Channel::Web, now).await;
///     }
/// });
/// Ok(([(CONTENT_TYPE, "text/csv; charset=utf-8")], Body::from_stream(body)))
/// ```
///
/// # Errors
/// As [`write_chunks`], when it fails before its first chunk.
pub async fn start(
    db: DatabaseConnection,
    request: ExportRequest,
) -> Result<(CsvStream, JoinHandle<Result<u64, ExportError>>), ExportError> {
    let (tx, mut rx) = mpsc::channel::<Vec<u8>>(CHANNEL_CHUNKS);
    let (failed_tx, failed) = oneshot::channel::<String>();
    let task = tokio::spawn(async move {
        let result = write_chunks(&db, &request, &tx).await;
        drop(tx);
        if let Err(e) = &result {
            let _ = failed_tx.send(e.to_string());
        }
        result
    });
    match rx.recv().await {
        Some(first) => Ok((
            CsvStream {
                first: Some(first),
                rx,
                failed,
                finished: false,
            },
            task,
        )),
        None => Err(match task.await {
            Ok(Err(e)) => e,
            Ok(Ok(_)) => ExportError::Internal("the export ended without a header".into()),
            Err(e) => ExportError::Internal(format!("the export task failed: {e}")),
        }),
    }
}

/// The chunks of a running export, for `axum::body::Body::from_stream`.
///
/// Ends after the last chunk; when the export fails part-way it ends with an
/// error instead, so the download is cut off visibly rather than looking
/// complete. Dropping it stops the export.
#[derive(Debug)]
pub struct CsvStream {
    first: Option<Vec<u8>>,
    rx: mpsc::Receiver<Vec<u8>>,
    failed: oneshot::Receiver<String>,
    /// Set once the end (or the error) has been yielded.
    finished: bool,
}

impl futures_core::Stream for CsvStream {
    type Item = Result<Vec<u8>, std::io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Some(first) = self.first.take() {
            return Poll::Ready(Some(Ok(first)));
        }
        if self.finished {
            return Poll::Ready(None);
        }
        match self.rx.poll_recv(cx) {
            Poll::Ready(Some(chunk)) => Poll::Ready(Some(Ok(chunk))),
            Poll::Pending => Poll::Pending,
            Poll::Ready(None) => {
                let outcome = std::task::ready!(Pin::new(&mut self.failed).poll(cx));
                self.finished = true;
                // A dropped sender without a message is a finished export.
                Poll::Ready(outcome.ok().map(|m| Err(std::io::Error::other(m))))
            }
        }
    }
}
