//! Editing campaigns in the browser: the working copy of a campaign (its
//! open draft, or the published campaign when there is none), changes
//! applied to it with the import's rules and saved as the draft only if
//! nobody saved since the editor read it, and (in `publish.rs`) what
//! publishing will change, publishing, discarding and uploading.

mod checks;
mod publish;

pub use checks::{kind_problem, lead_emails};
pub use publish::{Plan, UploadError, discard, plan, publish, upload};

use crate::domain::campaign::CampaignDefinition;
use crate::domain::campaign::edit::{
    Arrangement, Element, LeadLists, Problems, arrange as arrange_in, changed, problem,
};
use crate::store::drafts::{self, Draft, SaveError};
use crate::store::{self};
use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, DbErr};

/// Addresses under `/admin/campaigns/` that the editor's own pages use.
pub const RESERVED_SLUGS: &[&str] = &["new", "upload"];

/// A campaign as the editor works on it.
#[derive(Debug, Clone)]
pub struct Working {
    /// The definition: the draft's, or the published one.
    pub definition: CampaignDefinition,
    /// Each workstream's leads.
    pub leads: LeadLists,
    /// The open draft, if there is one.
    pub draft: Option<Draft>,
    /// The campaign as published, if it has been: its address and the keys
    /// of what it published are then fixed (answers and digests refer to them).
    pub published: Option<CampaignDefinition>,
}

impl Working {
    /// The revision a form based on this copy sends back: the draft's, or
    /// 0 for the published campaign.
    pub fn revision(&self) -> i32 {
        self.draft.as_ref().map_or(0, |d| d.revision)
    }

    /// Refuses a new key for a published element: answers, exports and
    /// digests refer to it.
    ///
    /// # Errors
    /// The problem, beside `field`.
    pub fn keep_key(&self, element: &Element, new_key: &str, field: &str) -> Result<(), Problems> {
        let old = match element {
            Element::Workstream(k) | Element::Resource(k) | Element::Survey(k) => k,
            Element::Question(_, k) => k,
        };
        if old == new_key || !self.was_published(element) {
            return Ok(());
        }
        Err(vec![problem(
            field,
            format!(
                "“{old}” has been published, so it stays: answers, exports and digests refer to it. Add a new one to use “{new_key}”"
            ),
        )])
    }

    /// Whether `element` was published, so its key can no longer change.
    pub fn was_published(&self, element: &Element) -> bool {
        let Some(p) = &self.published else {
            return false;
        };
        match element {
            Element::Workstream(k) => p.workstreams.iter().any(|w| &w.key == k),
            Element::Resource(k) => p.resources.iter().any(|r| &r.key == k),
            Element::Survey(s) => p.surveys.iter().any(|d| &d.slug == s),
            Element::Question(s, k) => p
                .surveys
                .iter()
                .any(|d| &d.slug == s && d.questions.iter().any(|q| &q.key == k)),
        }
    }
}

/// Someone else's save that a change was based on too old a copy to follow.
#[derive(Debug, Clone)]
pub struct Newer {
    /// Who saved (the draft's last editor), if there is a draft.
    pub by: Option<String>,
    /// When.
    pub at: Option<DateTime<Utc>>,
    /// What they changed, or why the draft is gone.
    pub change: String,
    /// The revision to send to make the change over theirs.
    pub revision: i32,
}

/// Why a change was not saved; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// No campaign or draft has this address.
    #[error("no campaign has this address")]
    Unknown,
    /// What to fix, beside each field.
    #[error("the form has problems")]
    Invalid(Problems),
    /// The draft changed since the form was shown.
    #[error("the draft changed since the form was shown")]
    Stale(Newer),
    /// A stored draft no longer reads (a bug, or a hand edit).
    #[error("{0}")]
    Unreadable(String),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl From<SaveError> for EditError {
    fn from(e: SaveError) -> Self {
        match e {
            SaveError::Stale(draft) => Self::Stale(newer(Some(&draft))),
            SaveError::Exists => Self::Invalid(vec![problem(
                "slug",
                "Another campaign being drafted has this address: choose another",
            )]),
            SaveError::Unreadable(m) => Self::Unreadable(m),
            SaveError::Db(e) => Self::Db(e),
        }
    }
}

fn newer(draft: Option<&Draft>) -> Newer {
    match draft {
        Some(d) => Newer {
            by: Some(
                d.updated_by
                    .as_ref()
                    .map_or_else(|| "Someone".into(), |o| o.email.clone()),
            ),
            at: Some(d.updated_at),
            change: d.last_change.clone(),
            revision: d.revision,
        },
        None => Newer {
            by: None,
            at: None,
            change: "the draft was published or discarded".into(),
            revision: 0,
        },
    }
}

/// The campaign with this address as the editor works on it.
///
/// # Errors
/// The database's error; a stored draft that no longer reads.
pub async fn open(db: &DatabaseConnection, slug: &str) -> Result<Option<Working>, EditError> {
    let draft = drafts::get(db, slug).await?;
    let published = store::campaigns::export(db, slug).await?;
    let (definition, leads) = match (&draft, &published) {
        (Some(d), _) => (d.definition.clone(), d.leads.clone()),
        (None, Some(def)) => (def.clone(), store::digests::leads(db, slug).await?),
        (None, None) => return Ok(None),
    };
    Ok(Some(Working {
        definition,
        leads,
        draft,
        published,
    }))
}

/// The working copy, refusing one that moved on from `revision`.
async fn current(db: &DatabaseConnection, slug: &str, revision: i32) -> Result<Working, EditError> {
    let working = open(db, slug).await?.ok_or(EditError::Unknown)?;
    if working.revision() != revision {
        return Err(EditError::Stale(newer(working.draft.as_ref())));
    }
    Ok(working)
}

/// Who changes what, when, and the words the draft keeps for it.
#[derive(Debug, Clone, Copy)]
pub struct Author<'a> {
    /// The officer's id.
    pub by: i32,
    /// Now.
    pub now: DateTime<Utc>,
    /// What the change is, such as "changed question q1 of survey s".
    pub what: &'a str,
}

/// Applies `change` to the campaign as it was at `revision` and saves the
/// result as its draft; `field` is where a rule the result breaks is shown.
///
/// # Errors
/// [`EditError::Invalid`] with the change's problems or the rule broken;
/// [`EditError::Stale`] when someone saved first.
pub async fn edit(
    db: &DatabaseConnection,
    (slug, revision): (&str, i32),
    author: Author<'_>,
    field: &str,
    change: impl FnOnce(&mut CampaignDefinition, &mut LeadLists, &Working) -> Result<(), Problems>,
) -> Result<Draft, EditError> {
    let working = current(db, slug, revision).await?;
    let mut leads = working.leads.clone();
    let definition = changed(&working.definition, field, |d| {
        change(d, &mut leads, &working)
    })
    .map_err(EditError::Invalid)?;
    leads.retain(|key, _| definition.workstreams.iter().any(|w| &w.key == key));
    if definition.slug != slug
        && store::campaigns::id_of(db, &definition.slug)
            .await?
            .is_some()
    {
        return Err(EditError::Invalid(vec![problem(
            "slug",
            "A published campaign has this address: choose another",
        )]));
    }
    let at = (author.by, author.now);
    let draft = match &working.draft {
        Some(d) => {
            drafts::save(db, (d.id, d.revision), &definition, &leads, at, author.what).await?
        }
        None => match drafts::create(db, &definition, &leads, at, author.what).await {
            Err(SaveError::Exists) => {
                let open = drafts::get(db, slug).await?;
                return Err(EditError::Stale(newer(open.as_ref())));
            }
            other => other?,
        },
    };
    Ok(draft)
}

/// Opens the draft of a new campaign from its details.
///
/// # Errors
/// [`EditError::Invalid`] naming the field: an address taken or kept.
pub async fn create(
    db: &DatabaseConnection,
    details: &crate::domain::campaign::edit::DetailsForm,
    (by, now): (i32, DateTime<Utc>),
) -> Result<Draft, EditError> {
    let mut definition = CampaignDefinition::default();
    details
        .apply(&mut definition, true)
        .map_err(EditError::Invalid)?;
    let taken = RESERVED_SLUGS.contains(&definition.slug.as_str())
        || store::campaigns::id_of(db, &definition.slug)
            .await?
            .is_some();
    if taken {
        return Err(EditError::Invalid(vec![problem(
            "slug",
            format!("The address “{}” is taken: choose another", definition.slug),
        )]));
    }
    Ok(drafts::create(
        db,
        &definition,
        &LeadLists::new(),
        (by, now),
        "created the campaign",
    )
    .await?)
}

/// Moves or removes an element of the campaign as it was at `revision`.
/// A survey that has responses is kept (it can be closed instead).
///
/// # Errors
/// As [`edit`]; a survey with responses.
pub async fn arrange(
    db: &DatabaseConnection,
    (slug, revision): (&str, i32),
    author: Author<'_>,
    element: &Element,
    what: Arrangement,
) -> Result<Draft, EditError> {
    if let (Element::Survey(survey), Arrangement::Remove) = (element, what)
        && let Some((_, answered @ 1..)) = store::surveys::answered(db, survey).await?
    {
        return Err(EditError::Invalid(vec![problem(
            "main",
            format!(
                "This survey has {answered} response{} and cannot be removed: they would lose their questions. Close it instead (change its details and tick “Closed”)",
                if answered == 1 { "" } else { "s" }
            ),
        )]));
    }
    edit(db, (slug, revision), author, "main", |def, _, _| {
        arrange_in(def, element, what)
    })
    .await
}
