//! The local-authority register.

use crate::domain::council::Council;
use crate::entities::organisations;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use std::collections::HashMap;

/// What an upsert of the register changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UpsertCounts {
    /// Councils new to the database.
    pub added: usize,
    /// Councils whose details changed.
    pub updated: usize,
    /// Councils already stored as given.
    pub unchanged: usize,
}

/// Inserts or updates councils by code, in one transaction: one query
/// reads what is stored, new councils go in batches, changed ones one by one.
///
/// # Errors
/// The database's error; then nothing is written.
#[tracing::instrument(skip_all, fields(rows = councils.len()))]
pub async fn upsert(db: &DatabaseConnection, councils: &[Council]) -> Result<UpsertCounts, DbErr> {
    let txn = db.begin().await?;
    let stored: HashMap<String, organisations::Model> = organisations::Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|row| (row.code.clone(), row))
        .collect();
    let mut counts = UpsertCounts::default();
    let mut new = Vec::new();
    for c in councils {
        match stored.get(&c.code) {
            Some(row) if same(row, c) => counts.unchanged += 1,
            Some(row) => {
                let mut row: organisations::ActiveModel = row.clone().into();
                row.name = Set(c.name.clone());
                row.gss_code = Set(c.gss_code.clone());
                row.nation = Set(c.nation.clone());
                row.region = Set(c.region.clone());
                row.org_type = Set(c.org_type.clone());
                row.current = Set(c.current);
                row.update(&txn).await?;
                counts.updated += 1;
            }
            None => new.push(organisations::ActiveModel {
                id: NotSet,
                code: Set(c.code.clone()),
                gss_code: Set(c.gss_code.clone()),
                name: Set(c.name.clone()),
                nation: Set(c.nation.clone()),
                region: Set(c.region.clone()),
                org_type: Set(c.org_type.clone()),
                current: Set(c.current),
            }),
        }
    }
    counts.added = new.len();
    // Eight values a row: 500 rows stay far under either database's limit.
    for batch in new.chunks(500) {
        organisations::Entity::insert_many(batch.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(counts)
}

/// Whether no council has been loaded yet.
///
/// # Errors
/// The database's error.
pub async fn is_empty(db: &impl ConnectionTrait) -> Result<bool, DbErr> {
    Ok(organisations::Entity::find().one(db).await?.is_none())
}

fn same(row: &organisations::Model, c: &Council) -> bool {
    row.name == c.name
        && row.gss_code == c.gss_code
        && row.nation == c.nation
        && row.region == c.region
        && row.org_type == c.org_type
        && row.current == c.current
}

/// A council as offered in the organisation picker.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CouncilOption {
    /// Three-letter code, the value sent.
    pub code: String,
    /// The official name, what people read.
    pub name: String,
    /// Used to group the list.
    pub nation: String,
}

/// Current councils, by nation then name.
///
/// # Errors
/// The database's error.
pub async fn current_councils(db: &impl ConnectionTrait) -> Result<Vec<CouncilOption>, DbErr> {
    let rows = organisations::Entity::find()
        .filter(organisations::Column::Current.eq(true))
        .order_by_asc(organisations::Column::Nation)
        .order_by_asc(organisations::Column::Name)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| CouncilOption {
            code: r.code,
            name: r.name,
            nation: r.nation,
        })
        .collect())
}

/// Whether `code` is a current council of the register.
///
/// # Errors
/// The database's error.
pub async fn is_current_council(db: &impl ConnectionTrait, code: &str) -> Result<bool, DbErr> {
    let n = organisations::Entity::find()
        .filter(organisations::Column::Code.eq(code))
        .filter(organisations::Column::Current.eq(true))
        .count(db)
        .await?;
    Ok(n > 0)
}

/// The name of the organisation with this register code, if any.
///
/// # Errors
/// The database's error.
pub async fn name(db: &impl ConnectionTrait, code: &str) -> Result<Option<String>, DbErr> {
    let row = organisations::Entity::find()
        .filter(organisations::Column::Code.eq(code))
        .one(db)
        .await?;
    Ok(row.map(|r| r.name))
}
