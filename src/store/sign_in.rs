//! Failed sign-ins, counted to throttle guessing without locking the real
//! officer out for long: per account from one address and per address (a
//! block until the window passes), and per account from every address
//! together (a growing delay of at most a minute, see
//! [`crate::domain::officer::account_delay`]).

use crate::entities::login_failures;
use chrono::{DateTime, Duration, Utc};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder,
};

/// The window failures are counted over.
pub const WINDOW: Duration = Duration::minutes(15);
/// Failures allowed for one account from one address in the window.
pub const PER_ACCOUNT_AND_ADDRESS: u64 = 5;
/// Failures allowed from one address in the window, whatever the account.
pub const PER_ADDRESS: u64 = 30;

/// When the next attempt is allowed, if the limit is reached.
///
/// # Errors
/// The database's error.
pub async fn blocked_until(
    db: &impl ConnectionTrait,
    account: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    let since = now - WINDOW;
    let recent = || {
        login_failures::Entity::find()
            .filter(login_failures::Column::Ip.eq(ip))
            .filter(login_failures::Column::At.gt(since))
    };
    let pair = recent().filter(login_failures::Column::Account.eq(account));
    let over = if pair.clone().count(db).await? >= PER_ACCOUNT_AND_ADDRESS {
        Some(pair)
    } else if recent().count(db).await? >= PER_ADDRESS {
        Some(recent())
    } else {
        None
    };
    let blocked = match over {
        Some(query) => query
            .order_by_asc(login_failures::Column::At)
            .one(db)
            .await?
            .map(|oldest| oldest.at + WINDOW),
        None => None,
    };
    let delayed = account_delayed_until(db, account, now).await?;
    Ok(blocked.max(delayed).filter(|until| *until > now))
}

/// When the account takes its next attempt from anywhere, if it must wait.
async fn account_delayed_until(
    db: &impl ConnectionTrait,
    account: &str,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    let recent = || {
        login_failures::Entity::find()
            .filter(login_failures::Column::Account.eq(account))
            .filter(login_failures::Column::At.gt(now - WINDOW))
    };
    let failures = recent().count(db).await?;
    let delay = crate::domain::officer::account_delay(failures);
    if delay.is_zero() {
        return Ok(None);
    }
    let latest = recent()
        .order_by_desc(login_failures::Column::At)
        .one(db)
        .await?;
    Ok(latest.map(|f| f.at + delay).filter(|until| *until > now))
}

/// Records a failure.
///
/// # Errors
/// The database's error.
pub async fn record_failure(
    db: &impl ConnectionTrait,
    account: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    login_failures::ActiveModel {
        id: NotSet,
        account: Set(account.into()),
        ip: Set(ip.into()),
        at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Forgets an account's failures from an address after it signs in.
///
/// # Errors
/// The database's error.
pub async fn clear(db: &impl ConnectionTrait, account: &str, ip: &str) -> Result<(), DbErr> {
    login_failures::Entity::delete_many()
        .filter(login_failures::Column::Account.eq(account))
        .filter(login_failures::Column::Ip.eq(ip))
        .exec(db)
        .await?;
    Ok(())
}

/// Deletes failures older than the window.
///
/// # Errors
/// The database's error.
pub async fn purge(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let r = login_failures::Entity::delete_many()
        .filter(login_failures::Column::At.lte(now - WINDOW))
        .exec(db)
        .await?;
    Ok(r.rows_affected)
}
