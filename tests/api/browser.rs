//! In Debian's headless Chromium: a keyboard-only survey, the error summary's
//! links, and axe-core on every public page (tests/e2e/survey.mjs).

use crate::helpers::{Db, register_csv, spawn_app};
use crate::on_both_databases;
use std::path::PathBuf;

on_both_databases!(a_survey_works_with_the_keyboard_and_passes_axe_in_chromium);

/// One browser at a time: two Chromiums on two cores make timings flaky.
static ONE_BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn a_survey_works_with_the_keyboard_and_passes_axe_in_chromium(db: Db) {
    let _browser = ONE_BROWSER.lock().await;
    let app = spawn_app(db).await;
    assert!(
        app.cli(&["councils", "import", register_csv().to_str().unwrap()])
            .status
            .success()
    );
    let e2e = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/e2e");
    assert!(
        e2e.join("node_modules/playwright-core").exists(),
        "run `npm ci --prefix tests/e2e` and install Debian's chromium first (scripts/test does both)"
    );
    let address = app.address.clone();
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new("node")
            .arg(e2e.join("survey.mjs"))
            .arg(address)
            .output()
    })
    .await
    .unwrap()
    .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
}
