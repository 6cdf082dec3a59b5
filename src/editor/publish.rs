//! The ends of a draft: what publishing it will change, publishing it,
//! discarding it, and opening one from an uploaded TOML file.

use super::{EditError, Newer, RESERVED_SLUGS, Working, newer, open};
use crate::domain::campaign::edit::{changes, problem};
use crate::domain::campaign::{CampaignDefinition, DefinitionError};
use crate::store::drafts::{self, Draft, PublishError, SaveError};
use crate::store::{self, campaigns::ImportReport};
use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, DbErr};

/// What publishing a draft will do.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The campaign with its draft.
    pub working: Working,
    /// Each change, in words.
    pub changes: Vec<String>,
    /// Each survey that gets a new version, in words.
    pub new_versions: Vec<String>,
    /// Why it cannot be published yet, if it cannot.
    pub blocker: Option<String>,
}

/// What publishing the campaign's draft will change; `None` without a draft.
///
/// # Errors
/// The database's error.
pub async fn plan(
    db: &DatabaseConnection,
    slug: &str,
    now: DateTime<Utc>,
) -> Result<Option<Plan>, EditError> {
    let Some(working) = open(db, slug).await? else {
        return Ok(None);
    };
    let Some(draft) = &working.draft else {
        return Ok(None);
    };
    let published = store::campaigns::export(db, slug).await?;
    let published_leads = store::digests::leads(db, slug).await?;
    let changes = changes(
        published.as_ref().map(|p| (p, &published_leads)),
        (&draft.definition, &draft.leads),
    );
    let mut blocker = draft
        .definition
        .check_complete()
        .err()
        .map(|m| sentence(&m));
    let mut new_versions = Vec::new();
    if blocker.is_none() {
        match drafts::try_publish(db, draft, now).await {
            Ok(report) => new_versions = versions_in_words(&draft.definition, &report),
            Err(PublishError::Refused(m)) => blocker = Some(sentence(&m)),
            Err(PublishError::Db(e)) => return Err(e.into()),
            Err(PublishError::Stale) => {}
        }
    }
    Ok(Some(Plan {
        working,
        changes,
        new_versions,
        blocker,
    }))
}

fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    let first = chars.next().map(|c| c.to_uppercase().collect::<String>());
    format!("{}{}.", first.unwrap_or_default(), chars.as_str())
}

fn versions_in_words(def: &CampaignDefinition, report: &ImportReport) -> Vec<String> {
    report
        .new_versions
        .iter()
        .filter(|(_, v)| *v > 1)
        .map(|(slug, v)| {
            let title = def
                .surveys
                .iter()
                .find(|s| &s.slug == slug)
                .map_or(slug.as_str(), |s| s.title.as_str());
            format!(
                "“{title}” has responses, so its questions become version {v}; every response so far keeps version {}, the one it answered.",
                v - 1
            )
        })
        .collect()
}

/// Publishes the campaign's draft as it was at `revision`.
///
/// # Errors
/// [`EditError::Stale`] when the draft changed; [`EditError::Invalid`]
/// with the rule that stops it.
pub async fn publish(
    db: &DatabaseConnection,
    (slug, revision): (&str, i32),
    (by, now): (i32, DateTime<Utc>),
) -> Result<(CampaignDefinition, ImportReport), EditError> {
    let plan = plan(db, slug, now).await?;
    let Some(Plan {
        working,
        changes,
        blocker,
        ..
    }) = plan
    else {
        return Err(EditError::Stale(newer(None)));
    };
    let draft = working.draft.ok_or(EditError::Unknown)?;
    if draft.revision != revision {
        return Err(EditError::Stale(newer(Some(&draft))));
    }
    if let Some(blocker) = blocker {
        return Err(EditError::Invalid(vec![problem("main", blocker)]));
    }
    match drafts::publish(db, &draft, &changes, (by, now)).await {
        Ok(report) => Ok((draft.definition, report)),
        Err(e) => Err(stale_or(db, slug, e).await),
    }
}

async fn stale_or(db: &DatabaseConnection, slug: &str, e: PublishError) -> EditError {
    match e {
        PublishError::Stale => match drafts::get(db, slug).await {
            Ok(now) => EditError::Stale(newer(now.as_ref())),
            Err(e) => e.into(),
        },
        PublishError::Refused(m) => EditError::Invalid(vec![problem("main", sentence(&m))]),
        PublishError::Db(e) => e.into(),
    }
}

/// Discards the campaign's draft as it was at `revision`.
///
/// # Errors
/// [`EditError::Stale`] when the draft changed or went.
pub async fn discard(
    db: &DatabaseConnection,
    (slug, revision): (&str, i32),
    (by, now): (i32, DateTime<Utc>),
) -> Result<CampaignDefinition, EditError> {
    let draft = drafts::get(db, slug)
        .await?
        .ok_or_else(|| EditError::Stale(newer(None)))?;
    if draft.revision != revision {
        return Err(EditError::Stale(newer(Some(&draft))));
    }
    match drafts::discard(db, &draft, (by, now)).await {
        Ok(()) => Ok(draft.definition),
        Err(e) => Err(stale_or(db, slug, e).await),
    }
}

/// Why an uploaded file did not become a draft; nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    /// No file was chosen, or it was empty.
    #[error("Choose a campaign file (.toml) to upload")]
    Empty,
    /// The file is not UTF-8 text.
    #[error(
        "The file is not text: choose the .toml file that “Download as TOML” or `campaign export` gave"
    )]
    NotText,
    /// The definition breaks a rule of the import.
    #[error("The file was not uploaded: {0}")]
    Definition(DefinitionError),
    /// Its address is kept for the editor's own pages.
    #[error(
        "The file was not uploaded: the address “{0}” is kept for the editor’s own pages; change the slug"
    )]
    Reserved(String),
    /// The campaign has a draft open already.
    #[error("The campaign already has a draft open")]
    Open(Newer),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Opens a draft of an uploaded campaign file, checked as `campaign import` checks it.
///
/// # Errors
/// [`UploadError`] saying what to fix.
pub async fn upload(
    db: &DatabaseConnection,
    (file_name, contents): (&str, &[u8]),
    (by, now): (i32, DateTime<Utc>),
) -> Result<Draft, UploadError> {
    if contents.iter().all(u8::is_ascii_whitespace) {
        return Err(UploadError::Empty);
    }
    let text = std::str::from_utf8(contents).map_err(|_| UploadError::NotText)?;
    let definition = CampaignDefinition::from_toml(text).map_err(UploadError::Definition)?;
    if RESERVED_SLUGS.contains(&definition.slug.as_str()) {
        return Err(UploadError::Reserved(definition.slug));
    }
    let leads = store::digests::leads(db, &definition.slug).await?;
    let uploaded = drafts::upload(db, &definition, &leads, (by, now), file_name).await;
    match uploaded {
        Ok(draft) => Ok(draft),
        Err(SaveError::Stale(open)) => Err(UploadError::Open(newer(Some(&open)))),
        Err(SaveError::Exists) => Err(UploadError::Open(newer(None))),
        Err(SaveError::Db(e)) => Err(e.into()),
        Err(SaveError::Unreadable(m)) => Err(UploadError::Db(DbErr::Custom(m))),
    }
}
