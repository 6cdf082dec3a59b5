//! The leads of a campaign's workstreams as the campaign editor shows and
//! sets them: the active officers subscribed to each workstream's digest.

use crate::domain::campaign::edit::LeadLists;
use crate::domain::schedule::Frequency;
use crate::entities::{campaigns, digest_subscriptions as subs, users};
use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};

/// For each workstream key of the campaign: its leads' emails, in the order
/// they subscribed. Disabled officers are left out.
///
/// # Errors
/// The database's error.
pub async fn leads(db: &impl ConnectionTrait, campaign_slug: &str) -> Result<LeadLists, DbErr> {
    let Some(campaign) = campaigns::Entity::find()
        .filter(campaigns::Column::Slug.eq(campaign_slug))
        .one(db)
        .await?
    else {
        return Ok(LeadLists::new());
    };
    let rows = subs::Entity::find()
        .filter(subs::Column::CampaignId.eq(campaign.id))
        .order_by_asc(subs::Column::Id)
        .all(db)
        .await?;
    let rows = with_officers(db, rows).await?;
    let mut out = LeadLists::new();
    for (sub, officer) in rows {
        if let Some(officer) = officer.filter(|o| !o.disabled) {
            out.entry(sub.workstream_key)
                .or_default()
                .push(officer.email);
        }
    }
    Ok(out)
}

/// Makes the leads of each of the campaign's workstreams exactly `wanted`:
/// new leads get the weekly digest (skipping empty weeks), leads no longer
/// listed stop getting it, and the others keep the frequency they chose.
///
/// # Errors
/// The database's error; an email no active officer has is a
/// `RecordNotFound` naming it (the editor checks emails before saving).
pub async fn set_leads(
    db: &impl ConnectionTrait,
    campaign_id: i32,
    wanted: &LeadLists,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let rows = subs::Entity::find()
        .filter(subs::Column::CampaignId.eq(campaign_id))
        .all(db)
        .await?;
    let rows = with_officers(db, rows).await?;
    for (sub, officer) in &rows {
        let email = officer.as_ref().map(|o| o.email.as_str());
        let kept = wanted
            .get(&sub.workstream_key)
            .is_some_and(|emails| email.is_some_and(|e| emails.iter().any(|w| w == e)));
        if !kept {
            subs::Entity::delete_by_id(sub.id).exec(db).await?;
        }
    }
    for (key, emails) in wanted {
        for email in emails {
            let already = rows.iter().any(|(sub, officer)| {
                &sub.workstream_key == key && officer.as_ref().is_some_and(|o| &o.email == email)
            });
            if already {
                continue;
            }
            let officer = users::Entity::find()
                .filter(users::Column::Email.eq(email.as_str()))
                .filter(users::Column::Disabled.eq(false))
                .one(db)
                .await?
                .ok_or_else(|| DbErr::RecordNotFound(format!("no active officer has {email}")))?;
            subs::ActiveModel {
                id: NotSet,
                user_id: Set(officer.id),
                campaign_id: Set(campaign_id),
                workstream_key: Set(key.clone()),
                frequency: Set(Frequency::Weekly.as_str().into()),
                skip_empty: Set(true),
                created_at: Set(now),
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

async fn with_officers(
    db: &impl ConnectionTrait,
    rows: Vec<subs::Model>,
) -> Result<Vec<(subs::Model, Option<users::Model>)>, DbErr> {
    let ids: Vec<i32> = rows.iter().map(|r| r.user_id).collect();
    let officers = users::Entity::find()
        .filter(users::Column::Id.is_in(ids))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|sub| {
            let officer = officers.iter().find(|o| o.id == sub.user_id).cloned();
            (sub, officer)
        })
        .collect())
}
