//! The editor's checks that need the database: leads must be officers,
//! and an answered question keeps its kind.

use crate::domain::campaign::edit::{Problem, problem};
use crate::domain::officer::normalise_email;
use crate::domain::question::QuestionKind;
use crate::store;
use sea_orm::{DatabaseConnection, DbErr};

/// The leads typed in a workstream's form, one email address per line:
/// each must be an active officer's (digests go to officers).
///
/// # Errors
/// The problem with the first address that is not.
pub async fn lead_emails(
    db: &DatabaseConnection,
    typed: &str,
) -> Result<Result<Vec<String>, Problem>, DbErr> {
    let mut emails = Vec::new();
    for line in typed.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let Ok(email) = normalise_email(line) else {
            return Ok(Err(problem(
                "leads",
                format!("“{line}” is not an email address: write one address on each line"),
            )));
        };
        let active = store::users::by_email(db, &email)
            .await?
            .is_some_and(|o| !o.disabled);
        if !active {
            return Ok(Err(problem(
                "leads",
                format!(
                    "No officer can sign in as {email}: digests go to officers, so ask an admin to add them under Users first"
                ),
            )));
        }
        if !emails.contains(&email) {
            emails.push(email);
        }
    }
    Ok(Ok(emails))
}

/// Why a question of a published survey cannot take `kind`: it has
/// answers of another kind, which could not be counted with the new ones.
///
/// # Errors
/// The database's error.
pub async fn kind_problem(
    db: &DatabaseConnection,
    (survey, key): (&str, &str),
    kind: QuestionKind,
) -> Result<Option<Problem>, DbErr> {
    let Some((id, _)) = store::surveys::answered(db, survey).await? else {
        return Ok(None);
    };
    let kinds = store::surveys::answered_kinds(db, id).await?;
    let Some((was, count)) = kinds.get(key).filter(|(was, _)| was != kind.as_str()) else {
        return Ok(None);
    };
    let was = QuestionKind::parse(was).map_or_else(|| was.clone(), |k| k.label().to_string());
    Ok(Some(problem(
        "kind",
        format!(
            "This question has {count} answer{} as “{was}”, so its kind cannot change: the answers could not be counted together. Add a new question with its own key instead, and remove this one if it should no longer be asked",
            if *count == 1 { "" } else { "s" }
        ),
    )))
}
