//! Drafts of campaigns edited in the browser. A draft holds the whole
//! definition (as the TOML `campaign import` takes) and the leads to
//! subscribe; respondents never see it. Every save names the revision it
//! was based on: a save based on an older one is refused, so two editors
//! never overwrite each other silently.

mod publish;

pub use publish::{PublishError, discard, publish, try_publish, upload};

use super::users::{self, Officer};
use crate::domain::campaign::CampaignDefinition;
use crate::entities::campaign_drafts as drafts;
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};
use std::collections::BTreeMap;

/// The leads to subscribe to each workstream's digest: key → emails.
pub type Leads = BTreeMap<String, Vec<String>>;

/// A draft as the editor works on it.
#[derive(Debug, Clone)]
pub struct Draft {
    /// Its row.
    pub id: i32,
    /// The campaign as it will be published.
    pub definition: CampaignDefinition,
    /// Leads to subscribe (weekly) when it is published.
    pub leads: Leads,
    /// Goes up by one at every save.
    pub revision: i32,
    /// Who saved it last.
    pub updated_by: Option<Officer>,
    /// When.
    pub updated_at: DateTime<Utc>,
    /// What the last save changed, in words.
    pub last_change: String,
}

/// Why a draft could not be saved.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// Someone saved a newer revision first; nothing was written.
    #[error("the draft changed since it was opened")]
    Stale(Box<Draft>),
    /// A draft for this campaign exists already.
    #[error("this campaign already has a draft")]
    Exists,
    /// The stored definition no longer reads (a bug, or a hand edit).
    #[error("the stored draft does not read: {0}")]
    Unreadable(String),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
}

async fn draft(db: &impl ConnectionTrait, row: drafts::Model) -> Result<Draft, SaveError> {
    let definition = CampaignDefinition::from_draft_toml(&row.definition)
        .map_err(|e| SaveError::Unreadable(e.to_string()))?;
    let leads =
        serde_json::from_str(&row.leads).map_err(|e| SaveError::Unreadable(e.to_string()))?;
    let updated_by = match row.updated_by {
        Some(id) => users::get(db, id).await?,
        None => None,
    };
    Ok(Draft {
        id: row.id,
        definition,
        leads,
        revision: row.revision,
        updated_by,
        updated_at: row.updated_at,
        last_change: row.last_change,
    })
}

fn toml_of(def: &CampaignDefinition) -> Result<String, SaveError> {
    def.to_toml()
        .map_err(|e| SaveError::Unreadable(e.to_string()))
}

/// The draft of the campaign with this slug, if one is open.
///
/// # Errors
/// The database's error, or a stored draft that no longer reads.
pub async fn get(db: &impl ConnectionTrait, slug: &str) -> Result<Option<Draft>, SaveError> {
    match drafts::Entity::find()
        .filter(drafts::Column::Slug.eq(slug))
        .one(db)
        .await?
    {
        Some(row) => Ok(Some(draft(db, row).await?)),
        None => Ok(None),
    }
}

/// The slugs of every open draft, oldest first.
///
/// # Errors
/// The database's error.
pub async fn slugs(db: &impl ConnectionTrait) -> Result<Vec<String>, DbErr> {
    let rows = drafts::Entity::find()
        .order_by_asc(drafts::Column::Id)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|r| r.slug).collect())
}

/// Opens a draft of `definition`.
///
/// # Errors
/// [`SaveError::Exists`] when the campaign has a draft already; the database's error.
pub async fn create(
    db: &impl ConnectionTrait,
    definition: &CampaignDefinition,
    leads: &Leads,
    (by, now): (i32, DateTime<Utc>),
    change: &str,
) -> Result<Draft, SaveError> {
    let row = drafts::ActiveModel {
        id: NotSet,
        slug: Set(definition.slug.clone()),
        definition: Set(toml_of(definition)?),
        leads: Set(serde_json::to_string(leads).unwrap_or_else(|_| "{}".into())),
        revision: Set(1),
        updated_by: Set(Some(by)),
        updated_at: Set(now),
        last_change: Set(change.to_string()),
        created_at: Set(now),
    };
    match row.insert(db).await {
        Ok(row) => draft(db, row).await,
        Err(e) if super::is_unique_violation(&e) => Err(SaveError::Exists),
        Err(e) => Err(e.into()),
    }
}

/// Saves `definition` over the draft `id`, only if it is still at
/// `revision`; the draft's slug follows the definition's.
///
/// # Errors
/// [`SaveError::Stale`] with the newer draft when someone saved first;
/// [`SaveError::Exists`] when the new slug is another draft's; the database's error.
pub async fn save(
    db: &impl ConnectionTrait,
    (id, revision): (i32, i32),
    definition: &CampaignDefinition,
    leads: &Leads,
    (by, now): (i32, DateTime<Utc>),
    change: &str,
) -> Result<Draft, SaveError> {
    let updated = drafts::Entity::update_many()
        .col_expr(drafts::Column::Slug, Expr::value(definition.slug.clone()))
        .col_expr(
            drafts::Column::Definition,
            Expr::value(toml_of(definition)?),
        )
        .col_expr(
            drafts::Column::Leads,
            Expr::value(serde_json::to_string(leads).unwrap_or_else(|_| "{}".into())),
        )
        .col_expr(drafts::Column::Revision, Expr::value(revision + 1))
        .col_expr(drafts::Column::UpdatedBy, Expr::value(Some(by)))
        .col_expr(drafts::Column::UpdatedAt, Expr::value(now))
        .col_expr(drafts::Column::LastChange, Expr::value(change.to_string()))
        .filter(drafts::Column::Id.eq(id))
        .filter(drafts::Column::Revision.eq(revision))
        .exec(db)
        .await;
    let updated = match updated {
        Ok(result) => result.rows_affected,
        Err(e) if super::is_unique_violation(&e) => return Err(SaveError::Exists),
        Err(e) => return Err(e.into()),
    };
    let row = drafts::Entity::find_by_id(id).one(db).await?;
    let Some(row) = row else {
        return Err(SaveError::Db(DbErr::RecordNotFound(format!("draft {id}"))));
    };
    let current = draft(db, row).await?;
    if updated == 1 {
        Ok(current)
    } else {
        Err(SaveError::Stale(Box::new(current)))
    }
}

/// Deletes a draft (discarded, or published).
///
/// # Errors
/// The database's error.
pub async fn delete(db: &impl ConnectionTrait, id: i32) -> Result<bool, DbErr> {
    let result = drafts::Entity::delete_by_id(id).exec(db).await?;
    Ok(result.rows_affected == 1)
}
