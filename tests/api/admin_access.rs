//! Every admin route, enumerated from the router: signed out is refused, the
//! wrong role gets 403, and a POST without this session's CSRF token gets 403
//! and changes nothing.

use crate::helpers::{Db, SignedIn, TestApp, spawn_app};
use crate::on_both_databases;
use axum::http::Method;
use campaign_feedback::domain::officer::Role;
use campaign_feedback::web::admin::route_table;

const PASSWORD: &str = "kettle orchard signal";

on_both_databases!(every_admin_route_is_guarded_by_sign_in_role_and_csrf);

fn concrete(path: &str, reference: &str) -> String {
    if let Some(rest) = path.strip_prefix("/admin/campaigns/{slug}") {
        let key = match rest {
            r if r.starts_with("/workstreams") => "supplier_policy",
            r if r.contains("/questions") => "usefulness",
            _ => "governance",
        };
        return format!(
            "/admin/campaigns/secure-connected-places{}",
            rest.replace("{survey}", "governance")
                .replace("{key}", key)
                .replace("{file}", "governance.svg")
        );
    }
    path.replace("{slug}", "governance")
        .replace("{reference}", reference)
}

async fn request(
    app: &TestApp,
    method: &Method,
    path: &str,
    who: Option<&SignedIn>,
    csrf: Option<&str>,
) -> reqwest::Response {
    let mut builder = app
        .client
        .request(method.clone(), app.url(path))
        .header("origin", &app.address);
    if let Some(who) = who {
        builder = builder.header("cookie", &who.cookie);
    }
    if *method == Method::POST {
        let mut form = vec![
            ("email", "analyst@example.gov.uk"),
            ("name", "X"),
            ("role", "admin"),
            ("password", "another long password"),
        ];
        if let Some(csrf) = csrf {
            form.push(("csrf_token", csrf));
        }
        builder = builder.form(&form);
    }
    builder.send().await.unwrap()
}

async fn state_of(app: &TestApp) -> (i64, i64, i64, i64, i64) {
    (
        app.scalar("SELECT COALESCE(MAX(revision), 0) AS n FROM campaign_drafts")
            .await,
        app.count("responses").await,
        app.count("users").await,
        app.count("sessions").await,
        app.count("audit_log").await,
    )
}

async fn every_admin_route_is_guarded_by_sign_in_role_and_csrf(db: Db) {
    let app = spawn_app(db).await;
    let reference = app
        .respond("governance", ("Port of Tyne", "port"), (4, 4, 9), "")
        .await;
    app.add_officer("analyst@example.gov.uk", Role::Analyst, PASSWORD)
        .await;
    app.add_officer("admin@example.gov.uk", Role::Admin, PASSWORD)
        .await;
    let analyst = app.sign_in("analyst@example.gov.uk", PASSWORD).await;
    let admin = app.sign_in("admin@example.gov.uk", PASSWORD).await;
    // A draft, so that its pages (review, discard, download) are there to ask for.
    let details = "/admin/campaigns/secure-connected-places/details";
    let form = app
        .get_as(&admin.cookie, details)
        .await
        .text()
        .await
        .unwrap();
    let opened = app
        .client
        .post(app.url(details))
        .header("cookie", &admin.cookie)
        .header("origin", &app.address)
        .form(&crate::forms::fields(&form, details))
        .send()
        .await
        .unwrap();
    assert_eq!(opened.status(), 303, "a draft opened");
    let table = route_table();
    assert!(
        table.len() >= 10,
        "the admin routes are enumerated: {}",
        table.len()
    );

    for (path, role, methods) in table {
        let path = concrete(path, &reference);
        for method in methods {
            let before = state_of(&app).await;
            let signed_out = request(&app, method, &path, None, None).await;
            assert_eq!(signed_out.status(), 303, "{method} {path} signed out");
            assert!(
                signed_out.headers()["location"]
                    .to_str()
                    .unwrap()
                    .starts_with("/admin/login?next="),
                "{method} {path}"
            );
            assert_eq!(
                signed_out.headers()["cache-control"],
                "no-store",
                "{method} {path}"
            );

            if role > Role::Analyst {
                let refused =
                    request(&app, method, &path, Some(&analyst), Some(&analyst.csrf)).await;
                assert_eq!(refused.status(), 403, "{method} {path} as an analyst");
            }
            if *method == Method::POST {
                for csrf in [None, Some("forged-token"), Some(analyst.csrf.as_str())] {
                    let forged = request(&app, method, &path, Some(&admin), csrf).await;
                    assert_eq!(forged.status(), 403, "{method} {path} with CSRF {csrf:?}");
                }
            }
            assert_eq!(
                state_of(&app).await,
                before,
                "{method} {path}: refused requests change nothing"
            );

            if *method == Method::GET {
                let allowed = request(&app, method, &path, Some(&admin), None).await;
                assert_eq!(allowed.status(), 200, "{method} {path} as an admin");
                assert_eq!(
                    allowed.headers()["cache-control"],
                    "no-store",
                    "{method} {path}"
                );
                // Read to the end: an export is recorded as its last bytes go out.
                allowed.bytes().await.unwrap();
            }
        }
    }
}
