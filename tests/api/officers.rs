//! Officers who are locked out get back in: an admin re-enables a disabled
//! officer, or sends a one-time link to set a new password (through a real
//! SMTP server); the command line does both.

use crate::digests::text_part;
use crate::helpers::{Db, TestApp, fresh_database, start};
use crate::on_both_databases;
use crate::smtp::SmtpServer;
use campaign_feedback::domain::clock::FixedClock;
use campaign_feedback::domain::officer::Role;
use chrono::{Duration, Utc};
use std::sync::Arc;

on_both_databases!(
    a_reset_link_by_email_sets_a_new_password_once_and_expires,
    a_disabled_officer_is_enabled_again_from_the_web_and_the_command_line,
    every_audited_action_is_listed_for_admins_filtered_and_downloadable,
);

const ADMIN_PASSWORD: &str = "granite willow beacon";
const OLD_PASSWORD: &str = "forgotten old phrase";
const NEW_PASSWORD: &str = "brand new river stones";

async fn app_with_mail(db: Db, smtp: &SmtpServer) -> (TestApp, FixedClock) {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(db, &dir).await;
    let clock = FixedClock::new(Utc::now());
    let app = start(
        url,
        dir,
        &[("SMTP_URL", &smtp.url())],
        Arc::new(clock.clone()),
    )
    .await;
    app.add_officer("admin@example.gov.uk", Role::Admin, ADMIN_PASSWORD)
        .await;
    app.add_officer("analyst@example.gov.uk", Role::Analyst, OLD_PASSWORD)
        .await;
    (app, clock)
}

/// The token of the reset link in an email.
fn link_token(message: &str) -> String {
    let text = text_part(message);
    let at = text.find("/admin/reset/").expect("a reset link") + "/admin/reset/".len();
    text[at..at + 64].to_string()
}

async fn a_reset_link_by_email_sets_a_new_password_once_and_expires(db: Db) {
    let smtp = SmtpServer::start().await;
    let (app, clock) = app_with_mail(db, &smtp).await;
    let admin = app.sign_in("admin@example.gov.uk", ADMIN_PASSWORD).await;
    let sent = app
        .post_as(
            &admin.cookie,
            "/admin/users/reset",
            &[
                ("email", "analyst@example.gov.uk"),
                ("csrf_token", &admin.csrf),
            ],
        )
        .await;
    assert_eq!(sent.status(), 303);
    let users = app
        .get_as(&admin.cookie, "/admin/users")
        .await
        .text()
        .await
        .unwrap();
    assert!(users.contains("A link to set a new password was sent to analyst@example.gov.uk. It works once, for two hours."));
    let messages = smtp.received();
    assert_eq!(messages.len(), 1);
    assert!(messages[0].contains("To: analyst@example.gov.uk"));
    assert!(messages[0].contains("Subject: Set a new password for Campaign feedback"));
    let text = text_part(&messages[0]);
    assert!(text.contains("The link works once, until"), "{text}");
    let token = link_token(&messages[0]);

    // The form, and the policy applies.
    let form = app.get(&format!("/admin/reset/{token}")).await;
    assert_eq!(form.status(), 200);
    assert_eq!(form.headers()["referrer-policy"], "no-referrer");
    let html = form.text().await.unwrap();
    assert!(html.contains("Set a new password") && html.contains("analyst@example.gov.uk"));
    let form_token = crate::helpers::token_in(&html);
    let weak = app
        .post_form(
            &format!("/admin/reset/{token}"),
            &[("form_token", &form_token), ("password", "password1234")],
        )
        .await;
    assert_eq!(weak.status(), 422);
    assert!(weak.text().await.unwrap().contains("too common"));

    let set = app
        .post_form(
            &format!("/admin/reset/{token}"),
            &[("form_token", &form_token), ("password", NEW_PASSWORD)],
        )
        .await;
    assert_eq!(set.status(), 303);
    assert_eq!(set.headers()["location"], "/admin/login?reset=1");
    assert!(
        app.get_html("/admin/login?reset=1")
            .await
            .contains("Your password has been changed.")
    );
    assert_eq!(
        app.post_login("analyst@example.gov.uk", OLD_PASSWORD, "/admin")
            .await
            .status(),
        422,
        "the old password no longer works"
    );
    app.sign_in("analyst@example.gov.uk", NEW_PASSWORD).await;

    // Once only.
    let again = app.get(&format!("/admin/reset/{token}")).await;
    assert_eq!(again.status(), 410);
    assert!(
        again
            .text()
            .await
            .unwrap()
            .contains("This link has expired or has been used")
    );
    let replay = app
        .post_form(
            &format!("/admin/reset/{token}"),
            &[
                ("form_token", &form_token),
                ("password", "another fresh phrase"),
            ],
        )
        .await;
    assert_eq!(replay.status(), 410);

    // From the command line too; a link expires after two hours.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_campaign-feedback"))
        .args(["users", "reset", "--email", "analyst@example.gov.uk"])
        .current_dir(app.dir.path())
        .env("DATABASE_URL", &app.database_url)
        .env("SECRET_KEY", crate::helpers::SECRET)
        .env("SMTP_URL", smtp.url())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let token = link_token(&smtp.received()[1]);
    clock.set(Utc::now() + Duration::hours(2) + Duration::seconds(1));
    assert_eq!(
        app.get(&format!("/admin/reset/{token}")).await.status(),
        410
    );
    let unknown = std::process::Command::new(env!("CARGO_BIN_EXE_campaign-feedback"))
        .args(["users", "reset", "--email", "nobody@example.gov.uk"])
        .env("DATABASE_URL", &app.database_url)
        .env("SMTP_URL", smtp.url())
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'password_reset_sent'")
            .await,
        2
    );
}

async fn a_disabled_officer_is_enabled_again_from_the_web_and_the_command_line(db: Db) {
    let smtp = SmtpServer::start().await;
    let (app, _clock) = app_with_mail(db, &smtp).await;
    let admin = app.sign_in("admin@example.gov.uk", ADMIN_PASSWORD).await;
    let post = |path: &'static str| {
        let (app, admin) = (&app, &admin);
        async move {
            app.post_as(
                &admin.cookie,
                path,
                &[
                    ("email", "analyst@example.gov.uk"),
                    ("csrf_token", &admin.csrf),
                ],
            )
            .await
        }
    };
    assert_eq!(post("/admin/users/disable").await.status(), 303);
    assert_eq!(
        app.post_login("analyst@example.gov.uk", OLD_PASSWORD, "/admin")
            .await
            .status(),
        422
    );
    let users = app
        .get_as(&admin.cookie, "/admin/users")
        .await
        .text()
        .await
        .unwrap();
    assert!(users.contains("Enable<span class=\"visually-hidden\"> analyst@example.gov.uk</span>"));

    assert_eq!(post("/admin/users/enable").await.status(), 303);
    let users = app
        .get_as(&admin.cookie, "/admin/users")
        .await
        .text()
        .await
        .unwrap();
    assert!(users.contains("analyst@example.gov.uk can sign in again with their password."));
    app.sign_in("analyst@example.gov.uk", OLD_PASSWORD).await;

    assert!(
        app.cli(&["users", "disable", "--email", "analyst@example.gov.uk"])
            .status
            .success()
    );
    let enabled = app.cli(&["users", "enable", "--email", "analyst@example.gov.uk"]);
    assert!(enabled.status.success());
    assert!(String::from_utf8_lossy(&enabled.stdout).contains("Enabled analyst@example.gov.uk"));
    app.sign_in("analyst@example.gov.uk", OLD_PASSWORD).await;
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'user_enabled'")
            .await,
        2
    );
}

async fn every_audited_action_is_listed_for_admins_filtered_and_downloadable(db: Db) {
    let smtp = SmtpServer::start().await;
    let (app, _clock) = app_with_mail(db, &smtp).await;
    let reference = app
        .respond("governance", ("Spam Ltd", "other"), (1, 1, 0), "spam")
        .await;
    assert!(
        app.cli(&["export", "responses", "--out", "/dev/null"])
            .status
            .success()
    );
    let admin = app.sign_in("admin@example.gov.uk", ADMIN_PASSWORD).await;
    let deleted = app
        .post_as(
            &admin.cookie,
            &format!("/admin/responses/{reference}/delete"),
            &[("csrf_token", &admin.csrf)],
        )
        .await;
    assert_eq!(deleted.status(), 303);
    app.post_as(
        &admin.cookie,
        "/admin/users/disable",
        &[
            ("email", "analyst@example.gov.uk"),
            ("csrf_token", &admin.csrf),
        ],
    )
    .await;

    let get = |path: String| {
        let (app, cookie) = (&app, admin.cookie.clone());
        async move { app.get_as(&cookie, &path).await.text().await.unwrap() }
    };
    let all = get("/admin/audit".into()).await;
    for expected in [
        "<td>Response deleted</td>",
        "<td>Responses exported</td>",
        "<td>Officer disabled</td>",
        "<td class=\"break\">Command line</td>",
        &format!("reference: {reference}"),
    ] {
        assert!(all.contains(expected), "missing {expected}");
    }
    let deletions = get("/admin/audit?action=response_deleted".into()).await;
    assert!(deletions.contains("1 entry.") && deletions.contains("Response deleted"));
    assert!(!deletions.contains("<td>Responses exported</td>"));
    let by_admin = get("/admin/audit?officer=admin%40example.gov.uk".into()).await;
    assert!(!by_admin.contains("Command line") && by_admin.contains("Officer disabled"));
    let tomorrow = (Utc::now() + Duration::days(2)).format("%Y-%m-%d");
    let none = get(format!("/admin/audit?since={tomorrow}")).await;
    assert!(none.contains("0 entries."));
    let bad = get("/admin/audit?since=last+week".into()).await;
    assert!(bad.contains("<a href=\"#audit-since\">"));

    let csv = app
        .get_as(&admin.cookie, "/admin/audit.csv?action=response_deleted")
        .await;
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let text = csv.text().await.unwrap();
    assert!(text.starts_with("at,who,action,what,details,detail_json\r\n"));
    assert!(text.contains(",admin@example.gov.uk,response_deleted,Response deleted,"));
    assert_eq!(text.lines().count(), 2);

    app.add_officer("reader@example.gov.uk", Role::Analyst, OLD_PASSWORD)
        .await;
    let reader = app.sign_in("reader@example.gov.uk", OLD_PASSWORD).await;
    assert_eq!(
        app.get_as(&reader.cookie, "/admin/audit").await.status(),
        403
    );
}
