//! Contacts a campaign invites: imported by address (re-importing updates,
//! never duplicates), found by the hash of their link's token, and marked
//! when the link is followed, when they unsubscribe and when mail to them
//! fails for good.

pub mod ledger;
pub mod rates;

use crate::domain::contact::{ContactRow, Organisation};
use crate::entities::{contacts, outreach_deliveries as deliveries};
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, TransactionTrait,
};
use std::collections::{HashMap, HashSet};

/// A contact, as the outreach job and the admin see it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Contact {
    /// Its id.
    pub id: i32,
    /// The campaign inviting it.
    pub campaign_id: i32,
    /// The address.
    pub email: String,
    /// The council's register code, for council contacts.
    pub organisation_code: Option<String>,
    /// The organisation's name, for others.
    pub organisation_name: Option<String>,
    /// The person's name, when given.
    pub name: Option<String>,
    /// What the link's token is derived from.
    #[serde(skip)]
    pub nonce: String,
    /// When the personal link was first followed.
    pub link_followed_at: Option<DateTime<Utc>>,
    /// When they asked for no more email.
    pub unsubscribed_at: Option<DateTime<Utc>>,
    /// Why mail to them failed for good, when it did.
    pub failure: Option<String>,
}

impl From<contacts::Model> for Contact {
    fn from(row: contacts::Model) -> Self {
        Self {
            id: row.id,
            campaign_id: row.campaign_id,
            email: row.email,
            organisation_code: row.organisation_code,
            organisation_name: row.organisation_name,
            name: row.name,
            nonce: row.nonce,
            link_followed_at: row.link_followed_at,
            unsubscribed_at: row.unsubscribed_at,
            failure: row.failure,
        }
    }
}

/// What an import changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportCounts {
    /// New contacts.
    pub added: usize,
    /// Contacts already there, updated.
    pub updated: usize,
}

/// Adds or updates every row, by address, in one transaction, with an
/// audit record of the counts (never the addresses). `link` makes a new
/// contact's (nonce, token hash). An unsubscribed contact stays unsubscribed.
///
/// # Errors
/// The database's error; then nothing is written.
pub async fn import(
    db: &DatabaseConnection,
    campaign_id: i32,
    rows: &[ContactRow],
    link: impl Fn() -> (String, String),
    (now, officer_id): (DateTime<Utc>, Option<i32>),
) -> Result<ImportCounts, DbErr> {
    let txn = db.begin().await?;
    let existing: HashMap<String, contacts::Model> = contacts::Entity::find()
        .filter(contacts::Column::CampaignId.eq(campaign_id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|c| (c.email.clone(), c))
        .collect();
    let mut counts = ImportCounts::default();
    for row in rows {
        let (code, named) = match &row.organisation {
            Organisation::Council(code) => (Some(code.clone()), None),
            Organisation::Named(name) => (None, Some(name.clone())),
        };
        if let Some(old) = existing.get(&row.email) {
            let mut model: contacts::ActiveModel = old.clone().into();
            model.organisation_code = Set(code);
            model.organisation_name = Set(named);
            model.name = Set(row.name.clone());
            model.updated_at = Set(now);
            model.update(&txn).await?;
            counts.updated += 1;
        } else {
            let (nonce, token_hash) = link();
            contacts::ActiveModel {
                id: NotSet,
                campaign_id: Set(campaign_id),
                email: Set(row.email.clone()),
                organisation_code: Set(code),
                organisation_name: Set(named),
                name: Set(row.name.clone()),
                nonce: Set(nonce),
                token_hash: Set(token_hash),
                created_at: Set(now),
                updated_at: Set(now),
                link_followed_at: Set(None),
                unsubscribed_at: Set(None),
                failed_at: Set(None),
                failure: Set(None),
            }
            .insert(&txn)
            .await?;
            counts.added += 1;
        }
    }
    let detail = serde_json::json!({
        "campaign_id": campaign_id, "added": counts.added, "updated": counts.updated,
    });
    crate::store::audit::record(&txn, now, officer_id, "contacts_imported", detail).await?;
    txn.commit().await?;
    Ok(counts)
}

/// A campaign's contacts, by address.
///
/// # Errors
/// The database's error.
pub async fn list(db: &impl ConnectionTrait, campaign_id: i32) -> Result<Vec<Contact>, DbErr> {
    let rows = contacts::Entity::find()
        .filter(contacts::Column::CampaignId.eq(campaign_id))
        .order_by_asc(contacts::Column::Email)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(Contact::from).collect())
}

/// The contact whose link's token has this hash.
///
/// # Errors
/// The database's error.
pub async fn by_token_hash(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<Contact>, DbErr> {
    let row = contacts::Entity::find()
        .filter(contacts::Column::TokenHash.eq(token_hash))
        .one(db)
        .await?;
    Ok(row.map(Contact::from))
}

/// Notes the first time a contact's link is followed.
///
/// # Errors
/// The database's error.
pub async fn followed(db: &impl ConnectionTrait, id: i32, now: DateTime<Utc>) -> Result<(), DbErr> {
    contacts::Entity::update_many()
        .col_expr(contacts::Column::LinkFollowedAt, Expr::value(now))
        .filter(contacts::Column::Id.eq(id))
        .filter(contacts::Column::LinkFollowedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Stops all mail to a contact at once: it is marked unsubscribed and its
/// pending deliveries are cancelled, together.
///
/// # Errors
/// The database's error; then nothing changes.
pub async fn unsubscribe(
    db: &DatabaseConnection,
    id: i32,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let txn = db.begin().await?;
    contacts::Entity::update_many()
        .col_expr(contacts::Column::UnsubscribedAt, Expr::value(now))
        .filter(contacts::Column::Id.eq(id))
        .filter(contacts::Column::UnsubscribedAt.is_null())
        .exec(&txn)
        .await?;
    deliveries::Entity::update_many()
        .col_expr(deliveries::Column::Status, Expr::value("cancelled"))
        .filter(deliveries::Column::ContactId.eq(id))
        .filter(deliveries::Column::Status.eq("pending"))
        .exec(&txn)
        .await?;
    txn.commit().await
}

/// Marks mail to a contact as failing for good (a 5xx): shown to admins,
/// and no more is sent.
///
/// # Errors
/// The database's error.
pub async fn failed(
    db: &impl ConnectionTrait,
    id: i32,
    error: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    contacts::Entity::update_many()
        .col_expr(contacts::Column::FailedAt, Expr::value(now))
        .col_expr(contacts::Column::Failure, Expr::value(error))
        .filter(contacts::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// The councils (by code) and other organisations (by lower-case name)
/// that have responded to any survey of a campaign.
///
/// # Errors
/// The database's error.
pub async fn responded(
    db: &impl ConnectionTrait,
    campaign_id: i32,
) -> Result<(HashSet<String>, HashSet<String>), DbErr> {
    let sql = "SELECT DISTINCT r.organisation_code AS code, LOWER(r.other_organisation_name) AS name \
         FROM responses r JOIN surveys s ON s.id = r.survey_id WHERE s.campaign_id = ";
    let mut b = crate::store::filter::SqlBuilder::new(db.get_database_backend(), sql);
    b.bind(campaign_id);
    let mut codes = HashSet::new();
    let mut names = HashSet::new();
    for row in db.query_all_raw(b.build()).await? {
        if let Ok(Some(code)) = row.try_get::<Option<String>>("", "code") {
            codes.insert(code);
        }
        if let Ok(Some(name)) = row.try_get::<Option<String>>("", "name") {
            names.insert(name);
        }
    }
    Ok((codes, names))
}

impl Contact {
    /// Whether the organisation this contact speaks for has responded.
    pub fn has_responded(&self, (codes, names): &(HashSet<String>, HashSet<String>)) -> bool {
        match (&self.organisation_code, &self.organisation_name) {
            (Some(code), _) => codes.contains(code),
            (None, Some(name)) => names.contains(&name.to_lowercase()),
            (None, None) => false,
        }
    }

    /// Whether mail may still go to this contact.
    pub fn reachable(&self) -> bool {
        self.unsubscribed_at.is_none() && self.failure.is_none()
    }
}

/// One contact by id.
///
/// # Errors
/// The database's error.
pub async fn by_id(db: &impl ConnectionTrait, id: i32) -> Result<Option<Contact>, DbErr> {
    Ok(contacts::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(Contact::from))
}
