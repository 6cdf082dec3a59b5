//! Contacts, invitations, reminders and unsubscribing, end to end.

use super::{CAMPAIGN, THREE, cli_smtp, import, received, stdout};
use crate::helpers::{Db, spawn_app_with};
use crate::on_both_databases;
use crate::smtp::SmtpServer;
use campaign_feedback::outreach;
use sea_orm::ConnectionTrait;
use std::collections::HashSet;

on_both_databases!(
    contacts_are_imported_by_address_and_a_bad_file_changes_nothing,
    three_councils_get_three_links_and_reminders_go_only_to_the_silent,
    a_permanent_refusal_is_marked_on_the_contact_and_nothing_more_is_sent,
    contacts_are_personal_data_erased_reported_and_purged_with_the_rest,
);

async fn contacts_are_imported_by_address_and_a_bad_file_changes_nothing(db: Db) {
    let app = spawn_app_with(db, &[]).await;
    let first = import(&app, "contacts.csv", THREE);
    assert!(first.status.success(), "{first:?}");
    assert_eq!(
        stdout(&first),
        format!("Contacts for {CAMPAIGN}: 3 added, 0 updated\n")
    );
    // The same people again, one with a new name and upper-case address:
    // updated, never added twice.
    let again = THREE
        .replace("Asha Khan", "Asha K.")
        .replace("digital@", "DIGITAL@");
    let second = import(&app, "again.csv", &again);
    assert_eq!(
        stdout(&second),
        format!("Contacts for {CAMPAIGN}: 0 added, 3 updated\n")
    );
    assert_eq!(app.count("contacts").await, 3);
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM contacts WHERE name = 'Asha K.'")
            .await,
        1
    );
    // One good row and two bad: exit 2, each bad row by line, nothing written.
    let bad = "email,council_code,organisation\n\
        new.person@leeds.gov.uk,LDS,\n\
        not-an-address,BRD,\n\
        someone@example.gov.uk,ZZZ,\n";
    let refused = import(&app, "bad.csv", bad);
    assert_eq!(refused.status.code(), Some(2), "{refused:?}");
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("line 3: “not-an-address” is not an email address"),
        "{stderr}"
    );
    assert!(
        stderr.contains("line 4: “ZZZ” is not the code of a current council"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was imported"), "{stderr}");
    assert_eq!(app.count("contacts").await, 3);
    // An unknown campaign is named.
    let path = app.dir.path().join("contacts.csv");
    let unknown = app.cli(&[
        "contacts",
        "import",
        path.to_str().unwrap(),
        "--campaign",
        "nope",
    ]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("there is no campaign \"nope\""));
}

async fn three_councils_get_three_links_and_reminders_go_only_to_the_silent(db: Db) {
    let smtp = SmtpServer::start().await;
    let app = spawn_app_with(db, &[("SMTP_URL", &smtp.url())]).await;
    assert!(import(&app, "contacts.csv", THREE).status.success());

    // A dry run lists who would be invited and sends nothing.
    let dry = cli_smtp(
        &app,
        &smtp,
        &["invitations", "send", "--campaign", CAMPAIGN, "--dry-run"],
    );
    assert!(stdout(&dry).starts_with("Dry run: 3 contacts would be invited; nothing was sent"));
    assert!(smtp.received().is_empty());

    let sent = cli_smtp(
        &app,
        &smtp,
        &["invitations", "send", "--campaign", CAMPAIGN],
    );
    assert!(sent.status.success(), "{sent:?}");
    assert_eq!(
        stdout(&sent),
        "Invitations: 3 recorded, 3 sent, 0 to retry, 0 failed\n"
    );
    let mail = received(&smtp);
    assert_eq!(mail.len(), 3);
    let to: HashSet<&str> = mail.iter().map(|m| m.to.as_str()).collect();
    assert_eq!(
        to,
        HashSet::from([
            "asha.khan@bradford.gov.uk",
            "smart.city@westminster.gov.uk",
            "digital@merthyr.gov.uk"
        ])
    );
    let links: HashSet<&str> = mail.iter().map(|m| m.link.as_str()).collect();
    assert_eq!(links.len(), 3, "three different links: {links:?}");
    for m in &mail {
        assert_eq!(m.link.len(), "/i/".len() + 40, "{m:?}");
        assert!(!m.link.contains("BRD") && !m.link.contains('@'));
        assert!(m.raw.contains("Content-Type: multipart/alternative"));
        assert!(m.raw.contains("List-Unsubscribe: <http://"), "{m:?}");
        assert!(m.raw.contains(&format!("{}>", m.unsubscribe)), "{m:?}");
        assert!(
            m.raw
                .contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
        );
    }
    let bradford = mail.iter().find(|m| m.to.starts_with("asha")).unwrap();
    assert_eq!(
        bradford.subject,
        "Tell us what City of Bradford Metropolitan District Council thinks of the Secure Connected Places Playbook"
    );
    assert!(bradford.raw.contains("Hello Asha Khan,"));
    // Sending again sends nothing new.
    let again = cli_smtp(
        &app,
        &smtp,
        &["invitations", "send", "--campaign", CAMPAIGN],
    );
    assert_eq!(
        stdout(&again),
        "Invitations: 0 recorded, 0 sent, 0 to retry, 0 failed\n"
    );
    assert_eq!(smtp.received().len(), 3);

    // The link opens the campaign with the council chosen, and every survey
    // link carries it; the survey has it selected. It is not a sign-in.
    let followed = app.get(&bradford.link).await;
    assert_eq!(followed.status(), 303);
    assert_eq!(crate::helpers::location(&followed), "/?council=BRD");
    assert!(followed.headers().get("set-cookie").is_none());
    let landing = app.get_html("/?council=BRD").await;
    assert!(
        landing
            .contains("You are giving feedback for City of Bradford Metropolitan District Council")
    );
    assert!(landing.contains("href=\"/surveys/governance?council=BRD\""));
    assert!(
        !landing.contains("governance-page"),
        "the embedded survey is not listed"
    );
    let survey = app.get_html("/surveys/governance?council=BRD").await;
    assert!(
        survey.contains("<option value=\"BRD\" selected>"),
        "council chosen"
    );
    assert!(survey.contains("value=\"council\" checked"));
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM contacts WHERE link_followed_at IS NOT NULL")
            .await,
        1
    );
    assert_eq!(
        app.get("/i/0123456789abcdef0123456789abcdef01234567")
            .await
            .status(),
        404
    );

    // Bradford responds; a reminder run writes to the other two only, and
    // a second run to nobody.
    app.respond("governance", ("council", "BRD"), (4, 4, 8), "")
        .await;
    let first = cli_smtp(&app, &smtp, &["reminders", "run", "--now"]);
    assert_eq!(
        stdout(&first),
        "Reminders: 2 recorded, 2 sent, 0 to retry, 0 failed\n",
        "{first:?}"
    );
    let reminders: Vec<_> = received(&smtp).into_iter().skip(3).collect();
    let to: HashSet<&str> = reminders.iter().map(|m| m.to.as_str()).collect();
    assert_eq!(
        to,
        HashSet::from(["smart.city@westminster.gov.uk", "digital@merthyr.gov.uk"])
    );
    assert!(
        reminders
            .iter()
            .all(|m| m.subject.starts_with("Reminder: "))
    );
    let again = cli_smtp(&app, &smtp, &["reminders", "run", "--now"]);
    assert_eq!(
        stdout(&again),
        "Reminders: 0 recorded, 0 sent, 0 to retry, 0 failed\n"
    );
    assert_eq!(smtp.received().len(), 5);

    // Merthyr unsubscribes with one click (as a mail client posts it, from
    // no page at all): the next reminder, a week on, goes to Westminster only.
    let merthyr = reminders
        .iter()
        .find(|m| m.to.starts_with("digital"))
        .unwrap();
    let page = app.get_html(&merthyr.unsubscribe).await;
    assert!(page.contains("Stop these emails"));
    let one_click = app
        .client
        .post(app.url(&merthyr.unsubscribe))
        .form(&[("List-Unsubscribe", "One-Click")])
        .send()
        .await
        .unwrap();
    assert_eq!(one_click.status(), 200);
    assert!(
        one_click
            .text()
            .await
            .unwrap()
            .contains("You will get no more emails about this campaign")
    );
    let week_on = app.state.clock.now() + chrono::Duration::days(8);
    let s = &app.state;
    let report = outreach::remind(&s.db, &s.mailer, &s.outreach, (week_on, false), None)
        .await
        .unwrap();
    assert_eq!((report.recorded, report.sent), (1, 1));
    let last = received(&smtp).pop().unwrap();
    assert_eq!(last.to, "smart.city@westminster.gov.uk");
    // REMINDER_MAX (2) reached: nothing more, however long it waits.
    let month_on = week_on + chrono::Duration::days(30);
    let report = outreach::remind(&s.db, &s.mailer, &s.outreach, (month_on, false), None)
        .await
        .unwrap();
    assert_eq!(report.sent, 0);
    assert_eq!(smtp.received().len(), 6);
}

async fn a_permanent_refusal_is_marked_on_the_contact_and_nothing_more_is_sent(db: Db) {
    let smtp = SmtpServer::start().await;
    let app = spawn_app_with(db, &[("SMTP_URL", &smtp.url())]).await;
    assert!(import(&app, "contacts.csv", THREE).status.success());
    *smtp.always.lock().unwrap() = Some("550 5.1.1 mailbox unavailable".into());
    let sent = cli_smtp(
        &app,
        &smtp,
        &["invitations", "send", "--campaign", CAMPAIGN],
    );
    assert_eq!(
        stdout(&sent),
        "Invitations: 3 recorded, 0 sent, 0 to retry, 3 failed\n"
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM contacts WHERE failure LIKE '%mailbox unavailable%'")
            .await,
        3
    );
    // A busy server (4xx) is retried, not marked.
    *smtp.always.lock().unwrap() = None;
    let more = "email,council_code\nnew@leeds.gov.uk,LDS\n";
    assert!(import(&app, "more.csv", more).status.success());
    smtp.script
        .lock()
        .unwrap()
        .push_back("451 4.3.0 try later".into());
    let s = &app.state;
    let now = s.clock.now();
    let report = outreach::invite(&s.db, &s.mailer, &s.outreach, CAMPAIGN, (now, false))
        .await
        .unwrap();
    assert_eq!((report.sent, report.retrying), (0, 1));
    let later = now + chrono::Duration::minutes(5);
    let report = outreach::remind(&s.db, &s.mailer, &s.outreach, (later, false), None)
        .await
        .unwrap();
    assert_eq!(report.sent, 1, "the retry went");
    assert_eq!(received(&smtp).pop().unwrap().to, "new@leeds.gov.uk");
    // Reminders skip the failed contacts.
    let report = outreach::remind(&s.db, &s.mailer, &s.outreach, (later, true), None)
        .await
        .unwrap();
    assert_eq!(report.sent, 1);
    assert_eq!(received(&smtp).pop().unwrap().to, "new@leeds.gov.uk");
}

async fn contacts_are_personal_data_erased_reported_and_purged_with_the_rest(db: Db) {
    let app = spawn_app_with(db, &[]).await;
    assert!(import(&app, "contacts.csv", THREE).status.success());
    let report = app.cli(&["data", "report", "--email", "Asha.Khan@bradford.gov.uk"]);
    let json: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    assert_eq!(json["contacts"][0]["campaign"], CAMPAIGN);
    assert_eq!(json["contacts"][0]["organisation"], "BRD");
    assert_eq!(json["contacts"][0]["name"], "Asha Khan");
    let erased = app.cli(&["data", "erase", "--email", "asha.khan@bradford.gov.uk"]);
    assert!(
        stdout(&erased).contains("Deleted 1 campaign contact(s) with it"),
        "{erased:?}"
    );
    assert_eq!(app.count("contacts").await, 2);
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'personal_data_erased' AND CAST(detail AS TEXT) LIKE '%bradford%'")
            .await,
        0,
        "the audit record does not hold the address"
    );
    // Past RETENTION_DAYS since they were last imported, contacts are purged.
    let past =
        "UPDATE contacts SET updated_at = '2020-01-01T00:00:00Z' WHERE email LIKE 'digital@%'";
    app.state.db.execute_unprepared(past).await.unwrap();
    let purged = app.cli(&["data", "purge"]);
    assert!(stdout(&purged).starts_with("Deleted 1 "), "{purged:?}");
    assert_eq!(app.count("contacts").await, 1);
}
