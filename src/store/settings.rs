//! Instance settings kept in the database, so every replica shares them.

use crate::entities::settings;
use sea_orm::{ActiveValue::Set, DatabaseConnection, DbErr, EntityTrait};

const SECRET_KEY: &str = "secret_key";

/// The generated secret key, creating it on first use.
///
/// Returns the key and whether this call created it. Two replicas starting at
/// once agree: the loser of the insert reads the winner's key.
///
/// # Errors
/// The database's error.
#[tracing::instrument(skip_all)]
pub async fn generated_secret_key(
    db: &DatabaseConnection,
    candidate: &str,
) -> Result<(String, bool), DbErr> {
    if let Some(row) = settings::Entity::find_by_id(SECRET_KEY).one(db).await? {
        return Ok((row.value, false));
    }
    let row = settings::ActiveModel {
        key: Set(SECRET_KEY.into()),
        value: Set(candidate.into()),
    };
    match settings::Entity::insert(row).exec(db).await {
        Ok(_) => Ok((candidate.to_string(), true)),
        Err(e) if super::is_unique_violation(&e) => {
            let row = settings::Entity::find_by_id(SECRET_KEY).one(db).await?;
            Ok((
                row.map(|r| r.value)
                    .unwrap_or_else(|| candidate.to_string()),
                false,
            ))
        }
        Err(e) => Err(e),
    }
}
