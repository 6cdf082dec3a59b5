//! Officers sign in and out; sessions live in the database and expire.

use crate::helpers::{Db, SECRET, spawn_app, start};
use crate::on_both_databases;
use campaign_feedback::domain::clock::FixedClock;
use campaign_feedback::domain::officer::Role;
use chrono::{Duration, Utc};
use std::sync::Arc;

const PASSWORD: &str = "tidal basin lantern";

on_both_databases!(
    an_officer_signs_in_sees_the_dashboard_and_signs_out,
    an_unknown_email_and_a_wrong_password_get_the_same_message,
    repeated_failures_are_throttled_without_locking_out_other_addresses,
    guessing_spread_over_many_addresses_is_slowed_per_account_but_never_locks_out_for_long,
    sessions_end_after_30_idle_minutes_and_12_hours,
    after_sign_in_the_officer_returns_to_the_page_they_asked_for_on_this_site_only,
    officers_are_managed_from_the_command_line,
);

async fn an_officer_signs_in_sees_the_dashboard_and_signs_out(db: Db) {
    let app = spawn_app(db).await;
    app.add_officer("analyst@example.gov.uk", Role::Analyst, PASSWORD)
        .await;
    let response = app
        .post_login("Analyst@Example.gov.uk", PASSWORD, "/admin")
        .await;
    assert_eq!(response.status(), 303);
    let set_cookie = response.headers()["set-cookie"].to_str().unwrap();
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"),
        "{set_cookie}"
    );
    assert!(!set_cookie.contains("Secure"), "not Secure over plain http");
    let cookie = set_cookie.split(';').next().unwrap().to_string();
    let dashboard = app.get_as(&cookie, "/admin").await;
    assert_eq!(dashboard.status(), 200);
    assert_eq!(dashboard.headers()["cache-control"], "no-store");
    assert!(
        dashboard
            .text()
            .await
            .unwrap()
            .contains("<h1 class=\"heading-l\">Dashboard</h1>")
    );
    assert_eq!(
        app.count("sessions").await,
        1,
        "the session lives in the database"
    );

    let signed_in = app.sign_in("analyst@example.gov.uk", PASSWORD).await;
    let out = app
        .post_as(
            &signed_in.cookie,
            "/admin/logout",
            &[("csrf_token", &signed_in.csrf)],
        )
        .await;
    assert_eq!(out.status(), 303);
    assert!(
        out.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    let after = app.get_as(&signed_in.cookie, "/admin").await;
    assert_eq!(after.status(), 303, "the session ended on the server");
    assert_eq!(
        app.get_as(&cookie, "/admin").await.status(),
        200,
        "another session is untouched"
    );
}

async fn an_unknown_email_and_a_wrong_password_get_the_same_message(db: Db) {
    let app = spawn_app(db).await;
    app.add_officer("lead@example.gov.uk", Role::Lead, PASSWORD)
        .await;
    let wrong = app
        .post_login("lead@example.gov.uk", "not the password", "/admin")
        .await;
    let unknown = app
        .post_login("nobody@example.gov.uk", PASSWORD, "/admin")
        .await;
    assert_eq!(wrong.status(), 422);
    assert_eq!(unknown.status(), 422);
    let (wrong, unknown) = (wrong.text().await.unwrap(), unknown.text().await.unwrap());
    for page in [&wrong, &unknown] {
        assert!(page.contains("<a href=\"#email\">Enter a correct email address and password</a>"));
        assert!(page.contains("<title>Error: Sign in – Campaign feedback</title>"));
    }
    assert_eq!(app.count("sessions").await, 0);
}

async fn repeated_failures_are_throttled_without_locking_out_other_addresses(db: Db) {
    let app = spawn_app(db).await;
    app.add_officer("admin@example.gov.uk", Role::Admin, PASSWORD)
        .await;
    for _ in 0..5 {
        assert_eq!(
            app.post_login("admin@example.gov.uk", "guess guess guess", "/admin")
                .await
                .status(),
            422
        );
    }
    let throttled = app
        .post_login("admin@example.gov.uk", PASSWORD, "/admin")
        .await;
    assert_eq!(
        throttled.status(),
        429,
        "even the right password waits once throttled"
    );
    let after: i64 = throttled.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=15 * 60).contains(&after));
    let page = throttled.text().await.unwrap();
    assert!(page.contains(&format!("wait {after} seconds")));
    // The officers' own page, not the respondents' one.
    assert!(
        page.contains("<h1 class=\"heading-l\">Sign in</h1>"),
        "{page}"
    );
    assert!(page.contains("too many attempts to sign in to this account"));
    assert!(!page.contains("You have sent a lot of answers"));
    // The real officer at another address is not locked out: at most the
    // account's short delay (a second after five failures) applies.
    let backend = app.state.db.get_database_backend();
    let moved = sea_orm::Statement::from_string(
        backend,
        "UPDATE login_failures SET ip = '192.0.2.10'".to_string(),
    );
    sea_orm::ConnectionTrait::execute_raw(&app.state.db, moved)
        .await
        .unwrap();
    let mut response = app
        .post_login("admin@example.gov.uk", PASSWORD, "/admin")
        .await;
    if response.status() == 429 {
        let wait: u64 = response.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(
            wait <= 1,
            "five failures delay the account by a second, not {wait}"
        );
        tokio::time::sleep(std::time::Duration::from_secs(wait)).await;
        response = app
            .post_login("admin@example.gov.uk", PASSWORD, "/admin")
            .await;
    }
    assert_eq!(response.status(), 303);
}

/// Signs in from `ip` (a loopback address of its own), as a browser there would.
async fn login_from(
    app: &crate::helpers::TestApp,
    ip: std::net::IpAddr,
    password: &str,
) -> reqwest::Response {
    let client = reqwest::Client::builder()
        .local_address(ip)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = client
        .get(app.url("/admin/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = crate::helpers::token_in(&page);
    client
        .post(app.url("/admin/login"))
        .header("origin", &app.address)
        .form(&[
            ("form_token", token.as_str()),
            ("email", "admin@example.gov.uk"),
            ("password", password),
            ("next", "/admin"),
        ])
        .send()
        .await
        .unwrap()
}

async fn guessing_spread_over_many_addresses_is_slowed_per_account_but_never_locks_out_for_long(
    db: Db,
) {
    let (_first, app, clock, t0) = on_a_fixed_clock(db, "admin@example.gov.uk", Role::Admin).await;
    // 12 addresses, 5 wrong passwords each, one attempt a second.
    let mut at = t0;
    let (mut wrong, mut delayed) = (0, 0);
    for address in 2..14u8 {
        let ip = std::net::IpAddr::from([127, 0, 0, address]);
        for _ in 0..5 {
            at += Duration::seconds(1);
            clock.set(at);
            match login_from(&app, ip, "guess guess guess")
                .await
                .status()
                .as_u16()
            {
                422 => wrong += 1,
                429 => delayed += 1,
                other => panic!("unexpected {other}"),
            }
        }
    }
    assert_eq!(wrong + delayed, 60);
    assert!(
        wrong <= 15,
        "{wrong} guesses were checked in a minute from 12 addresses"
    );
    // Even the right password waits while the account is delayed…
    let right_now = login_from(&app, std::net::IpAddr::from([127, 0, 0, 20]), PASSWORD).await;
    assert_eq!(right_now.status(), 429);
    let wait: i64 = right_now.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (1..=60).contains(&wait),
        "the officer waits a minute at most, not {wait} s"
    );
    // …and gets in once the wait is over, from an address of their own.
    clock.set(at + Duration::seconds(61));
    let signed_in = login_from(&app, std::net::IpAddr::from([127, 0, 0, 20]), PASSWORD).await;
    assert_eq!(signed_in.status(), 303);
}

/// An app whose clock moves only when told, with one officer; the first
/// app returned holds the database's folder and must outlive the second.
async fn on_a_fixed_clock(
    db: Db,
    email: &str,
    role: Role,
) -> (
    crate::helpers::TestApp,
    crate::helpers::TestApp,
    FixedClock,
    chrono::DateTime<Utc>,
) {
    let first = spawn_app(db).await;
    first.add_officer(email, role, PASSWORD).await;
    let t0 = Utc::now();
    let clock = FixedClock::new(t0);
    let app = start(
        first.database_url.clone(),
        tempfile::tempdir().unwrap(),
        &[("SECRET_KEY", SECRET)],
        Arc::new(clock.clone()),
    )
    .await;
    (first, app, clock, t0)
}

async fn sessions_end_after_30_idle_minutes_and_12_hours(db: Db) {
    let (_first, app, clock, t0) =
        on_a_fixed_clock(db, "analyst@example.gov.uk", Role::Analyst).await;
    let s = app.sign_in("analyst@example.gov.uk", PASSWORD).await;
    clock.set(t0 + Duration::minutes(29));
    assert_eq!(
        app.get_as(&s.cookie, "/admin").await.status(),
        200,
        "29 minutes idle is fine"
    );
    clock.set(t0 + Duration::minutes(29 + 31));
    assert_eq!(
        app.get_as(&s.cookie, "/admin").await.status(),
        303,
        "31 idle minutes end it"
    );

    clock.set(t0);
    let s = app.sign_in("analyst@example.gov.uk", PASSWORD).await;
    let mut at = t0;
    while at < t0 + Duration::hours(12) - Duration::minutes(20) {
        at += Duration::minutes(20);
        clock.set(at);
        assert_eq!(
            app.get_as(&s.cookie, "/admin").await.status(),
            200,
            "in use at {at}"
        );
    }
    clock.set(t0 + Duration::hours(12));
    assert_eq!(
        app.get_as(&s.cookie, "/admin").await.status(),
        303,
        "12 hours end it however busy"
    );
    let purged = campaign_feedback::store::sessions::purge(
        &app.state.db,
        t0 + Duration::hours(13),
        app.state.config.session_lifetimes(),
    )
    .await
    .unwrap();
    assert_eq!(purged, 0, "expired sessions were deleted when found");
}

async fn after_sign_in_the_officer_returns_to_the_page_they_asked_for_on_this_site_only(db: Db) {
    let app = spawn_app(db).await;
    app.add_officer("analyst@example.gov.uk", Role::Analyst, PASSWORD)
        .await;
    let asked = app.get("/admin/coverage?nation=Wales").await;
    assert_eq!(
        asked.headers()["location"],
        "/admin/login?next=%2Fadmin%2Fcoverage%3Fnation%3DWales"
    );
    let back = app
        .post_login(
            "analyst@example.gov.uk",
            PASSWORD,
            "/admin/coverage?nation=Wales",
        )
        .await;
    assert_eq!(back.headers()["location"], "/admin/coverage?nation=Wales");
    for evil in [
        "//evil.example/admin",
        "https://evil.example",
        "/admin\\@evil.example",
        "/admin\r\nSet-Cookie: cf_session=attacker",
        "/admin\nLocation: https://evil.example",
        "/admin/coverage?nation=Wales\r",
        "/admin/ spaced",
    ] {
        let response = app
            .post_login("analyst@example.gov.uk", PASSWORD, evil)
            .await;
        assert_eq!(response.status(), 303, "{evil:?}");
        assert_eq!(response.headers()["location"], "/admin", "{evil:?}");
        assert_eq!(
            response.headers().get_all("set-cookie").iter().count(),
            1,
            "only the session cookie is set for {evil:?}"
        );
    }
}

async fn officers_are_managed_from_the_command_line(db: Db) {
    let app = spawn_app(db).await;
    let mut add = std::process::Command::new(env!("CARGO_BIN_EXE_campaign-feedback"))
        .args([
            "users",
            "add",
            "--email",
            "Lead@Example.gov.uk",
            "--role",
            "lead",
            "--name",
            "Lee Lead",
        ])
        .env("DATABASE_URL", &app.database_url)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    add.stdin
        .take()
        .unwrap()
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .unwrap();
    let added = add.wait_with_output().unwrap();
    assert!(added.status.success());
    assert_eq!(
        String::from_utf8_lossy(&added.stdout),
        "Added lead@example.gov.uk (lead)\n"
    );
    let hash = app.scalar("SELECT COUNT(*) AS n FROM users WHERE password_hash LIKE '$argon2id$v=19$m=19456,t=2,p=1$%'").await;
    assert_eq!(hash, 1, "argon2id with 19 MiB and 2 iterations");

    let list = app.cli(&["users", "list"]);
    assert!(
        String::from_utf8_lossy(&list.stdout)
            .contains("lead@example.gov.uk                      lead     active    Lee Lead")
    );
    let weak = app.cli(&[
        "users",
        "add",
        "--email",
        "x@example.gov.uk",
        "--role",
        "admin",
    ]);
    assert_eq!(weak.status.code(), Some(2), "an empty password is refused");
    assert!(
        String::from_utf8_lossy(&weak.stderr)
            .contains("--password: Enter a password of at least 12 characters")
    );

    let s = app.sign_in("lead@example.gov.uk", PASSWORD).await;
    let disabled = app.cli(&["users", "disable", "--email", "lead@example.gov.uk"]);
    assert!(disabled.status.success());
    assert_eq!(
        app.get_as(&s.cookie, "/admin").await.status(),
        303,
        "disabling ends the sessions"
    );
    assert_eq!(
        app.post_login("lead@example.gov.uk", PASSWORD, "/admin")
            .await
            .status(),
        422
    );
}
