//! The campaign editor under `/admin/campaigns`, driven as a browser does:
//! each page's form read as shown, changed, and sent.

mod building;
mod rules;
mod toml;

use crate::forms::{fields, with};
use crate::helpers::{SignedIn, TestApp, location};
use campaign_feedback::domain::officer::Role;

pub const PASSWORD: &str = "quartz meadow lantern";
pub const CAMPAIGN: &str = "/admin/campaigns/secure-connected-places";

/// An officer signed in, sending the editor's forms.
pub struct Editor<'a> {
    pub app: &'a TestApp,
    pub who: SignedIn,
}

impl<'a> Editor<'a> {
    /// Adds an editor with this email and signs them in.
    pub async fn new(app: &'a TestApp, email: &str) -> Self {
        app.add_officer(email, Role::Editor, PASSWORD).await;
        let who = app.sign_in(email, PASSWORD).await;
        Self { app, who }
    }

    /// A page, which must be there.
    pub async fn page(&self, path: &str) -> String {
        let response = self.app.get_as(&self.who.cookie, path).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.text().await.unwrap()
    }

    /// Sends fields to `action`.
    pub async fn post(&self, action: &str, fields: &[(String, String)]) -> reqwest::Response {
        self.app
            .client
            .post(self.app.url(action))
            .header("cookie", &self.who.cookie)
            .header("origin", &self.app.address)
            .form(fields)
            .send()
            .await
            .unwrap()
    }

    /// Opens `page`, changes its form posting to `action`, and sends it.
    pub async fn fill(
        &self,
        page: &str,
        action: &str,
        changes: &[(&str, &str)],
    ) -> reqwest::Response {
        let html = self.page(page).await;
        self.post(action, &with(fields(&html, action), changes))
            .await
    }

    /// As [`Editor::fill`], for a change that must be saved: follows to the
    /// page the editor lands on.
    pub async fn save(&self, page: &str, action: &str, changes: &[(&str, &str)]) -> String {
        let response = self.fill(page, action, changes).await;
        let status = response.status();
        let back = match status.as_u16() {
            303 => location(&response),
            _ => panic!(
                "{action} answered {status}: {}",
                problems(&response.text().await.unwrap())
            ),
        };
        self.page(&back).await
    }
}

/// The error summary's messages, for a failure's explanation.
pub fn problems(html: &str) -> String {
    html.split("<li><a href=\"#")
        .skip(1)
        .filter_map(|s| s.split_once("\">").map(|(_, rest)| rest))
        .filter_map(|s| s.split("</a>").next())
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The message shown beside `field`, if any.
pub fn beside(html: &str, field: &str) -> Option<String> {
    let marker = format!("id=\"{field}-error\" class=\"error-message\">");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find("</p>")? + start;
    Some(crate::forms::unescape(
        html[start..end]
            .replace("<span class=\"visually-hidden\">Error:</span> ", "")
            .trim(),
    ))
}

/// The campaign as `campaign export` writes it.
pub fn exported(app: &TestApp, slug: &str) -> String {
    let out = app.cli(&["campaign", "export", slug]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Asserts two texts are equal, showing the first line that differs.
pub fn assert_same_text(left: &str, right: &str, what: &str) {
    if left == right {
        return;
    }
    let at = left
        .lines()
        .zip(right.lines())
        .position(|(l, r)| l != r)
        .unwrap_or(left.lines().count().min(right.lines().count()));
    panic!(
        "{what}: line {} differs: {:?} / {:?}",
        at + 1,
        left.lines().nth(at),
        right.lines().nth(at)
    );
}
