//! Reaching the councils (issue 13), through a real SMTP conversation
//! (`tests/api/smtp.rs`) on both databases: contacts imported from CSV,
//! invitations with personal links, reminders only to councils that have
//! not responded, one-click unsubscribe, failures marked; `embed` covers
//! the embeddable form and `share` the short links and QR codes.

pub(crate) mod embed;
mod invitations;
mod share;

use crate::helpers::TestApp;
use crate::smtp::SmtpServer;

pub(super) const CAMPAIGN: &str = "secure-connected-places";

/// Three council contacts: Bradford, Westminster and Merthyr Tydfil.
pub(super) const THREE: &str = "email,council_code,name\n\
    asha.khan@bradford.gov.uk,BRD,Asha Khan\n\
    smart.city@westminster.gov.uk,wsm,\n\
    digital@merthyr.gov.uk,MTY,Rhys Evans\n";

/// Writes `text` as a file in the app's folder and imports it with the CLI.
pub(crate) fn import(app: &TestApp, name: &str, text: &str) -> std::process::Output {
    let path = app.dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    app.cli(&[
        "contacts",
        "import",
        path.to_str().unwrap(),
        "--campaign",
        CAMPAIGN,
    ])
}

/// The CLI with the app's database and the test SMTP server.
pub(super) fn cli_smtp(app: &TestApp, smtp: &SmtpServer, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_campaign-feedback"))
        .args(args)
        .current_dir(app.dir.path())
        .env("DATABASE_URL", &app.database_url)
        .env("SECRET_KEY", crate::helpers::SECRET)
        .env("SMTP_URL", smtp.url())
        .env_remove("RUST_LOG")
        .output()
        .expect("the binary runs")
}

pub(super) fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// One received message: its recipient, subject, personal link path
/// (`/i/…`) and one-click unsubscribe path, and its headers.
#[derive(Debug, Clone)]
pub(crate) struct Received {
    pub to: String,
    pub subject: String,
    pub link: String,
    pub unsubscribe: String,
    pub raw: String,
}

/// Reads what the SMTP server received (quoted-printable undone).
pub(crate) fn received(smtp: &SmtpServer) -> Vec<Received> {
    smtp.received()
        .into_iter()
        .map(|raw| {
            let unfolded = raw.replace("=\n", "");
            // Long headers are folded onto lines starting with a space.
            let headers = raw
                .split("\n\n")
                .next()
                .unwrap_or_default()
                .replace("\n ", " ");
            let header = |name: &str| {
                headers
                    .lines()
                    .find_map(|l| l.strip_prefix(&format!("{name}: ")))
                    .unwrap_or_default()
                    .trim()
                    .to_string()
            };
            let path_after = |marker: &str| {
                unfolded
                    .find(marker)
                    .map(|i| {
                        unfolded[i..]
                            .chars()
                            .take_while(|c| c.is_ascii_alphanumeric() || "/-".contains(*c))
                            .collect::<String>()
                    })
                    .unwrap_or_default()
            };
            Received {
                to: header("To"),
                subject: header("Subject"),
                link: path_after("/i/"),
                unsubscribe: path_after("/unsubscribe/"),
                raw,
            }
        })
        .collect()
}
