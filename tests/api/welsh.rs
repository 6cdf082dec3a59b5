//! Welsh: every public page in both languages, the choice remembered, a
//! form switched halfway keeping its answers, validation in Welsh, the
//! language of each response in the export, and what is untranslated.

use crate::helpers::{Db, TestApp, location, spawn_app, token_in};
use crate::on_both_databases;
use campaign_feedback::domain::officer::Role;

on_both_databases!(
    every_public_page_is_in_welsh_when_asked_and_the_choice_is_remembered,
    a_welsh_response_is_checked_in_welsh_and_exported_with_its_language,
    switching_language_halfway_keeps_the_answers_and_stores_nothing,
    campaign_check_lists_the_words_without_welsh,
);

/// A page as a browser with `cookie` (or none) sees it: its status and body.
async fn page(app: &TestApp, path: &str, cookie: Option<&str>) -> (u16, String) {
    let mut request = app.client.get(app.url(path));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

fn is_welsh(html: &str) -> bool {
    html.contains("<html lang=\"cy\">")
}

async fn every_public_page_is_in_welsh_when_asked_and_the_choice_is_remembered(db: Db) {
    let app = spawn_app(db).await;
    let (_, english) = page(&app, "/", None).await;
    assert!(
        english.contains("<html lang=\"en-GB\">") && english.contains("lang=\"cy\">Cymraeg</a>")
    );
    assert!(english.contains("<link rel=\"alternate\" hreflang=\"cy\" href=\"&#x2f;?lang=cy\">"));

    let switched = app.get("/?lang=cy").await;
    let cookie = switched.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        cookie.starts_with("lang=cy; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly"),
        "{cookie}"
    );
    assert_eq!(switched.headers()["content-language"], "cy");
    let landing = switched.text().await.unwrap();
    assert!(is_welsh(&landing));
    assert!(
        landing.contains("Llyfr Chwarae Lleoedd Cysylltiedig Diogel"),
        "the campaign's Welsh title"
    );
    assert!(landing.contains("Rhowch adborth ar yr adnodd ‘Llywodraethu’"));
    assert!(landing.contains("lang=\"en\">English</a>"));

    let remembered = cookie.split(';').next().unwrap().to_string();
    for (path, words) in [
        ("/surveys/governance", "Beth yw eich rôl?"),
        ("/accessibility", "Datganiad hygyrchedd"),
        ("/privacy", "Hysbysiad preifatrwydd"),
        ("/no-such-page", "Heb ddod o hyd i’r dudalen"),
    ] {
        let (status, html) = page(&app, path, Some(&remembered)).await;
        assert!(is_welsh(&html), "{path} is in Welsh");
        assert!(html.contains(words), "{path} says {words}");
        assert!(
            html.contains("href=\"/accessibility\">Datganiad hygyrchedd</a>"),
            "{path}: the footer links to the statements"
        );
        assert_eq!(status, if path == "/no-such-page" { 404 } else { 200 });
    }
    let (_, survey) = page(&app, "/surveys/governance", Some(&remembered)).await;
    for welsh in [
        "Mae fy sefydliad yn gyngor lleol",
        "Seiberddiogelwch",
        "1 – Ddim yn ddefnyddiol o gwbl",
        "Cymru",
        "Anfon adborth",
        "(dewisol)",
    ] {
        assert!(survey.contains(welsh), "the survey shows {welsh}");
    }
    // The browser's own preference counts when nothing was chosen.
    let preferred = app
        .client
        .get(app.url("/privacy"))
        .header("accept-language", "cy-GB,cy;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(is_welsh(&preferred));
    assert!(
        preferred.contains("Caiff eich cyfeiriad e-bost ei ddileu 365 diwrnod"),
        "retention from RETENTION_DAYS"
    );
    assert!(
        preferred.contains("OPERATOR_NAME"),
        "an unset operator is said plainly"
    );
    let (_, back) = page(&app, "/privacy?lang=en", Some(&remembered)).await;
    assert!(back.contains("<html lang=\"en-GB\">") && back.contains("Privacy notice"));
}

async fn a_welsh_response_is_checked_in_welsh_and_exported_with_its_language(db: Db) {
    let app = spawn_app(db).await;
    let cookie = "lang=cy";
    let (_, form) = page(&app, "/surveys/governance", Some(cookie)).await;
    let token = token_in(&form);
    let send = |pairs: Vec<(&'static str, String)>| {
        app.client
            .post(app.url("/surveys/governance"))
            .header("cookie", cookie)
            .header("origin", &app.address)
            .form(&pairs)
            .send()
    };
    let refused = send(vec![
        ("form_token", token.clone()),
        ("usefulness", "9".into()),
    ])
    .await
    .unwrap();
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(is_welsh(&html) && html.contains("Mae problem wedi codi"));
    assert!(
        html.contains("Dewiswch eich rôl"),
        "the question's own message, in Welsh"
    );
    assert!(
        html.contains(
            "Dewiswch sgôr o 1 i 5 ar gyfer “Pa mor ddefnyddiol oedd yr adnodd Llywodraethu”"
        ),
        "a score out of range, quoting the Welsh question"
    );
    assert!(html.contains("<title>Gwall: Adborth ar Lywodraethu"));

    let answers = vec![
        ("form_token", token),
        ("organisation", "council".into()),
        ("organisation-council", "MTY".into()),
        ("role", "cyber_security".into()),
        ("usefulness", "5".into()),
        ("ease", "4".into()),
        ("ncsc_principles", "yes".into()),
        ("recommend", "10".into()),
        ("missing", "Mwy am synwyryddion".into()),
    ];
    let stored = send(answers).await.unwrap();
    assert_eq!(stored.status(), 303);
    let (_, thanks) = page(&app, &location(&stored), Some(cookie)).await;
    assert!(
        is_welsh(&thanks)
            && thanks.contains("Adborth wedi’i anfon")
            && thanks.contains("Diolch am eich adborth ar yr adnodd ‘Llywodraethu’")
    );
    app.respond("governance", ("Port of Tyne", "port"), (4, 4, 9), "")
        .await;

    let csv = app.cli(&["export", "responses", "--survey", "governance"]);
    let text = String::from_utf8(csv.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].contains(",survey_version,language,"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].contains(",governance,1,cy,MTY,")
            && lines[1].contains(",yes,10,Mwy am synwyryddion"),
        "answers in Welsh count as the same codes: {}",
        lines[1]
    );
    assert!(lines[2].contains(",governance,1,en,"), "{}", lines[2]);
    let welsh_only = String::from_utf8(
        app.cli(&[
            "export",
            "responses",
            "--survey",
            "governance",
            "--language",
            "cy",
        ])
        .stdout,
    )
    .unwrap();
    assert_eq!(
        welsh_only.lines().count(),
        2,
        "the header and the one Welsh response"
    );
    // The digest of the workstream that owns Governance counts the Welsh one.
    app.add_officer("lead@example.gov.uk", Role::Lead, "quartz meadow lantern")
        .await;
    let subscribe = [
        "digests",
        "subscribe",
        "--email",
        "lead@example.gov.uk",
        "--workstream",
        "demand_policy",
        "--frequency",
        "weekly",
    ];
    assert!(app.cli(&subscribe).status.success());
    let digest = String::from_utf8(
        app.cli(&["digests", "preview", "--workstream", "demand_policy"])
            .stdout,
    )
    .unwrap();
    assert!(
        digest.contains("2 new responses on your workstream's resources, 1 of them in Welsh."),
        "{digest}"
    );
    let refused = app.cli(&["export", "responses", "--language", "fr"]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr)
            .contains("--language: \"fr\" is not a language of the service: use en or cy")
    );
}

async fn switching_language_halfway_keeps_the_answers_and_stores_nothing(db: Db) {
    let app = spawn_app(db).await;
    let (_, form) = page(&app, "/surveys/governance", None).await;
    assert!(
        form.contains("<button type=\"submit\" form=\"survey-form\" name=\"lang\" value=\"cy\"")
    );
    let token = token_in(&form);
    let switched = app
        .post_form(
            "/surveys/governance",
            &[
                ("form_token", &token),
                ("role", "procurement"),
                ("missing", "Mwy, os gwelwch yn dda"),
                ("lang", "cy"),
            ],
        )
        .await;
    assert_eq!(switched.status(), 200);
    assert!(
        switched.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .starts_with("lang=cy")
    );
    assert_eq!(switched.headers()["content-language"], "cy");
    let html = switched.text().await.unwrap();
    assert!(is_welsh(&html) && html.contains("Beth yw eich rôl?"));
    assert!(
        html.contains("value=\"procurement\" checked"),
        "the choice is kept"
    );
    assert!(
        html.contains(">Mwy, os gwelwch yn dda</textarea>"),
        "the text is kept"
    );
    assert!(
        !html.contains("Mae problem wedi codi"),
        "switching is not sending"
    );
    assert_eq!(
        token_in(&html),
        token,
        "the same form, so sending it later stores it once"
    );
    assert_eq!(app.count("responses").await, 0);
}

async fn campaign_check_lists_the_words_without_welsh(db: Db) {
    let app = spawn_app(db).await;
    let out = app.cli(&["campaign", "check", "secure-connected-places"]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "secure-connected-places: every word has its Welsh.\n"
    );

    let exported = String::from_utf8(
        app.cli(&["campaign", "export", "secure-connected-places"])
            .stdout,
    )
    .unwrap();
    // The governance survey's own Welsh table: its header, title and introduction.
    let lines: Vec<&str> = exported.lines().collect();
    let at = lines
        .iter()
        .position(|l| *l == "title = \"Adborth ar Lywodraethu\"")
        .expect("the survey's Welsh title");
    assert_eq!(lines[at - 1], "[survey.cy]");
    let without: String = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| !(at - 1..=at + 1).contains(i))
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    // An answered survey whose Welsh changes keeps its version.
    app.respond("governance", ("Port of Tyne", "port"), (4, 4, 9), "")
        .await;
    let without = without.replacen(
        "text = \"Beth yw eich rôl?\"",
        "text = \"Beth yw eich swydd?\"",
        1,
    );
    let path = app.dir.path().join("less-welsh.toml");
    std::fs::write(&path, &without).unwrap();
    let imported = app.cli(&["campaign", "import", path.to_str().unwrap()]);
    assert!(imported.status.success());
    assert!(
        !String::from_utf8_lossy(&imported.stdout).contains("version"),
        "a translation makes no new version"
    );
    let versions = app
        .scalar("SELECT COUNT(*) AS n FROM survey_versions v JOIN surveys s ON s.id = v.survey_id WHERE s.slug = 'governance'")
        .await;
    assert_eq!(versions, 1);
    let (_, reworded) = page(&app, "/surveys/governance", Some("lang=cy")).await;
    assert!(
        reworded.contains("Beth yw eich swydd?"),
        "the new Welsh is shown"
    );
    let out = String::from_utf8(
        app.cli(&["campaign", "check", "secure-connected-places"])
            .stdout,
    )
    .unwrap();
    assert!(out.contains("2 words have no Welsh"), "{out}");
    assert!(
        out.contains("survey governance: cy.title (“Feedback on Governance”)"),
        "{out}"
    );
    let (_, survey) = page(&app, "/surveys/governance", Some("lang=cy")).await;
    assert!(
        survey.contains("<h1 class=\"heading-l\">Feedback on Governance</h1>"),
        "untranslated words fall back to English"
    );

    let wrong = exported.replacen(
        "[workstream.cy]\nname = \"Polisi cyflenwyr\"",
        "[workstream.cy]\nname = \"Polisi cyflenwyr\"\nintro = \"Dim\"",
        1,
    );
    std::fs::write(&path, &wrong).unwrap();
    let refused = app.cli(&["campaign", "import", path.to_str().unwrap()]);
    assert!(!refused.status.success());
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(
        message.contains(
            "cy.intro has no English field to translate here; the Welsh it can take is cy.name"
        ),
        "{message}"
    );
}
