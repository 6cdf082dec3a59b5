//! The embeddable "Was this useful?": a page served on another local port
//! carries the HTML the share page gives; its answers are stored from the
//! listed origin only, with no cookie, rate-limited, and "No" leads to one
//! follow-up question added to the same response once.

use crate::helpers::{Db, TestApp, location, spawn_app_with};
use crate::on_both_databases;
use campaign_feedback::domain::officer::Role;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

on_both_databases!(
    the_embedded_form_stores_answers_from_the_listed_site_only,
    after_no_what_was_missing_is_added_to_the_same_response_once,
);

const SURVEY: &str = "governance-page";

/// Serves one HTML page on a port of its own: the campaign's own site.
pub(crate) fn campaign_site(listener: tokio::net::TcpListener, html: String) {
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = [0u8; 4096];
            let _ = socket.read(&mut buf).await;
            let reply = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{html}",
                html.len()
            );
            let _ = socket.write_all(reply.as_bytes()).await;
        }
    });
}

/// The HTML the share page offers to copy, unescaped from its text area.
pub(crate) async fn snippet(app: &TestApp) -> String {
    app.add_officer("ed@example.gov.uk", Role::Editor, "meadow lantern quarry")
        .await;
    let ed = app
        .sign_in("ed@example.gov.uk", "meadow lantern quarry")
        .await;
    let page = app
        .get_as(&ed.cookie, "/admin/campaigns/secure-connected-places/share")
        .await
        .text()
        .await
        .unwrap();
    let start = page.find("id=\"embed-governance-page\"").unwrap();
    let body = &page[start..];
    let html = &body[body.find('>').unwrap() + 1..body.find("</textarea>").unwrap()];
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

async fn post_from(app: &TestApp, origin: &str, path: &str, answer: &str) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .header("origin", origin)
        .form(&[("useful", answer)])
        .send()
        .await
        .unwrap()
}

async fn the_embedded_form_stores_answers_from_the_listed_site_only(db: Db) {
    // The campaign's own site, on another local port, is listed.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let site = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let origins = format!("{site}, https://www.example.gov.uk");
    let app = spawn_app_with(
        db,
        &[("EMBED_ORIGINS", &origins), ("SUBMIT_RATE_LIMIT", "5")],
    )
    .await;
    let html = snippet(&app).await;
    assert!(
        html.contains(&format!(
            "action=\"{}/e/governance-page\"",
            "http://127.0.0.1:0"
        )),
        "{html}"
    );
    assert!(html.contains("<legend>Was this page useful?</legend>"));
    assert!(html.contains("name=\"useful\" value=\"yes\">Yes</button>"));
    assert!(!html.contains("<script"));
    campaign_site(
        listener,
        format!("<!DOCTYPE html><title>Governance</title>{html}"),
    );
    let page = reqwest::get(&site).await.unwrap().text().await.unwrap();
    assert!(page.contains("class=\"campaign-feedback\""));
    // Sent from that page (its origin): stored.
    let from_site = post_from(&app, &site, &format!("/e/{SURVEY}"), "yes").await;
    assert_eq!(from_site.status(), 303);
    assert_eq!(app.count("responses").await, 1);

    // From a site not listed: refused, saying why, nothing stored.
    let refused = post_from(
        &app,
        "https://elsewhere.example",
        &format!("/e/{SURVEY}"),
        "yes",
    )
    .await;
    assert_eq!(refused.status(), 403);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("can only be sent from the campaign’s own pages")
    );
    assert_eq!(app.count("responses").await, 1);

    // From the listed sites: stored, thanks, and never a cookie.
    let yes = post_from(
        &app,
        "https://www.example.gov.uk",
        &format!("/e/{SURVEY}?lang=cy"),
        "yes",
    )
    .await;
    assert_eq!(yes.status(), 303);
    assert_eq!(location(&yes), format!("/e/{SURVEY}/thanks"));
    assert!(yes.headers().get("set-cookie").is_none());
    let thanks = app.get(&location(&yes)).await;
    assert!(thanks.headers().get("set-cookie").is_none());
    assert!(
        thanks
            .text()
            .await
            .unwrap()
            .contains("Thank you for your feedback")
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM responses WHERE channel = 'embed'")
            .await,
        2
    );
    // Not a yes or no: 400, nothing stored.
    let odd = post_from(
        &app,
        "https://www.example.gov.uk",
        &format!("/e/{SURVEY}"),
        "maybe",
    )
    .await;
    assert_eq!(odd.status(), 400);
    // A survey that is not embedded cannot be answered this way.
    let not = post_from(&app, "https://www.example.gov.uk", "/e/governance", "yes").await;
    assert_eq!(not.status(), 404);
    // Rate-limited like the survey forms (five a minute here, the
    // refused, odd and misdirected posts counted too).
    let limited = post_from(&app, &site, &format!("/e/{SURVEY}"), "yes").await;
    assert_eq!(limited.status(), 429);
    assert_eq!(app.count("responses").await, 2);
}

async fn after_no_what_was_missing_is_added_to_the_same_response_once(db: Db) {
    let site = "https://www.example.gov.uk";
    let app = spawn_app_with(db, &[("EMBED_ORIGINS", site)]).await;
    let no = post_from(&app, site, &format!("/e/{SURVEY}"), "no").await;
    assert_eq!(no.status(), 303);
    let more = location(&no);
    assert!(more.starts_with(&format!("/e/{SURVEY}/more?t=")), "{more}");
    let page = app.get_html(&more).await;
    assert!(page.contains("What was missing, or what should change?"));
    let token = more.split("t=").nth(1).unwrap().to_string();
    // Too long: said so, kept, nothing added.
    let long = "x".repeat(5_001);
    let too_long = app
        .post_form(
            &format!("/e/{SURVEY}/more"),
            &[("t", &token), ("missing", &long)],
        )
        .await;
    assert_eq!(too_long.status(), 422);
    assert!(
        too_long
            .text()
            .await
            .unwrap()
            .contains("Enter 5,000 characters or fewer")
    );
    let sent = app
        .post_form(
            &format!("/e/{SURVEY}/more"),
            &[("t", &token), ("missing", "A CCTV checklist")],
        )
        .await;
    assert_eq!(location(&sent), format!("/e/{SURVEY}/thanks"));
    let again = app
        .post_form(
            &format!("/e/{SURVEY}/more"),
            &[("t", &token), ("missing", "Sent twice")],
        )
        .await;
    assert_eq!(again.status(), 303);
    assert_eq!(app.count("responses").await, 1);
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM answers WHERE question_key = 'missing'")
            .await,
        1
    );
    // A forged token opens nothing.
    let forged = app.get(&format!("/e/{SURVEY}/more?t=abc.def")).await;
    assert_eq!(forged.status(), 404);
    // The export has it: the channel, the no, and what was missing.
    let csv =
        String::from_utf8(app.cli(&["export", "responses", "--survey", SURVEY]).stdout).unwrap();
    let row = csv.lines().nth(1).unwrap();
    assert!(row.ends_with(",no,A CCTV checklist"), "{csv}");
}
