//! The local-authority register.

use crate::domain::council::Council;
use crate::entities::organisations;
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, TransactionTrait,
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
                if let Some(short) = &c.short_name {
                    row.short_name = Set(Some(short.clone()));
                }
                if let Some(alt) = &c.alt_names {
                    row.alt_names = Set(Some(alt.join(ALT_NAMES_SEPARATOR)));
                }
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
                short_name: Set(Some(c.short_name.clone().unwrap_or_else(|| c.name.clone()))),
                alt_names: Set(c.alt_names.as_ref().map(|a| a.join(ALT_NAMES_SEPARATOR))),
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
        && c.short_name
            .as_ref()
            .is_none_or(|s| row.short_name.as_ref() == Some(s))
        && c.alt_names
            .as_ref()
            .is_none_or(|a| row.alt_names.as_deref() == Some(a.join(ALT_NAMES_SEPARATOR).as_str()))
}

/// How the other names of a council are kept in one column.
const ALT_NAMES_SEPARATOR: &str = "\n";

/// A council as offered in the organisation picker.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CouncilOption {
    /// The register's code, the value sent.
    pub code: String,
    /// The name people use ("Bradford"), shown first.
    pub short_name: String,
    /// The official name, shown beside it.
    pub name: String,
    /// Other spellings, searched too.
    pub alt_names: Vec<String>,
    /// Used to group the list.
    pub nation: String,
    /// False for combined authorities and other bodies, kept apart.
    pub is_council: bool,
}

/// Current councils, by nation then the name people use (combined
/// authorities and other bodies are among them, marked).
///
/// # Errors
/// The database's error.
pub async fn current_councils(db: &impl ConnectionTrait) -> Result<Vec<CouncilOption>, DbErr> {
    let rows = organisations::Entity::find()
        .filter(organisations::Column::Current.eq(true))
        .all(db)
        .await?;
    let mut options: Vec<CouncilOption> = rows
        .into_iter()
        .map(|r| CouncilOption {
            short_name: r.short_name.unwrap_or_else(|| r.name.clone()),
            alt_names: r
                .alt_names
                .map(|a| a.split(ALT_NAMES_SEPARATOR).map(String::from).collect())
                .unwrap_or_default(),
            is_council: Council::is_council(&r.org_type),
            code: r.code,
            name: r.name,
            nation: r.nation,
        })
        .collect();
    options.sort_by_cached_key(|o| (o.nation.clone(), o.short_name.to_lowercase()));
    Ok(options)
}

/// Gives every council still without a short name its official name.
///
/// # Errors
/// The database's error.
pub async fn fill_short_names(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    let result = organisations::Entity::update_many()
        .col_expr(
            organisations::Column::ShortName,
            sea_orm::sea_query::Expr::col(organisations::Column::Name),
        )
        .filter(organisations::Column::ShortName.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// Whether any council lacks the name people use (a register loaded before
/// short names were kept), so start-up can fill them in.
///
/// # Errors
/// The database's error.
pub async fn short_names_missing(db: &impl ConnectionTrait) -> Result<bool, DbErr> {
    let n = organisations::Entity::find()
        .filter(organisations::Column::ShortName.is_null())
        .count(db)
        .await?;
    Ok(n > 0)
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
