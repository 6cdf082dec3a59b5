//! In Debian's headless Chromium (tests/e2e/*.mjs): a keyboard-only survey,
//! the error summary's links and axe-core on every public page; then the
//! officers' side: sign-in with the keyboard, filtered results, the CSV
//! download, axe-core on every officers' page and signing out; and an
//! editor running a campaign from nothing to a second version.

use crate::helpers::{Db, spawn_app};
use crate::on_both_databases;
use campaign_feedback::domain::officer::Role;
use std::path::PathBuf;

on_both_databases!(
    a_survey_works_with_the_keyboard_and_passes_axe_in_chromium,
    officers_sign_in_filter_results_and_download_the_csv_in_chromium,
    answers_sent_to_a_survey_that_closed_come_back_in_chromium,
    the_password_link_pages_pass_axe_in_chromium,
    an_editor_runs_a_campaign_end_to_end_in_chromium,
    a_survey_switched_to_welsh_halfway_keeps_its_answers_in_chromium,
    an_invitation_link_and_the_embedded_form_work_in_chromium,
);

/// One browser at a time: two Chromiums on two cores make timings flaky.
static ONE_BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const PASSWORD: &str = "correct horse battery staple";

/// Runs `node tests/e2e/SCRIPT ARGS`, asserts every check passed, and
/// returns what it printed.
async fn run_e2e(script: &str, args: Vec<String>) -> String {
    let e2e = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/e2e");
    assert!(
        e2e.join("node_modules/playwright-core").exists(),
        "run `npm ci --prefix tests/e2e` and install Debian's chromium first (scripts/test does both)"
    );
    let script = e2e.join(script);
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new("node")
            .arg(script)
            .args(args)
            .output()
    })
    .await
    .unwrap()
    .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
    println!("{stdout}"); // shown with `cargo test -- --nocapture`
    stdout.into_owned()
}

async fn a_survey_works_with_the_keyboard_and_passes_axe_in_chromium(db: Db) {
    let _browser = ONE_BROWSER.lock().await;
    let app = spawn_app(db).await;
    run_e2e("survey.mjs", vec![app.address.clone()]).await;
}

async fn officers_sign_in_filter_results_and_download_the_csv_in_chromium(db: Db) {
    let _browser = ONE_BROWSER.lock().await;
    let app = spawn_app(db).await;
    // Two from councils in England, one from Wales: the England filter keeps two.
    app.respond("governance", ("council", "BRD"), (4, 3, 9), "More on CCTV")
        .await;
    app.respond(
        "governance",
        ("council", "MAN"),
        (5, 4, 10),
        "A worked example",
    )
    .await;
    app.respond(
        "governance",
        ("council", "CRF"),
        (2, 2, 6),
        "Welsh translations",
    )
    .await;
    let email = "admin@example.gov.uk";
    app.add_officer(email, Role::Admin, PASSWORD).await;
    run_e2e(
        "admin.mjs",
        vec![app.address.clone(), email.into(), PASSWORD.into()],
    )
    .await;
}

async fn answers_sent_to_a_survey_that_closed_come_back_in_chromium(db: Db) {
    use campaign_feedback::domain::campaign::{CampaignDefinition, DEFAULT_CAMPAIGN_TOML};
    let _browser = ONE_BROWSER.lock().await;
    let app = crate::helpers::spawn_app_with(db, &[("SURVEY_PAGE_CACHE_SECONDS", "0")]).await;
    let mut def = CampaignDefinition::from_toml(DEFAULT_CAMPAIGN_TOML).unwrap();
    def.surveys
        .iter_mut()
        .find(|s| s.slug == "governance")
        .unwrap()
        .closed = true;
    let path = app.dir.path().join("closed.toml");
    std::fs::write(&path, def.to_toml().unwrap()).unwrap();
    assert!(
        app.cli(&["campaign", "import", path.to_str().unwrap()])
            .status
            .success()
    );
    run_e2e("closed.mjs", vec![app.address.clone()]).await;
    assert_eq!(app.count("responses").await, 0);
}

async fn the_password_link_pages_pass_axe_in_chromium(db: Db) {
    let _browser = ONE_BROWSER.lock().await;
    let app = spawn_app(db).await;
    app.add_officer("analyst@example.gov.uk", Role::Analyst, PASSWORD)
        .await;
    let officer =
        campaign_feedback::store::users::by_email(&app.state.db, "analyst@example.gov.uk")
            .await
            .unwrap()
            .unwrap();
    let token = campaign_feedback::store::password_resets::create(
        &app.state.db,
        officer.id,
        (None, chrono::Utc::now()),
    )
    .await
    .unwrap();
    let url = app.url(&format!("/admin/reset/{token}"));
    run_e2e("page.mjs", vec![url, "Set a new password".into()]).await;
    let expired = app.url("/admin/reset/0000");
    run_e2e(
        "page.mjs",
        vec![expired, "This link has expired or has been used".into()],
    )
    .await;
}

async fn an_editor_runs_a_campaign_end_to_end_in_chromium(db: Db) {
    let _browser = ONE_BROWSER.lock().await;
    let app = spawn_app(db).await;
    let email = "editor@example.gov.uk";
    app.add_officer(email, Role::Editor, PASSWORD).await;
    let mut args = vec![app.address.clone(), email.into(), PASSWORD.into()];
    // scripts/screenshots asks for the README's screenshots this way.
    if let Ok(dir) = std::env::var("EDITOR_SCREENSHOTS") {
        args.push(dir);
    }
    run_e2e("editor.mjs", args).await;
}

async fn a_survey_switched_to_welsh_halfway_keeps_its_answers_in_chromium(db: Db) {
    let _browser = ONE_BROWSER.lock().await;
    let app = spawn_app(db).await;
    let printed = run_e2e("welsh.mjs", vec![app.address.clone()]).await;
    let reference = printed
        .lines()
        .find_map(|l| l.strip_prefix("reference: "))
        .expect("the script prints the reference");
    let welsh = app
        .scalar(&format!(
            "SELECT COUNT(*) AS n FROM responses WHERE reference = '{reference}' AND language = 'cy'"
        ))
        .await;
    assert_eq!(welsh, 1, "the response sent in Welsh is recorded as Welsh");
    assert_eq!(app.count("responses").await, 1, "switching stored nothing");
}

async fn an_invitation_link_and_the_embedded_form_work_in_chromium(db: Db) {
    use crate::outreach::embed::{campaign_site, snippet};
    let _browser = ONE_BROWSER.lock().await;
    let smtp = crate::smtp::SmtpServer::start().await;
    // The service's own address must be known before it starts: the
    // embedded form posts to BASE_URL.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let site_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let site = format!(
        "http://127.0.0.1:{}",
        site_listener.local_addr().unwrap().port()
    );
    let app = crate::helpers::spawn_app_with(
        db,
        &[
            ("BIND_ADDR", &format!("127.0.0.1:{port}")),
            ("BASE_URL", &base),
            ("SMTP_URL", &smtp.url()),
            ("EMBED_ORIGINS", &site),
        ],
    )
    .await;
    let html = snippet(&app).await;
    campaign_site(
        site_listener,
        format!(
            "<!DOCTYPE html><html lang=\"en\"><title>Governance</title><main><h1>Governance</h1>{html}</main></html>"
        ),
    );
    let contacts = "email,council_code,name\nasha.khan@bradford.gov.uk,BRD,Asha Khan\n";
    assert!(
        crate::outreach::import(&app, "contacts.csv", contacts)
            .status
            .success()
    );
    let s = &app.state;
    let now = s.clock.now();
    campaign_feedback::outreach::invite(
        &s.db,
        &s.mailer,
        &s.outreach,
        "secure-connected-places",
        (now, false),
    )
    .await
    .unwrap();
    let link = crate::outreach::received(&smtp)[0].link.clone();
    run_e2e("outreach.mjs", vec![app.address.clone(), link, site]).await;
    let from_bradford =
        "SELECT COUNT(*) AS n FROM responses WHERE organisation_code = 'BRD' AND channel = 'web'";
    assert_eq!(app.scalar(from_bradford).await, 1);
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM responses WHERE channel = 'embed'")
            .await,
        2
    );
    let missing = "SELECT COUNT(*) AS n FROM answers WHERE question_key = 'missing' AND text_value = 'A checklist for CCTV procurement'";
    assert_eq!(app.scalar(missing).await, 1);
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM contacts WHERE unsubscribed_at IS NOT NULL")
            .await,
        1
    );
}
