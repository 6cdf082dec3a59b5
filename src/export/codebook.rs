//! The codebook beside an export: for each survey version the filter
//! selects, each question's key, kind and text, and each answer code with
//! its label, so an analyst can read the codes the CSV keeps (or check the
//! labels it writes with `labels`).

use super::encoder::neutralise;
use crate::domain::filter::ResponseFilter;
use crate::domain::question::QuestionKind;
use crate::store::export::{ScopeError, SurveyVersion, survey_versions};
use sea_orm::ConnectionTrait;

/// The codebook's columns.
pub const COLUMNS: [&str; 7] = [
    "survey",
    "survey_version",
    "key",
    "kind",
    "question",
    "code",
    "label",
];

/// The codebook of the survey versions `filter` selects, as CSV.
///
/// # Errors
/// [`ScopeError`]: a campaign, survey or resource that does not exist, or the database.
pub async fn codebook(
    db: &impl ConnectionTrait,
    filter: &ResponseFilter,
    bom: bool,
) -> Result<Vec<u8>, ScopeError> {
    let versions = survey_versions(db, filter).await?;
    Ok(write(&versions, bom))
}

/// One line per answer code (one for a free-text question), as written:
/// survey, version, key, kind, question, code, label.
pub fn lines(versions: &[SurveyVersion]) -> Vec<[String; 7]> {
    let mut out = Vec::new();
    for v in versions {
        let version = v.version.to_string();
        for q in &v.questions {
            if matches!(q.kind, QuestionKind::Organisation | QuestionKind::Email) {
                continue; // their own columns, described in the README
            }
            let line = |code: &str, label: &str| {
                [
                    &v.survey,
                    &version,
                    &q.key,
                    q.kind.as_str(),
                    &q.text,
                    code,
                    label,
                ]
                .map(str::to_string)
            };
            let codes = q.codes();
            if codes.is_empty() {
                out.push(line("", ""));
            }
            out.extend(codes.iter().map(|(code, label)| line(code, label)));
        }
    }
    out
}

/// The codebook as CSV, RFC 4180, every cell safe in a spreadsheet.
pub fn write(versions: &[SurveyVersion], bom: bool) -> Vec<u8> {
    let start = if bom {
        super::encoder::BOM.to_vec()
    } else {
        Vec::new()
    };
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(start);
    for cells in std::iter::once(COLUMNS.map(str::to_string)).chain(lines(versions)) {
        let cells = cells.map(|c| neutralise(&c).into_owned());
        // Writing into memory cannot fail.
        let _ = out.write_record(&cells);
    }
    out.into_inner().unwrap_or_default()
}
