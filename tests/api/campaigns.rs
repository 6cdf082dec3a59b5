//! Campaign definitions: import, export, versions, and opening dates.

use crate::helpers::{Db, spawn_app, spawn_app_with, valid_answers};
use crate::on_both_databases;
use campaign_feedback::domain::campaign::{CampaignDefinition, DEFAULT_CAMPAIGN_TOML};

on_both_databases!(
    an_exported_campaign_imports_back_to_the_same_campaign,
    changing_answered_questions_makes_a_new_version_and_old_responses_keep_theirs,
    a_toml_error_names_the_line_and_changes_nothing,
    a_resource_link_that_would_run_script_is_refused_with_its_line,
    a_closed_campaign_says_so_and_refuses_submissions,
    a_survey_closed_on_its_own_is_marked_on_the_landing_page,
);

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn write(app: &crate::helpers::TestApp, name: &str, def: &CampaignDefinition) -> String {
    let path = app.dir.path().join(name);
    std::fs::write(&path, def.to_toml().unwrap()).unwrap();
    path.to_str().unwrap().to_string()
}

async fn an_exported_campaign_imports_back_to_the_same_campaign(db: Db) {
    let app = spawn_app(db).await;
    let exported = app.cli(&["campaign", "export", "secure-connected-places"]);
    assert!(exported.status.success(), "{}", text(&exported.stderr));
    let def = CampaignDefinition::from_toml(&text(&exported.stdout)).expect("the export parses");
    assert_eq!(
        def,
        CampaignDefinition::from_toml(DEFAULT_CAMPAIGN_TOML).unwrap()
    );

    let path = app.dir.path().join("export.toml");
    std::fs::write(&path, &exported.stdout).unwrap();
    let imported = app.cli(&["campaign", "import", path.to_str().unwrap()]);
    assert!(imported.status.success());
    assert_eq!(
        text(&imported.stdout),
        "Updated campaign secure-connected-places (8 surveys)\n",
        "no new versions"
    );
    let again = app.cli(&["campaign", "export", "secure-connected-places"]);
    assert_eq!(again.stdout, exported.stdout);

    let list = app.cli(&["campaign", "list"]);
    assert!(
        text(&list.stdout)
            .contains("secure-connected-places          open     Secure Connected Places Playbook")
    );
    let missing = app.cli(&["campaign", "export", "nope"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("no campaign with slug \"nope\""));
}

async fn changing_answered_questions_makes_a_new_version_and_old_responses_keep_theirs(db: Db) {
    let app = spawn_app_with(db, &[("SURVEY_PAGE_CACHE_SECONDS", "1")]).await;
    let old_token = app.form_token("governance").await;
    assert_eq!(
        app.post_form("/surveys/governance", &valid_answers(&old_token))
            .await
            .status(),
        303
    );

    let mut def = CampaignDefinition::from_toml(DEFAULT_CAMPAIGN_TOML).unwrap();
    let governance = def
        .surveys
        .iter_mut()
        .find(|s| s.slug == "governance")
        .unwrap();
    governance.questions[2].text = "How useful was the Governance resource to your team?".into();
    // A survey nobody answered changes in place.
    def.surveys
        .iter_mut()
        .find(|s| s.slug == "video")
        .unwrap()
        .questions[2]
        .text = "Was the video useful?".into();
    let path = write(&app, "changed.toml", &def);
    let output = app.cli(&["campaign", "import", &path]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout),
        "Updated campaign secure-connected-places (8 surveys)\n  survey governance: now at version 2\n"
    );

    page_showing(
        &app,
        "/surveys/governance",
        "How useful was the Governance resource to your team?",
    )
    .await;
    page_showing(&app, "/surveys/video", "Was the video useful?").await;
    let versions = app.scalar("SELECT COUNT(*) AS n FROM survey_versions sv JOIN surveys s ON s.id = sv.survey_id WHERE s.slug = 'governance'").await;
    assert_eq!(versions, 2);
    let on_v1 = app.scalar("SELECT COUNT(*) AS n FROM responses r JOIN survey_versions sv ON sv.id = r.survey_version_id WHERE sv.version = 1").await;
    assert_eq!(
        on_v1, 1,
        "the earlier response keeps the version it answered"
    );

    // A form opened before the change still answers the version it showed.
    let late = app.form_token("governance").await;
    assert_ne!(late.split('.').next(), old_token.split('.').next());
    assert_eq!(
        app.post_form("/surveys/governance", &valid_answers(&late))
            .await
            .status(),
        303
    );
    let on_v2 = app.scalar("SELECT COUNT(*) AS n FROM responses r JOIN survey_versions sv ON sv.id = r.survey_version_id WHERE sv.version = 2").await;
    assert_eq!(on_v2, 1);
}

async fn a_toml_error_names_the_line_and_changes_nothing(db: Db) {
    let app = spawn_app(db).await;
    let broken = DEFAULT_CAMPAIGN_TOML.replacen("kind = \"rating\"", "kind = \"stars\"", 1);
    let line = broken
        .lines()
        .position(|l| l.contains("\"stars\""))
        .unwrap()
        + 1;
    let path = app.dir.path().join("broken.toml");
    std::fs::write(
        &path,
        broken.replace("Secure Connected Places Playbook\"", "Renamed\""),
    )
    .unwrap();
    let output = app.cli(&["campaign", "import", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let err = text(&output.stderr);
    assert!(
        err.contains(&format!("line {line}: unknown variant `stars`")),
        "{err}"
    );
    assert!(
        app.get_html("/")
            .await
            .contains("Secure Connected Places Playbook"),
        "nothing changed"
    );
}

async fn a_resource_link_that_would_run_script_is_refused_with_its_line(db: Db) {
    let app = spawn_app(db).await;
    let first_url = DEFAULT_CAMPAIGN_TOML
        .lines()
        .find(|l| l.starts_with("url = "))
        .unwrap();
    let evil = DEFAULT_CAMPAIGN_TOML.replacen(first_url, "url = \"javascript:alert(1)\"", 1);
    let line = evil
        .lines()
        .position(|l| l.contains("javascript:"))
        .unwrap()
        + 1;
    let path = app.dir.path().join("evil.toml");
    std::fs::write(&path, &evil).unwrap();
    let output = app.cli(&["campaign", "import", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let err = text(&output.stderr);
    assert!(
        err.contains(&format!("line {line}: resource "))
            && err.contains("url \"javascript:alert(1)\" is not allowed"),
        "{err}"
    );
    let landing = app.get_html("/").await;
    assert!(!landing.contains("javascript:"), "nothing changed");
}

async fn a_closed_campaign_says_so_and_refuses_submissions(db: Db) {
    let app = spawn_app_with(db, &[("SURVEY_PAGE_CACHE_SECONDS", "1")]).await;
    // One response while open: the service now holds the survey as read.
    let first = app.form_token("governance").await;
    let response = app
        .post_form("/surveys/governance", &valid_answers(&first))
        .await;
    assert_eq!(response.status(), 303);
    let token = app.form_token("governance").await;
    let mut def = CampaignDefinition::from_toml(DEFAULT_CAMPAIGN_TOML).unwrap();
    def.opens_on = Some("2020-01-01".parse().unwrap());
    def.closes_on = Some("2020-12-31".parse().unwrap());
    let path = write(&app, "closed.toml", &def);
    assert!(app.cli(&["campaign", "import", &path]).status.success());

    // Refused at once, although the survey read a moment ago said open: the
    // transaction that would store it checks again.
    let response = app
        .post_form("/surveys/governance", &valid_answers(&token))
        .await;
    assert_eq!(response.status(), 403);
    let refused = response.text().await.unwrap();
    assert!(
        refused
            .contains("This survey closed on 31 December 2020. Your answers have not been saved.")
    );
    shows_what_was_written(&refused);
    assert_eq!(
        app.count("responses").await,
        1,
        "only the one sent while open"
    );

    let page = page_showing(
        &app,
        "/surveys/governance",
        "This survey closed on 31 December 2020.",
    )
    .await;
    assert!(!page.contains("<form"), "a closed survey shows no form");
    assert!(
        !page.contains("What you wrote"),
        "nothing was sent on this visit"
    );
    // Sent once the service itself knows it closed: the same page.
    let late = app
        .post_form("/surveys/governance", &valid_answers(&token))
        .await;
    assert_eq!(late.status(), 403);
    shows_what_was_written(&late.text().await.unwrap());
    assert!(
        app.get_html("/")
            .await
            .contains("This survey closed on 31 December 2020.")
    );

    def.opens_on = Some("2999-01-01".parse().unwrap());
    def.closes_on = None;
    let path = write(&app, "later.toml", &def);
    assert!(app.cli(&["campaign", "import", &path]).status.success());
    page_showing(
        &app,
        "/surveys/governance",
        "This survey opens on 1 January 2999.",
    )
    .await;
}

/// The answers of `valid_answers`, read back in words on a "not saved" page.
fn shows_what_was_written(page: &str) -> &str {
    for expected in [
        "<h2 class=\"heading-m\">What you wrote</h2>",
        "<dt class=\"summary-list__key\">What is your role?</dt><dd class=\"summary-list__value\">Cyber security</dd>",
        "<dd class=\"summary-list__value\">Port of Tyne (Port)</dd>",
        "<dd class=\"summary-list__value\">Partly</dd>",
        "<dd class=\"summary-list__value\">More on CCTV &amp; &lt;sensors&gt;</dd>",
        "<dd class=\"summary-list__value\">IEC 62443</dd>",
    ] {
        assert!(page.contains(expected), "missing {expected} in {page}");
    }
    assert!(!page.contains("<form"), "no form to send them again");
    page
}

/// The page at `path` once it contains `text`: a survey page is reused for
/// `SURVEY_PAGE_CACHE_SECONDS` (1 here), so a change made by another process
/// must show within that (3 s allowed, for a slow test machine).
async fn page_showing(app: &crate::helpers::TestApp, path: &str, text: &str) -> String {
    let started = std::time::Instant::now();
    loop {
        let page = app.get_html(path).await;
        if page.contains(text) {
            return page;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(3),
            "{path} still does not show {text:?} after the cache time"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

async fn a_survey_closed_on_its_own_is_marked_on_the_landing_page(db: Db) {
    let app = spawn_app(db).await;
    let mut def = CampaignDefinition::from_toml(DEFAULT_CAMPAIGN_TOML).unwrap();
    def.surveys
        .iter_mut()
        .find(|s| s.slug == "video")
        .unwrap()
        .closed = true;
    let path = write(&app, "video-closed.toml", &def);
    assert!(app.cli(&["campaign", "import", &path]).status.success());
    let landing = app.get_html("/").await;
    assert!(landing.contains("This survey is closed."));
    assert!(!landing.contains("href=\"/surveys/video\""));
    assert!(
        landing.contains("href=\"/surveys/governance\""),
        "the other surveys stay open"
    );
}
