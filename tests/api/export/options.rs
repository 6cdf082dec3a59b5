//! The export's options: filters, refusals, the byte-order mark, contact
//! emails, and the audit log.

use super::{export, header, rows, submit};
use crate::helpers::{Db, spawn_app};
use crate::on_both_databases;
use campaign_feedback::domain::officer::Role;

on_both_databases!(
    resource_date_and_version_filters_select_their_rows,
    a_bad_filter_value_exits_2_naming_the_parameter,
    a_byte_order_mark_starts_the_file_when_asked_for,
    contact_emails_are_exported_only_when_asked_for,
    every_export_is_recorded_in_the_audit_log_with_its_row_count,
    a_link_from_another_site_downloads_nothing_while_direct_visits_do,
    an_export_to_a_device_a_fifo_or_a_link_writes_into_it_and_replaces_only_files,
    labels_and_the_codebook_turn_codes_into_words_on_the_web_and_the_command_line,
);

async fn resource_date_and_version_filters_select_their_rows(db: Db) {
    let app = spawn_app(db).await;
    let governance = submit(&app, "governance", &[]).await;
    let procurement = submit(&app, "procurement", &[]).await;
    let references = |args: &[&str]| -> Vec<String> {
        rows(&export(&app, args))
            .into_iter()
            .map(|r| r[0].clone())
            .collect()
    };
    let both = vec![governance.clone(), procurement.clone()];
    let none: Vec<String> = Vec::new();

    assert_eq!(references(&[]), both);
    assert_eq!(references(&["--resource", "procurement"]), [procurement]);
    assert_eq!(references(&["--resource", "governance"]), [governance]);

    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::London)
        .date_naive();
    let (yesterday, tomorrow) = (today.pred_opt().unwrap(), today.succ_opt().unwrap());
    let (today, yesterday, tomorrow) = (
        today.to_string(),
        yesterday.to_string(),
        tomorrow.to_string(),
    );
    assert_eq!(references(&["--since", &today, "--until", &today]), both);
    assert_eq!(references(&["--since", &tomorrow]), none);
    assert_eq!(references(&["--until", &yesterday]), none);

    assert_eq!(references(&["--version", "1"]), both);
    assert_eq!(references(&["--version", "2"]), none);
    assert_eq!(
        references(&["--nation", "Wales"]),
        none,
        "other organisations have no nation"
    );
}

async fn a_bad_filter_value_exits_2_naming_the_parameter(db: Db) {
    let app = spawn_app(db).await;
    for (args, message) in [
        (
            &["--since", "yesterday"][..],
            "--since: \"yesterday\" is not a date; use YYYY-MM-DD",
        ),
        (
            &["--until", "2026-13-01"][..],
            "--until: \"2026-13-01\" is not a date",
        ),
        (
            &["--version", "two"][..],
            "--version: \"two\" is not a version number",
        ),
        (
            &["--resource", "governanse"][..],
            "--resource: there is no resource \"governanse\"",
        ),
        (
            &["--campaign", "nope"][..],
            "--campaign: there is no campaign \"nope\"",
        ),
    ] {
        let mut all = vec!["export", "responses"];
        all.extend_from_slice(args);
        let output = app.cli(&all);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "nothing is written for {args:?}");
    }
    assert_eq!(
        app.count("audit_log").await,
        0,
        "a refused export is not recorded"
    );
}

async fn a_byte_order_mark_starts_the_file_when_asked_for(db: Db) {
    let app = spawn_app(db).await;
    let welsh = [
        ("organisation", "other"),
        ("organisation-name", "Prifysgol Bangor – Ŵŷ"),
        ("organisation-sector", "university"),
    ];
    submit(&app, "governance", &welsh).await;
    let plain = export(&app, &[]);
    let bom = export(&app, &["--bom"]);
    assert_eq!(&bom[..3], b"\xEF\xBB\xBF");
    assert_eq!(&bom[3..], plain.as_slice(), "the rest is the same");
    assert!(
        String::from_utf8(plain)
            .unwrap()
            .contains("Prifysgol Bangor – Ŵŷ")
    );
}

async fn contact_emails_are_exported_only_when_asked_for(db: Db) {
    let app = spawn_app(db).await;
    submit(
        &app,
        "governance",
        &[
            ("contact", "officer@example.gov.uk"),
            ("contact-consent", "yes"),
        ],
    )
    .await;
    submit(&app, "governance", &[]).await;
    let without = export(&app, &[]);
    assert!(!String::from_utf8_lossy(&without).contains("officer@example.gov.uk"));
    assert!(!header(&without).contains("contact_email"));

    let with = export(&app, &["--include-contact"]);
    assert!(header(&with).ends_with(",gaps,useful,contact_email"));
    let rows = rows(&with);
    assert_eq!(rows[0].last().unwrap(), "officer@example.gov.uk");
    assert_eq!(rows[1].last().unwrap(), "");
}

async fn every_export_is_recorded_in_the_audit_log_with_its_row_count(db: Db) {
    let app = spawn_app(db).await;
    submit(&app, "governance", &[]).await;
    submit(&app, "governance", &[]).await;
    submit(&app, "procurement", &[]).await;
    export(&app, &["--resource", "governance", "--include-contact"]);
    let entries = campaign_feedback::store::audit::latest(&app.state.db, "export", 10)
        .await
        .unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].user_id, None, "the command line has no user");
    assert_eq!(
        entries[0].detail,
        serde_json::json!({
            "filters": {"resource": "governance"},
            "rows": 2,
            "include_contact": true,
            "labels": false,
            "format": "csv",
            "channel": "cli",
        })
    );
}

async fn a_link_from_another_site_downloads_nothing_while_direct_visits_do(db: Db) {
    let app = spawn_app(db).await;
    submit(
        &app,
        "governance",
        &[
            ("contact", "officer@example.gov.uk"),
            ("contact-consent", "yes"),
        ],
    )
    .await;
    app.add_officer(
        "admin@example.gov.uk",
        Role::Admin,
        "correct horse battery staple",
    )
    .await;
    let admin = app
        .sign_in("admin@example.gov.uk", "correct horse battery staple")
        .await;
    let fetch = |headers: &'static [(&'static str, &'static str)]| {
        let mut request = app
            .client
            .get(app.url("/admin/export.csv?contact=1"))
            .header("cookie", &admin.cookie);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send()
    };
    for cross in [
        &[("sec-fetch-site", "cross-site")][..],
        &[("sec-fetch-site", "same-site")][..],
        &[("origin", "https://evil.example")][..],
    ] {
        let refused = fetch(cross).await.unwrap();
        assert_eq!(refused.status(), 403, "{cross:?}");
        let page = refused.text().await.unwrap();
        assert!(
            page.contains("requested from a link on another website"),
            "{page}"
        );
        assert!(!page.contains("officer@example.gov.uk"));
    }
    let recorded = || campaign_feedback::store::audit::latest(&app.state.db, "export", 10);
    assert_eq!(recorded().await.unwrap().len(), 0, "no export was recorded");

    for direct in [
        &[("sec-fetch-site", "none")][..],
        &[("sec-fetch-site", "same-origin")][..],
        &[][..],
    ] {
        let csv = fetch(direct).await.unwrap();
        assert_eq!(csv.status(), 200, "{direct:?}");
        assert!(csv.text().await.unwrap().contains("officer@example.gov.uk"));
    }
    assert_eq!(recorded().await.unwrap().len(), 3);
}

async fn an_export_to_a_device_a_fifo_or_a_link_writes_into_it_and_replaces_only_files(db: Db) {
    use std::os::unix::fs::FileTypeExt;
    let app = spawn_app(db).await;
    submit(&app, "governance", &[]).await;
    let dir = app.dir.path();
    let out = |path: &std::path::Path| {
        let output = app.cli(&["export", "responses", "--out", path.to_str().unwrap()]);
        assert!(
            output.status.success(),
            "--out {}: {}",
            path.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        output
    };

    // A character device made here (as root; else the machine's /dev/null,
    // which a user cannot replace anyway): it is still a device afterwards.
    let device = dir.join("null");
    let made = std::process::Command::new("mknod")
        .args([device.to_str().unwrap(), "c", "1", "3"])
        .status()
        .is_ok_and(|s| s.success());
    let device = if made {
        device
    } else {
        std::path::PathBuf::from("/dev/null")
    };
    out(&device);
    let kind = std::fs::metadata(&device).unwrap().file_type();
    assert!(
        kind.is_char_device(),
        "{} is still a device",
        device.display()
    );

    // A FIFO: the reader gets the CSV, and the FIFO stays a FIFO.
    let fifo = dir.join("pipe");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let reader = std::thread::spawn({
        let fifo = fifo.clone();
        move || std::fs::read(fifo).unwrap()
    });
    out(&fifo);
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    let through_fifo = reader.join().unwrap();
    assert_eq!(rows(&through_fifo).len(), 1, "the reader got the export");

    // A link to a file: the file is replaced, the link stays a link.
    let file = dir.join("export.csv");
    std::fs::write(&file, "old contents").unwrap();
    let link = dir.join("latest.csv");
    std::os::unix::fs::symlink(&file, &link).unwrap();
    out(&link);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(rows(&std::fs::read(&file).unwrap()).len(), 1);

    // /dev/stdout: the export arrives on standard output.
    let stdout = out(std::path::Path::new("/dev/stdout"));
    assert_eq!(rows(&stdout.stdout).len(), 1);
    assert!(!dir.join("null.partial").exists() && !dir.join("pipe.partial").exists());
}

async fn labels_and_the_codebook_turn_codes_into_words_on_the_web_and_the_command_line(db: Db) {
    let app = spawn_app(db).await;
    submit(&app, "governance", &[]).await;
    submit(&app, "procurement", &[]).await;
    let column = |csv: &[u8], key: &str| -> Vec<String> {
        let mut reader = csv::Reader::from_reader(csv);
        let at = reader
            .headers()
            .unwrap()
            .iter()
            .position(|h| h == key)
            .unwrap();
        reader
            .records()
            .map(|r| r.unwrap()[at].to_string())
            .collect()
    };
    let codes = export(&app, &["--survey", "governance"]);
    assert_eq!(column(&codes, "role"), ["cyber_security"]);
    let words = export(&app, &["--survey", "governance", "--labels"]);
    assert_eq!(header(&words), header(&codes), "the keys stay the headers");
    assert_eq!(column(&words, "role"), ["Cyber security"]);
    assert_eq!(column(&words, "ncsc_principles"), ["Partly"]);
    assert_eq!(column(&words, "usefulness"), ["4"], "scores stay numbers");
    assert_eq!(column(&words, "missing"), ["More on CCTV & <sensors>"]);

    let book = app.cli(&["export", "codebook", "--survey", "governance"]);
    assert!(
        book.status.success(),
        "{}",
        String::from_utf8_lossy(&book.stderr)
    );
    let text = String::from_utf8(book.stdout.clone()).unwrap();
    for line in [
        "survey,survey_version,key,kind,question,code,label\r\n",
        "governance,1,role,single,What is your role?,cyber_security,Cyber security\r\n",
        "governance,1,usefulness,rating,How useful was the Governance resource?,1,Not at all useful\r\n",
        "governance,1,usefulness,rating,How useful was the Governance resource?,3,\r\n",
        "governance,1,recommend,nps,How likely are you to recommend it to another organisation?,10,Extremely likely\r\n",
        "governance,1,missing,long_text,\"What is missing, or what should change?\",,\r\n",
    ] {
        assert!(text.contains(line), "missing {line:?} in {text}");
    }
    assert!(
        !text.lines().any(|l| l.starts_with("procurement,")),
        "only the survey asked for"
    );
    let unknown = app.cli(&["export", "codebook", "--survey", "nope"]);
    assert_eq!(unknown.status.code(), Some(2));

    app.add_officer(
        "analyst@example.gov.uk",
        Role::Analyst,
        "correct horse battery staple",
    )
    .await;
    let analyst = app
        .sign_in("analyst@example.gov.uk", "correct horse battery staple")
        .await;
    let web = |path: &'static str| {
        let app = &app;
        let cookie = analyst.cookie.clone();
        async move {
            app.get_as(&cookie, path)
                .await
                .bytes()
                .await
                .unwrap()
                .to_vec()
        }
    };
    assert_eq!(
        web("/admin/codebook.csv?survey=governance").await,
        book.stdout
    );
    assert_eq!(
        web("/admin/export.csv?survey=governance&labels=1").await,
        words,
        "the web export with labels is the command line's, byte for byte"
    );
    let filtered = web("/admin/export.csv?resource=procurement&version=1").await;
    assert_eq!(
        rows(&filtered).len(),
        1,
        "the resource and version filters work on the web"
    );
    let page = app
        .get_as(&analyst.cookie, "/admin/exports")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("<select class=\"select\" id=\"export-resource\" name=\"resource\">"));
    assert!(page.contains("id=\"filter-version\" name=\"version\""));
    assert!(
        page.contains("formaction=\"&#x2f;admin&#x2f;codebook.csv\"")
            && page.contains(">Download the codebook</button>")
    );
}
