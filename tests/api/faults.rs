//! Faults: the real binary killed mid-load, and two replicas on one database.
//! Nothing acknowledged is lost, nothing is duplicated, nothing half-written.

use crate::helpers::{
    Db, SECRET, TestApp, client, free_port, fresh_database, location, ready, start, token_in,
    valid_answers,
};
use crate::on_both_databases;
use campaign_feedback::domain::clock::SystemClock;
use campaign_feedback::domain::officer::Role;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

on_both_databases!(
    kill_9_during_concurrent_submissions_loses_no_acknowledged_response,
    two_replicas_share_sessions_and_store_a_submission_once,
);

fn serve(database_url: &str, dir: &std::path::Path, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_campaign-feedback"))
        .arg("serve")
        .current_dir(dir)
        .env("DATABASE_URL", database_url)
        .env("BIND_ADDR", format!("127.0.0.1:{port}"))
        .env("SECRET_KEY", SECRET)
        .env("SUBMIT_RATE_LIMIT", "0")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts")
}

async fn kill_9_during_concurrent_submissions_loses_no_acknowledged_response(db: Db) {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(db, &dir).await;
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let client = client();
    let mut server = serve(&url, dir.path(), port);
    ready(&client, &base).await;

    // 1,000 forms opened beforehand, then sent 50 at a time while the server is killed.
    let mut tokens = Vec::new();
    for _ in 0..1000 {
        let page = client
            .get(format!("{base}/surveys/governance"))
            .send()
            .await
            .unwrap();
        let status = page.status();
        let html = page.text().await.unwrap();
        let heading = html
            .split("<h1")
            .nth(1)
            .unwrap_or("")
            .split("</h1>")
            .next()
            .unwrap_or("");
        assert_eq!(status, 200, "{heading}");
        tokens.push(token_in(&html));
    }
    let acknowledged = Arc::new(std::sync::Mutex::new(Vec::new()));
    let semaphore = Arc::new(tokio::sync::Semaphore::new(50));
    let mut sends = Vec::new();
    for token in tokens {
        let (client, base, acknowledged, semaphore) = (
            client.clone(),
            base.clone(),
            acknowledged.clone(),
            semaphore.clone(),
        );
        sends.push(tokio::spawn(async move {
            let _permit = semaphore.acquire().await.unwrap();
            let sent = client
                .post(format!("{base}/surveys/governance"))
                .header("origin", &base)
                .form(&valid_answers(&token))
                .send()
                .await;
            if let Ok(response) = sent
                && response.status() == 303
            {
                acknowledged
                    .lock()
                    .unwrap()
                    .push(location(&response).rsplit('=').next().unwrap().to_string());
            }
        }));
    }
    while acknowledged.lock().unwrap().len() < 200 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill().unwrap(); // SIGKILL
    server.wait().unwrap();
    for send in sends {
        send.await.unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() >= 200 && acknowledged.len() < 1000,
        "killed mid-load: {}",
        acknowledged.len()
    );

    let mut restarted = serve(&url, dir.path(), port);
    let took = ready(&client, &base).await;
    assert!(
        took < Duration::from_secs(5),
        "a restart serves again at once: {took:?}"
    );
    let app = start(
        url.clone(),
        tempfile::tempdir().unwrap(),
        &[],
        Arc::new(SystemClock),
    )
    .await;
    for reference in &acknowledged {
        let stored = app
            .scalar(&format!(
                "SELECT COUNT(*) AS n FROM responses WHERE reference = '{reference}'"
            ))
            .await;
        assert_eq!(stored, 1, "acknowledged {reference} is stored");
    }
    let half_written = app
        .scalar("SELECT COUNT(*) AS n FROM responses r WHERE (SELECT COUNT(*) FROM answers a WHERE a.response_id = r.id) <> 7")
        .await;
    assert_eq!(half_written, 0, "every stored response has all its answers");
    let thanks = client
        .get(format!(
            "{base}/surveys/governance/thanks?ref={}",
            acknowledged[0]
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(thanks.status(), 200);
    restarted.kill().unwrap();
    restarted.wait().unwrap();
}

async fn two_replicas_share_sessions_and_store_a_submission_once(db: Db) {
    let dir = tempfile::tempdir().unwrap();
    let url = fresh_database(db, &dir).await;
    let a = start(url.clone(), dir, &[], Arc::new(SystemClock)).await;
    let b: TestApp = start(
        url.clone(),
        tempfile::tempdir().unwrap(),
        &[],
        Arc::new(SystemClock),
    )
    .await;
    a.add_officer(
        "analyst@example.gov.uk",
        Role::Analyst,
        "copper meadow signal",
    )
    .await;
    let signed_in = a
        .sign_in("analyst@example.gov.uk", "copper meadow signal")
        .await;
    assert_eq!(
        b.get_as(&signed_in.cookie, "/admin").await.status(),
        200,
        "a session made on one replica works on the other"
    );

    let token = a.form_token("governance").await;
    let answers = valid_answers(&token);
    let (first, second) = tokio::join!(
        a.post_form("/surveys/governance", &answers),
        b.post_form("/surveys/governance", &answers)
    );
    assert_eq!(
        location(&first),
        location(&second),
        "the same reference from both"
    );
    assert_eq!(a.count("responses").await, 1);

    let out = b
        .post_as(
            &signed_in.cookie,
            "/admin/logout",
            &[("csrf_token", &signed_in.csrf)],
        )
        .await;
    assert_eq!(out.status(), 303);
    assert_eq!(
        a.get_as(&signed_in.cookie, "/admin").await.status(),
        303,
        "signing out on one replica ends it on both"
    );
}
