//! The editor's outreach and share pages: contacts imported and invitations
//! sent in the browser, response rates on the outreach page, the coverage
//! page and the digest; short links and QR codes that decode to them.

use super::{THREE, received};
use crate::helpers::{Db, SignedIn, TestApp, location, spawn_app_with, upload_body};
use crate::on_both_databases;
use crate::smtp::SmtpServer;
use campaign_feedback::domain::officer::Role;

on_both_databases!(
    an_editor_imports_contacts_invites_and_sees_the_response_rate,
    short_links_and_qr_codes_lead_to_each_survey,
);

const PAGE: &str = "/admin/campaigns/secure-connected-places/outreach";

async fn editor(app: &TestApp) -> SignedIn {
    app.add_officer("ed@example.gov.uk", Role::Editor, "meadow lantern quarry")
        .await;
    app.sign_in("ed@example.gov.uk", "meadow lantern quarry")
        .await
}

async fn upload(app: &TestApp, ed: &SignedIn, contents: &str) -> reqwest::Response {
    let (content_type, body) = upload_body(&ed.csrf, "contacts.csv", contents);
    app.client
        .post(app.url(&format!("{PAGE}/contacts")))
        .header("cookie", &ed.cookie)
        .header("origin", &app.address)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn an_editor_imports_contacts_invites_and_sees_the_response_rate(db: Db) {
    let smtp = SmtpServer::start().await;
    let app = spawn_app_with(db, &[("SMTP_URL", &smtp.url())]).await;
    let ed = editor(&app).await;

    let bad = upload(&app, &ed, "email,council_code\nasha@bradford.gov.uk,XYZ\n").await;
    assert_eq!(bad.status(), 422);
    let page = bad.text().await.unwrap();
    assert!(page.contains("The file was not imported"), "{page}");
    assert!(page.contains("line 2: “XYZ” is not the code of a current council"));
    assert_eq!(app.count("contacts").await, 0);

    let good = upload(&app, &ed, THREE).await;
    assert_eq!(good.status(), 303);
    let page = app.get_as(&ed.cookie, PAGE).await.text().await.unwrap();
    assert!(page.contains("Contacts imported: 3 added, 0 updated."));
    assert!(page.contains("Send invitations to 3 contacts not yet invited"));
    assert!(page.contains("No invitation has been sent yet."));

    let sent = app
        .post_as(
            &ed.cookie,
            &format!("{PAGE}/invitations"),
            &[("csrf_token", &ed.csrf)],
        )
        .await;
    assert_eq!(location(&sent), PAGE);
    assert_eq!(smtp.received().len(), 3);
    // Without the CSRF token nothing is sent.
    let forged = app
        .post_as(&ed.cookie, &format!("{PAGE}/reminders"), &[])
        .await;
    assert_eq!(forged.status(), 403);

    // Bradford follows its link and responds; Westminster only follows.
    let mail = received(&smtp);
    let link = |who: &str| {
        mail.iter()
            .find(|m| m.to.starts_with(who))
            .unwrap()
            .link
            .clone()
    };
    app.get(&link("asha")).await;
    app.get(&link("smart.city")).await;
    app.respond("governance", ("council", "BRD"), (5, 5, 10), "")
        .await;

    let page = app.get_as(&ed.cookie, PAGE).await.text().await.unwrap();
    assert!(page.contains("Invitations: 3 sent."));
    assert!(
        page.contains("<strong>1 of 3</strong> invited organisations have responded (33%); 2 followed their link."),
        "{page}"
    );
    assert!(page.contains("<th scope=\"row\">Wales</th><td class=\"numeric\">1</td><td class=\"numeric\">0</td><td class=\"numeric\">0</td>"));
    assert!(page.contains("<th scope=\"row\">England</th><td class=\"numeric\">2</td><td class=\"numeric\">2</td><td class=\"numeric\">1</td>"));

    // Coverage shows each council's contacts invited and links followed.
    let coverage = app
        .get_as(&ed.cookie, "/admin/coverage?nation=England")
        .await
        .text()
        .await
        .unwrap();
    let row = coverage
        .split("<tr>")
        .find(|r| r.contains("City of Bradford Metropolitan District Council"))
        .unwrap();
    assert!(
        row.contains("<td class=\"numeric\">1</td><td class=\"numeric\">1</td>"),
        "{row}"
    );

    // The digest states the response rate.
    let digest = app.cli(&["digests", "preview", "--workstream", "demand_policy"]);
    let text = String::from_utf8_lossy(&digest.stdout);
    assert!(
        text.contains("Response rate: 1 of the 3 organisations invited have responded (33%)."),
        "{text}"
    );
}

async fn short_links_and_qr_codes_lead_to_each_survey(db: Db) {
    let app = spawn_app_with(db, &[]).await;
    let short = app.get("/s/governance").await;
    assert_eq!(short.status(), 307);
    assert_eq!(location(&short), "/surveys/governance");
    assert_eq!(location(&app.get("/s/secure-connected-places").await), "/");
    assert_eq!(app.get("/s/no-such-thing").await.status(), 404);

    let ed = editor(&app).await;
    let share = app
        .get_as(&ed.cookie, "/admin/campaigns/secure-connected-places/share")
        .await
        .text()
        .await
        .unwrap()
        .replace("&#x2f;", "/");
    // Without BASE_URL the links are the server's own address, and it says so.
    assert!(share.contains("BASE_URL is not set"));
    assert!(share.contains("<code>http://127.0.0.1:0/s/procurement</code>"));
    assert!(share.contains("EMBED_ORIGINS is not set"));

    let png = app
        .get_as(
            &ed.cookie,
            "/admin/campaigns/secure-connected-places/qr/procurement.png",
        )
        .await;
    assert_eq!(png.headers()["content-type"], "image/png");
    let bytes = png.bytes().await.unwrap();
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    let side = info.width as usize;
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| pixels[y * side + x]);
    let (_, content) = image.detect_grids()[0].decode().unwrap();
    assert_eq!(content, "http://127.0.0.1:0/s/procurement");

    let svg = app
        .get_as(
            &ed.cookie,
            "/admin/campaigns/secure-connected-places/qr/campaign.svg",
        )
        .await;
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    assert!(
        svg.text()
            .await
            .unwrap()
            .contains("<title>http://127.0.0.1:0/s/secure-connected-places</title>")
    );
    // Only this campaign's surveys, only SVG and PNG, only for editors.
    let other = app
        .get_as(
            &ed.cookie,
            "/admin/campaigns/secure-connected-places/qr/nope.png",
        )
        .await;
    assert_eq!(other.status(), 404);
    let gif = app
        .get_as(
            &ed.cookie,
            "/admin/campaigns/secure-connected-places/qr/governance.gif",
        )
        .await;
    assert_eq!(gif.status(), 404);
    let anonymous = app
        .get("/admin/campaigns/secure-connected-places/qr/governance.png")
        .await;
    assert_eq!(anonymous.status(), 303);
}
