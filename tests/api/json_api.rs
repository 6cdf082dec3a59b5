//! The read-only JSON API (issue 14): tokens made on the command line and
//! by admins, shown once, refused once revoked; every request limited per
//! token and audited; problem+json errors naming the parameter; campaigns,
//! surveys with their codebooks, responses a page at a time (the same as
//! the JSON Lines export), figures; and the OpenAPI 3.1 document.

use crate::helpers::{Db, TestApp, location, spawn_app_with};
use crate::on_both_databases;
use campaign_feedback::domain::officer::Role;
use serde_json::Value;

on_both_databases!(
    tokens_are_shown_once_work_until_revoked_and_every_request_is_recorded,
    responses_come_a_page_at_a_time_as_the_json_lines_export_has_them,
    surveys_codebooks_figures_and_errors_as_problem_json,
);

const PASSWORD: &str = "meadow lantern quarry";

async fn token_for(app: &TestApp, email: &str, role: Role) -> String {
    app.add_officer(email, role, PASSWORD).await;
    let made = app.cli(&["tokens", "create", "--email", email, "--name", "Power BI"]);
    assert!(made.status.success(), "{made:?}");
    String::from_utf8(made.stdout).unwrap().trim().to_string()
}

async fn call(app: &TestApp, token: &str, path: &str) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .header("authorization", format!("Bearer {token}"))
        .send()
        .await
        .unwrap()
}

async fn json(response: reqwest::Response) -> Value {
    response.json().await.unwrap()
}

async fn tokens_are_shown_once_work_until_revoked_and_every_request_is_recorded(db: Db) {
    let app = spawn_app_with(db, &[("API_RATE_LIMIT", "4")]).await;
    let token = token_for(&app, "analyst@example.gov.uk", Role::Analyst).await;
    assert!(token.starts_with("cfb_") && token.len() == 52, "{token}");
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) AS n FROM api_tokens WHERE token_hash = '{token}'"
        ))
        .await,
        0,
        "only the hash is kept"
    );

    let anonymous = app.get("/api/v1/campaigns").await;
    assert_eq!(anonymous.status(), 401);
    assert_eq!(
        anonymous.headers()["content-type"],
        "application/problem+json"
    );
    assert_eq!(anonymous.headers()["www-authenticate"], "Bearer");
    let problem = json(anonymous).await;
    assert_eq!(problem["status"], 401);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("Authorization: Bearer TOKEN")
    );

    let campaigns = call(&app, &token, "/api/v1/campaigns").await;
    assert_eq!(campaigns.status(), 200);
    let campaigns = json(campaigns).await;
    assert_eq!(campaigns[0]["slug"], "secure-connected-places");
    assert_eq!(campaigns[0]["surveys"].as_array().unwrap().len(), 8);

    // Four a minute here: the fifth is refused with how long to wait.
    for _ in 0..3 {
        assert_eq!(call(&app, &token, "/api/v1/campaigns").await.status(), 200);
    }
    let limited = call(&app, &token, "/api/v1/campaigns").await;
    assert_eq!(limited.status(), 429);
    assert!(limited.headers().contains_key("retry-after"));
    assert_eq!(json(limited).await["title"], "Too Many Requests");
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'api_request'")
            .await,
        4,
        "each request served is recorded"
    );
    let listed = String::from_utf8(app.cli(&["tokens", "list"]).stdout).unwrap();
    assert!(
        listed.contains("analyst@example.gov.uk")
            && listed.contains("Power BI")
            && listed.contains("live")
    );
    assert!(!listed.contains("never"), "the last use is shown: {listed}");

    // An admin makes one in the browser: shown once, then only its name.
    app.add_officer("admin@example.gov.uk", Role::Admin, PASSWORD)
        .await;
    let admin = app.sign_in("admin@example.gov.uk", PASSWORD).await;
    let made = app
        .post_as(
            &admin.cookie,
            "/admin/tokens",
            &[
                ("csrf_token", &admin.csrf),
                ("name", "Dashboard"),
                ("officer", "analyst@example.gov.uk"),
            ],
        )
        .await;
    assert_eq!(made.status(), 200);
    let page = made.text().await.unwrap();
    let at = page.find("value=\"cfb_").expect("the new token is shown") + 7;
    let second = page[at..at + 52].to_string();
    assert_eq!(call(&app, &second, "/api/v1/surveys").await.status(), 200);
    let again = app
        .get_as(&admin.cookie, "/admin/tokens")
        .await
        .text()
        .await
        .unwrap();
    assert!(!again.contains(&second), "never shown again");
    assert!(again.contains("Dashboard"));

    // Revoked: refused at once.
    let id = app
        .scalar("SELECT MAX(id) AS n FROM api_tokens")
        .await
        .to_string();
    let revoked = app
        .post_as(
            &admin.cookie,
            "/admin/tokens/revoke",
            &[("csrf_token", &admin.csrf), ("id", &id)],
        )
        .await;
    assert_eq!(location(&revoked), "/admin/tokens");
    assert_eq!(call(&app, &second, "/api/v1/surveys").await.status(), 401);
    let cli = app.cli(&["tokens", "revoke", "--id", "1"]);
    assert!(cli.status.success());
    assert_eq!(call(&app, &token, "/api/v1/surveys").await.status(), 401);
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM audit_log WHERE action IN ('api_token_created', 'api_token_revoked')").await,
        4
    );
    let unknown = app.cli(&[
        "tokens",
        "create",
        "--email",
        "nobody@example.gov.uk",
        "--name",
        "x",
    ]);
    assert_eq!(unknown.status.code(), Some(2));
}

async fn responses_come_a_page_at_a_time_as_the_json_lines_export_has_them(db: Db) {
    let app = spawn_app_with(db, &[]).await;
    for (code, score) in [("BRD", "5"), ("WSM", "3"), ("MTY", "1")] {
        app.respond(
            "governance",
            ("council", code),
            (score.parse().unwrap(), 3, 7),
            "More on CCTV",
        )
        .await;
    }
    app.respond("procurement", ("council", "LDS"), (4, 4, 9), "")
        .await;
    let token = token_for(&app, "analyst@example.gov.uk", Role::Analyst).await;
    let mut seen: Vec<Value> = Vec::new();
    let mut path = "/api/v1/responses?resource=governance&limit=2".to_string();
    loop {
        let page = json(call(&app, &token, &path).await).await;
        seen.extend(page["data"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(cursor) => {
                path = format!("/api/v1/responses?resource=governance&limit=2&cursor={cursor}")
            }
            None => break,
        }
    }
    let jsonl = app.cli(&[
        "export",
        "responses",
        "--resource",
        "governance",
        "--format",
        "jsonl",
    ]);
    let exported: Vec<Value> = String::from_utf8(jsonl.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(seen.len(), 3);
    assert_eq!(seen, exported, "the API and the JSON Lines export agree");
    assert_eq!(seen[0]["organisation_code"], "BRD");
    assert_eq!(seen[0]["answers"]["usefulness"], 5);
}

async fn surveys_codebooks_figures_and_errors_as_problem_json(db: Db) {
    let app = spawn_app_with(db, &[]).await;
    app.respond("governance", ("council", "BRD"), (5, 3, 10), "")
        .await;
    app.respond("governance", ("council", "WSM"), (3, 3, 2), "")
        .await;
    let token = token_for(&app, "lead@example.gov.uk", Role::Lead).await;

    let survey = json(call(&app, &token, "/api/v1/surveys/governance").await).await;
    assert_eq!(survey["campaign"], "secure-connected-places");
    assert_eq!(survey["resource"], "governance");
    let questions = survey["versions"][0]["questions"].as_array().unwrap();
    let usefulness = questions.iter().find(|q| q["key"] == "usefulness").unwrap();
    assert_eq!(usefulness["kind"], "rating");
    assert_eq!(
        usefulness["options"][0],
        serde_json::json!({"code": "1", "label": "Not at all useful"})
    );
    let embedded = json(call(&app, &token, "/api/v1/surveys/governance-page").await).await;
    assert_eq!(embedded["embedded"], true);

    let figures = json(call(&app, &token, "/api/v1/surveys/governance/figures").await).await;
    assert_eq!(figures["responses"], 2);
    let q = |key: &str| {
        figures["questions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["key"] == key)
            .cloned()
            .unwrap()
    };
    assert_eq!(q("usefulness")["mean"], 4.0);
    assert_eq!(
        q("usefulness")["counts"],
        serde_json::json!({"3": 1, "5": 1})
    );
    assert_eq!(q("recommend")["nps"], 0, "one promoter, one detractor");

    for (path, parameter) in [
        ("/api/v1/responses?limit=0", "limit"),
        ("/api/v1/responses?cursor=nonsense", "cursor"),
        ("/api/v1/responses?since=yesterday", "since"),
        ("/api/v1/surveys/governance/figures?language=fr", "language"),
    ] {
        let refused = call(&app, &token, path).await;
        assert_eq!(refused.status(), 400, "{path}");
        assert_eq!(
            refused.headers()["content-type"],
            "application/problem+json"
        );
        assert_eq!(json(refused).await["parameter"], parameter, "{path}");
    }
    let nothing = call(&app, &token, "/api/v1/responses?survey=nope").await;
    assert_eq!(nothing.status(), 404, "a name of nothing is not found");
    assert_eq!(json(nothing).await["parameter"], "survey");
    let backwards = json(
        call(
            &app,
            &token,
            "/api/v1/responses?since=2026-12-01&until=2026-11-01",
        )
        .await,
    )
    .await;
    assert_eq!(
        backwards["data"],
        serde_json::json!([]),
        "until before since matches nothing"
    );
    let missing = call(&app, &token, "/api/v1/surveys/nope").await;
    assert_eq!(missing.status(), 404);
    assert!(
        json(missing).await["detail"]
            .as_str()
            .unwrap()
            .contains("\"nope\"")
    );

    let doc = json(app.get("/api/v1/openapi.json").await).await;
    assert_eq!(doc["openapi"], "3.1.0");
    for path in [
        "/api/v1/campaigns",
        "/api/v1/surveys",
        "/api/v1/surveys/{slug}",
        "/api/v1/surveys/{slug}/figures",
        "/api/v1/responses",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} documented");
    }
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
}

on_both_databases!(an_independent_validator_and_schemathesis_find_no_fault);

/// The OpenAPI document checked by `openapi-spec-validator`, then the
/// running service tested against it by schemathesis (every check, with a
/// fixed seed so a failure can be replayed), over data in every table the
/// API reads.
async fn an_independent_validator_and_schemathesis_find_no_fault(db: Db) {
    let tools = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/tools/.venv/bin");
    assert!(
        tools.join("st").exists(),
        "run scripts/test-prerequisites (or scripts/test): it installs tests/tools/requirements.txt"
    );
    let app = spawn_app_with(db, &[("API_RATE_LIMIT", "0")]).await;
    app.respond("governance", ("council", "BRD"), (5, 3, 10), "More on CCTV")
        .await;
    app.respond("procurement", ("Port of Tyne", "port"), (4, 4, 9), "")
        .await;
    let token = token_for(&app, "analyst@example.gov.uk", Role::Analyst).await;
    let doc = app.get("/api/v1/openapi.json").await.bytes().await.unwrap();
    let path = app.dir.path().join("openapi.json");
    std::fs::write(&path, &doc).unwrap();
    let cwd = app.dir.path().to_path_buf();
    let run = move |program: &str, args: Vec<String>| {
        let output = std::process::Command::new(tools.join(program))
            .args(args)
            .current_dir(&cwd)
            .output()
            .expect("the checker runs");
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        (output.status.success(), said)
    };
    let (valid, said) = run("openapi-spec-validator", vec![path.display().to_string()]);
    assert!(valid, "{said}");
    let url = app.url("/api/v1/openapi.json");
    let args = [
        "run",
        url.as_str(),
        "--checks",
        "all",
        "--max-examples",
        "40",
        "--seed",
        "20261130",
        "-H",
    ]
    .map(String::from)
    .into_iter()
    .chain([format!("Authorization: Bearer {token}")])
    .collect();
    let (passed, said) = tokio::task::spawn_blocking(move || run("st", args))
        .await
        .unwrap();
    assert!(passed && said.contains(" passed"), "{said}");
}
