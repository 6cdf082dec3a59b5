//! What officers see, checked against a seeded dataset whose figures the
//! test computes itself.

use crate::helpers::{Db, TestApp, spawn_app};
use crate::on_both_databases;
use campaign_feedback::domain::officer::Role;

const PASSWORD: &str = "harbour violet compass";

on_both_databases!(
    the_dashboard_and_results_show_the_seeded_figures,
    comments_are_searchable_newest_first_and_escaped,
    coverage_lists_the_councils_that_have_not_responded,
    an_admin_deletes_a_spam_response_and_the_deletion_is_recorded,
    admins_add_and_disable_officers_in_the_web_interface,
    the_web_export_is_the_same_bytes_as_the_command_line_and_is_recorded,
);

/// (organisation, usefulness, ease, recommend) for the governance survey.
const GOVERNANCE: &[((&str, &str), u8, u8, u8)] = &[
    (("council", "BRD"), 5, 4, 10),
    (("council", "MTY"), 4, 2, 9),
    (("council", "PKN"), 2, 3, 6),
    (("council", "BRD"), 3, 3, 7),
    (("Port of Dover", "port"), 4, 5, 0),
];

async fn seeded(db: Db) -> (TestApp, crate::helpers::SignedIn) {
    let app = spawn_app(db).await;
    for (org, u, e, r) in GOVERNANCE {
        app.respond("governance", *org, (*u, *e, *r), "").await;
    }
    app.respond("procurement", ("council", "DST"), (1, 1, 1), "")
        .await;
    app.add_officer("admin@example.gov.uk", Role::Admin, PASSWORD)
        .await;
    let admin = app.sign_in("admin@example.gov.uk", PASSWORD).await;
    (app, admin)
}

async fn the_dashboard_and_results_show_the_seeded_figures(db: Db) {
    let (app, admin) = seeded(db).await;
    let total = GOVERNANCE.len() + 1;
    let dashboard = app
        .get_as(&admin.cookie, "/admin")
        .await
        .text()
        .await
        .unwrap();
    assert!(dashboard.contains(&format!(
        "<span class=\"figure__number\">{total}</span> responses in total"
    )));
    assert!(dashboard.contains(&format!(
        "<span class=\"figure__number\">{total}</span> in the last 7 days"
    )));
    // BRD twice, MTY, PKN, DST and one port: five organisations.
    assert!(dashboard.contains("<span class=\"figure__number\">5</span> organisations responding"));
    let councils = app.count("organisations").await;
    assert!(dashboard.contains(&format!(
        "<span class=\"figure__number\">4 of {councils}</span> councils covered"
    )));
    assert!(dashboard.contains("<tr><td>Feedback on Governance</td><td class=\"numeric\">5</td>"));
    let wales = app
        .scalar("SELECT COUNT(*) AS n FROM organisations WHERE nation = 'Wales'")
        .await;
    assert!(dashboard.contains(&format!(
        ">Wales</a></td><td class=\"numeric\">1</td><td class=\"numeric\">{wales}</td>"
    )));
    assert!(dashboard.contains("<svg class=\"chart\" role=\"img\""));

    let usefulness: Vec<f64> = GOVERNANCE.iter().map(|g| f64::from(g.1)).collect();
    let mean = (usefulness.iter().sum::<f64>() / usefulness.len() as f64 * 100.0).round() / 100.0;
    let promoters = GOVERNANCE.iter().filter(|g| g.3 >= 9).count() as i64;
    let passives = GOVERNANCE.iter().filter(|g| (7..=8).contains(&g.3)).count() as i64;
    let detractors = GOVERNANCE.iter().filter(|g| g.3 <= 6).count() as i64;
    let nps = ((promoters - detractors) as f64 * 100.0 / GOVERNANCE.len() as f64).round() as i64;
    let results = app
        .get_as(&admin.cookie, "/admin/surveys/governance")
        .await
        .text()
        .await
        .unwrap();
    assert!(results.contains(&format!(
        "<strong>{}</strong> responses match.",
        GOVERNANCE.len()
    )));
    assert!(
        results.contains(&format!("Mean {mean} out of 5.")),
        "mean {mean}"
    );
    assert!(results.contains(&format!(
        "Net Promoter Score <strong>{nps}</strong> ({promoters} promoters, {passives} passives, {detractors} detractors)."
    )));
    let fours = GOVERNANCE.iter().filter(|g| g.1 == 4).count();
    let share = (fours as f64 * 1000.0 / GOVERNANCE.len() as f64).round() / 10.0;
    assert!(results.contains(&format!("<tr><td>4</td><td class=\"numeric\">{fours}</td><td class=\"numeric\">{share:.1}%</td></tr>")));

    let wales_only = app
        .get_as(&admin.cookie, "/admin/surveys/governance?nation=Wales")
        .await
        .text()
        .await
        .unwrap();
    assert!(wales_only.contains("<strong>1</strong> responses match."));
    assert!(wales_only.contains("Mean 4.0 out of 5.") || wales_only.contains("Mean 4 out of 5."));
    assert!(
        wales_only.contains("<option value=\"Wales\" selected>Wales</option>"),
        "the filter is kept in the form"
    );
    let bad = app
        .get_as(&admin.cookie, "/admin/surveys/governance?since=last+week")
        .await
        .text()
        .await
        .unwrap();
    assert!(bad.contains("<a href=\"#filter-since\">&quot;last week&quot; is not a date; use YYYY-MM-DD, like 2026-11-20</a>"));
}

async fn comments_are_searchable_newest_first_and_escaped(db: Db) {
    let app = spawn_app(db).await;
    app.respond(
        "governance",
        ("Leeds Beckett University", "university"),
        (4, 4, 8),
        "Add CCTV <script>alert(1)</script> guidance",
    )
    .await;
    app.respond(
        "procurement",
        ("Port of Tyne", "port"),
        (3, 3, 7),
        "Sensors in ports",
    )
    .await;
    app.add_officer("analyst@example.gov.uk", Role::Analyst, PASSWORD)
        .await;
    let analyst = app.sign_in("analyst@example.gov.uk", PASSWORD).await;
    let all = app
        .get_as(&analyst.cookie, "/admin/comments")
        .await
        .text()
        .await
        .unwrap();
    assert!(all.contains("2 comments."));
    let (newer, older) = (
        all.find("Sensors in ports").unwrap(),
        all.find("Add CCTV").unwrap(),
    );
    assert!(newer < older, "newest first");
    assert!(all.contains("Add CCTV &lt;script&gt;alert(1)&lt;&#x2f;script&gt; guidance"));
    assert!(!all.contains("<script>alert(1)"));
    let found = app
        .get_as(&analyst.cookie, "/admin/comments?q=cctv")
        .await
        .text()
        .await
        .unwrap();
    assert!(found.contains("1 comments containing “cctv”."));
    assert!(!found.contains("Sensors in ports"));
    assert!(found.contains("Leeds Beckett University"));
}

async fn coverage_lists_the_councils_that_have_not_responded(db: Db) {
    let (app, admin) = seeded(db).await;
    let silent = app
        .get_as(&admin.cookie, "/admin/coverage?nation=Wales&status=silent")
        .await
        .text()
        .await
        .unwrap();
    assert!(!silent.contains("Merthyr Tydfil County Borough Council"));
    assert!(silent.contains("Cardiff Council"));
    let wales = app
        .scalar("SELECT COUNT(*) AS n FROM organisations WHERE nation = 'Wales'")
        .await;
    assert!(silent.contains(&format!(
        "<strong>1 of {wales}</strong> councils in Wales have responded."
    )));
    let responded = app
        .get_as(&admin.cookie, "/admin/coverage?status=responded")
        .await
        .text()
        .await
        .unwrap();
    assert!(responded.contains("<td>City of Bradford Metropolitan District Council</td><td>England</td><td>Yorkshire and The Humber</td><td>Metropolitan district</td>\n      <td class=\"numeric\">0</td><td class=\"numeric\">0</td>\n      <td class=\"numeric\"><a class=\"link\" href=\"/admin/responses?organisation=BRD\">2<span"));
}

async fn an_admin_deletes_a_spam_response_and_the_deletion_is_recorded(db: Db) {
    let app = spawn_app(db).await;
    let reference = app
        .respond("governance", ("Spam Ltd", "other"), (1, 1, 0), "buy pills")
        .await;
    app.add_officer("admin@example.gov.uk", Role::Admin, PASSWORD)
        .await;
    let admin = app.sign_in("admin@example.gov.uk", PASSWORD).await;
    let found = app
        .get_as(
            &admin.cookie,
            &format!("/admin/responses?ref={}", reference.to_lowercase()),
        )
        .await;
    assert_eq!(
        found.headers()["location"].to_str().unwrap(),
        format!("/admin/responses/{reference}")
    );
    let page = app
        .get_as(&admin.cookie, &format!("/admin/responses/{reference}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("<tr><td>What is missing, or what should change?</td><td class=\"comment__text\">buy pills</td></tr>"));
    // Words, not codes: option labels, scores out of their scale, the
    // survey's title, local time.
    assert!(
        page.contains(
            "<tr><td>What is your role?</td><td class=\"comment__text\">Cyber security</td></tr>"
        ),
        "{page}"
    );
    assert!(page.contains("<td class=\"comment__text\">1 out of 5 – Not at all useful</td>"));
    assert!(page.contains("<td class=\"comment__text\">Partly</td>"));
    assert!(!page.contains("cyber_security") && !page.contains(">partly<"));
    assert!(page.contains(">Feedback on Governance</a>, version 1"));
    assert!(page.contains("Spam Ltd (Other)"), "the sector's label");
    let submitted = app
        .state
        .clock
        .now()
        .with_timezone(&chrono_tz::Europe::London)
        .format("%-d %B %Y at ")
        .to_string();
    assert!(
        page.contains(&format!("<td>{submitted}")),
        "local time: {submitted}"
    );
    assert!(!page.contains("Z</td>"), "no raw UTC timestamps");
    // Deleting asks first, naming the response.
    assert!(page.contains(&format!(
        "href=\"/admin/responses/{reference}/delete\">Delete response {reference}</a>"
    )));
    let confirm = app
        .get_as(
            &admin.cookie,
            &format!("/admin/responses/{reference}/delete"),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(confirm.contains(&format!(
        "Are you sure you want to delete response {reference}?"
    )));
    assert!(confirm.contains("to “Feedback on Governance” sent on"));
    assert_eq!(app.count("responses").await, 1, "asking deletes nothing");
    let deleted = app
        .post_as(
            &admin.cookie,
            &format!("/admin/responses/{reference}/delete"),
            &[("csrf_token", &admin.csrf)],
        )
        .await;
    assert_eq!(deleted.status(), 303);
    assert_eq!(deleted.headers()["location"], "/admin/responses");
    let lookup = app
        .get_as(&admin.cookie, "/admin/responses")
        .await
        .text()
        .await
        .unwrap();
    assert!(lookup.contains(&format!(
        "Response {reference} was deleted. The deletion is recorded."
    )));
    assert_eq!(app.count("responses").await, 0);
    assert_eq!(app.count("answers").await, 0);
    let recorded = app
        .scalar("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'response_deleted'")
        .await;
    assert_eq!(recorded, 1);
    assert_eq!(
        app.get_as(&admin.cookie, &format!("/admin/responses/{reference}"))
            .await
            .status(),
        404
    );
}

async fn admins_add_and_disable_officers_in_the_web_interface(db: Db) {
    let app = spawn_app(db).await;
    app.add_officer("admin@example.gov.uk", Role::Admin, PASSWORD)
        .await;
    let admin = app.sign_in("admin@example.gov.uk", PASSWORD).await;
    let form = |password: &'static str| {
        [
            ("email", "new.analyst@example.gov.uk"),
            ("name", "Nia Analyst"),
            ("role", "analyst"),
            ("password", password),
        ]
    };
    let mut weak = form("password1234").to_vec();
    weak.push(("csrf_token", &admin.csrf));
    let refused = app.post_as(&admin.cookie, "/admin/users", &weak).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("<a href=\"#user-password\">This password is too common"));
    assert!(
        html.contains("value=\"new.analyst@example.gov.uk\""),
        "answers kept"
    );

    let mut good = form("river stone lamp quietly").to_vec();
    good.push(("csrf_token", &admin.csrf));
    let added = app.post_as(&admin.cookie, "/admin/users", &good).await;
    assert_eq!(added.status(), 303);
    // The notice is kept with the session: no email in the URL (or the logs).
    assert_eq!(added.headers()["location"], "/admin/users");
    let (app, admin) = (&app, &admin);
    let users = |path: &'static str| async move {
        app.get_as(&admin.cookie, path).await.text().await.unwrap()
    };
    assert!(
        users("/admin/users")
            .await
            .contains("<p class=\"body\">new.analyst@example.gov.uk was added.</p>"),
        "the notice shows once"
    );
    assert!(
        !users("/admin/users").await.contains("was added."),
        "and not again on reload"
    );
    let forged =
        users("/admin/users?added=Your+password+has+expired.+Email+it+to+evil%40example.com").await;
    assert!(
        !forged.contains("Your password has expired") && !forged.contains("evil@example.com"),
        "text in a link is never shown as a notice"
    );
    assert!(
        app.sign_in("new.analyst@example.gov.uk", "river stone lamp quietly")
            .await
            .csrf
            .len()
            == 64
    );

    let disabled = app
        .post_as(
            &admin.cookie,
            "/admin/users/disable",
            &[
                ("email", "new.analyst@example.gov.uk"),
                ("csrf_token", &admin.csrf),
            ],
        )
        .await;
    assert_eq!(disabled.status(), 303);
    assert_eq!(disabled.headers()["location"], "/admin/users");
    assert!(
        users("/admin/users")
            .await
            .contains("new.analyst@example.gov.uk was disabled and signed out.")
    );
    assert_eq!(
        app.post_login(
            "new.analyst@example.gov.uk",
            "river stone lamp quietly",
            "/admin"
        )
        .await
        .status(),
        422
    );
    let myself = app
        .post_as(
            &admin.cookie,
            "/admin/users/disable",
            &[
                ("email", "admin@example.gov.uk"),
                ("csrf_token", &admin.csrf),
            ],
        )
        .await;
    assert_eq!(myself.status(), 403);

    let subscribed = app
        .post_as(
            &admin.cookie,
            "/admin/digests/subscribe",
            &[
                ("workstream", "demand_policy"),
                ("frequency", "daily"),
                ("csrf_token", &admin.csrf),
            ],
        )
        .await;
    assert_eq!(subscribed.headers()["location"], "/admin/digests");
    assert!(
        users("/admin/digests")
            .await
            .contains("admin@example.gov.uk will get the Demand policy digest daily."),
    );
    assert!(
        !users("/admin/digests?done=Email+your+password+to+evil%40example.com")
            .await
            .contains("evil@example.com")
    );
}

async fn the_web_export_is_the_same_bytes_as_the_command_line_and_is_recorded(db: Db) {
    let (app, admin) = seeded(db).await;
    let web = app
        .get_as(
            &admin.cookie,
            "/admin/export.csv?survey=governance&bom=1&nation=England",
        )
        .await;
    assert_eq!(web.status(), 200);
    assert_eq!(web.headers()["content-type"], "text/csv; charset=utf-8");
    let disposition = web.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.starts_with("attachment; filename=\"campaign-feedback-governance-20")
            && disposition.ends_with(".csv\"")
    );
    let web = web.bytes().await.unwrap();
    let cli = app.cli(&[
        "export",
        "responses",
        "--survey",
        "governance",
        "--bom",
        "--nation",
        "England",
    ]);
    assert!(
        cli.status.success(),
        "{}",
        String::from_utf8_lossy(&cli.stderr)
    );
    assert_eq!(
        web.as_ref(),
        cli.stdout.as_slice(),
        "web and command line give the same bytes"
    );
    assert!(web.starts_with(b"\xEF\xBB\xBFreference,submitted_at,"));
    let england = GOVERNANCE.iter().filter(|g| matches!(g.0.1, "BRD")).count();
    assert_eq!(
        web.split(|b| *b == b'\n').filter(|l| !l.is_empty()).count(),
        england + 1,
        "header and England's rows"
    );

    let records = app
        .scalar("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'export'")
        .await;
    assert_eq!(
        records, 2,
        "the web and the command-line exports are both recorded"
    );
    let exports = app
        .get_as(&admin.cookie, "/admin/exports")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        exports
            .contains("<td class=\"break\">admin@example.gov.uk</td><td class=\"numeric\">2</td>")
    );
    assert!(exports.contains("<td class=\"break\">command line</td>"));

    app.add_officer("analyst@example.gov.uk", Role::Analyst, PASSWORD)
        .await;
    let analyst = app.sign_in("analyst@example.gov.uk", PASSWORD).await;
    assert_eq!(
        app.get_as(&analyst.cookie, "/admin/export.csv?contact=1")
            .await
            .status(),
        403,
        "contact details are for admins"
    );
    assert_eq!(
        app.get_as(&analyst.cookie, "/admin/export.csv?since=soon")
            .await
            .status(),
        400
    );
}
