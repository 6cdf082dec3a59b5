//! TOML stays first-class: the editor's download is the command line's
//! export, every form sent back unchanged changes nothing, an upload is
//! checked as `campaign import` checks it, and a discard is audited.

use super::{CAMPAIGN, Editor, assert_same_text, exported, problems};
use crate::helpers::{Db, location, spawn_app};
use crate::on_both_databases;
use campaign_feedback::domain::campaign::CampaignDefinition;

on_both_databases!(
    sending_every_form_unchanged_downloads_the_same_toml,
    an_uploaded_file_becomes_a_draft_after_the_import_checks,
);

async fn sending_every_form_unchanged_downloads_the_same_toml(db: Db) {
    let app = spawn_app(db).await;
    let ed = Editor::new(&app, "editor@example.gov.uk").await;
    let published = ed.page(&format!("{CAMPAIGN}/campaign.toml")).await;
    assert_eq!(
        published,
        exported(&app, "secure-connected-places"),
        "the download is the CLI's export"
    );

    let def = CampaignDefinition::from_toml(&published).unwrap();
    let mut forms = vec![format!("{CAMPAIGN}/details")];
    forms.extend(
        def.workstreams
            .iter()
            .map(|w| format!("{CAMPAIGN}/workstreams/{}", w.key)),
    );
    forms.extend(
        def.resources
            .iter()
            .map(|r| format!("{CAMPAIGN}/resources/{}", r.key)),
    );
    for s in &def.surveys {
        forms.push(format!("{CAMPAIGN}/surveys/{}", s.slug));
        forms.extend(
            s.questions
                .iter()
                .map(|q| format!("{CAMPAIGN}/surveys/{}/questions/{}", s.slug, q.key)),
        );
    }
    for form in &forms {
        ed.save(form, form, &[]).await;
    }
    assert!(
        forms.len() > 60,
        "every element went through its form: {}",
        forms.len()
    );
    let draft = ed.page(&format!("{CAMPAIGN}/draft.toml")).await;
    assert_same_text(&draft, &published, "editing nothing changes nothing");
    let review = ed.page(&format!("{CAMPAIGN}/publish")).await;
    assert!(review.contains("Nothing: the draft is the same as the published campaign."));

    // Discarding is confirmed first, then audited.
    let confirm = ed.page(&format!("{CAMPAIGN}/discard")).await;
    assert!(confirm.contains("Every change since the campaign was last published will be lost"));
    let discarded = ed
        .fill(
            &format!("{CAMPAIGN}/discard"),
            &format!("{CAMPAIGN}/discard"),
            &[],
        )
        .await;
    assert_eq!(discarded.status(), 303);
    assert_eq!(app.count("campaign_drafts").await, 0);
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'campaign_draft_discarded' AND user_id IS NOT NULL").await,
        1
    );
}

async fn upload(ed: &Editor<'_>, file_name: &str, contents: &str) -> reqwest::Response {
    let (content_type, body) = crate::helpers::upload_body(&ed.who.csrf, file_name, contents);
    ed.app
        .client
        .post(ed.app.url("/admin/campaigns/upload"))
        .header("cookie", &ed.who.cookie)
        .header("origin", &ed.app.address)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn an_uploaded_file_becomes_a_draft_after_the_import_checks(db: Db) {
    let app = spawn_app(db).await;
    let ed = Editor::new(&app, "editor@example.gov.uk").await;
    let published = exported(&app, "secure-connected-places");

    let broken = published.replacen("title = ", "title == ", 1);
    let refused = upload(&ed, "broken.toml", &broken).await;
    assert_eq!(refused.status(), 422);
    let message = problems(&refused.text().await.unwrap());
    assert!(
        message.contains("The file was not uploaded: line 2"),
        "{message}"
    );
    let refused = upload(&ed, "empty.toml", "").await;
    assert_eq!(refused.status(), 422);
    assert!(problems(&refused.text().await.unwrap()).contains("Choose a campaign file"));
    assert_eq!(app.count("campaign_drafts").await, 0);

    let changed = published.replacen(
        "Secure Connected Places Playbook",
        "Secure Places Playbook",
        1,
    );
    let uploaded = upload(&ed, "playbook.toml", &changed).await;
    assert_eq!(uploaded.status(), 303);
    assert_eq!(location(&uploaded), CAMPAIGN);
    assert_eq!(
        ed.page(&format!("{CAMPAIGN}/draft.toml")).await,
        changed,
        "the draft is the file"
    );
    assert_eq!(
        app.scalar("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'campaign_uploaded' AND user_id IS NOT NULL").await,
        1
    );
    let again = upload(&ed, "playbook.toml", &changed).await;
    assert_eq!(again.status(), 422, "an open draft is never replaced");
    assert!(problems(&again.text().await.unwrap()).contains("this campaign already has a draft"));

    let review = ed.page(&format!("{CAMPAIGN}/publish")).await;
    assert!(review.contains("The campaign’s title changes from “Secure Connected Places Playbook” to “Secure Places Playbook”"));
    let published_now = ed
        .fill(
            &format!("{CAMPAIGN}/publish"),
            &format!("{CAMPAIGN}/publish"),
            &[],
        )
        .await;
    assert_eq!(published_now.status(), 303);
    assert_eq!(
        exported(&app, "secure-connected-places"),
        changed,
        "the CLI exports what was uploaded"
    );
}
