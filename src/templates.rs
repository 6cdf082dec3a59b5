//! The templates (pages and emails), embedded in the binary at build time
//! and auto-escaped (every `.html` name). The web pages, the error pages
//! and the digests all render through here.

use axum::response::Html;
use minijinja::{Environment, Value};
use std::sync::LazyLock;

macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../templates/", $name)))),*]
    };
}

const SOURCES: &[(&str, &str)] = templates!(
    "layout.html",
    "error.html",
    "public/landing.html",
    "public/survey.html",
    "public/questions.html",
    "public/thanks.html",
    "admin/base.html",
    "admin/filters.html",
    "admin/login.html",
    "admin/dashboard.html",
    "admin/results.html",
    "admin/comments.html",
    "admin/coverage.html",
    "admin/responses.html",
    "admin/response.html",
    "admin/delete_response.html",
    "admin/users.html",
    "admin/exports.html",
    "admin/digests.html",
    "admin/data.html",
    "admin/audit.html",
    "email/digest/subject.txt",
    "email/digest/body.txt",
    "email/digest/body.html",
    "email/password_reset/subject.txt",
    "email/password_reset/body.txt",
    "email/password_reset/body.html",
    "admin/reset.html",
    "admin/campaigns/fields.html",
    "admin/campaigns/list.html",
    "admin/campaigns/new.html",
    "admin/campaigns/details_fields.html",
    "admin/campaigns/details.html",
    "admin/campaigns/campaign.html",
    "admin/campaigns/workstream.html",
    "admin/campaigns/resource.html",
    "admin/campaigns/survey.html",
    "admin/campaigns/question_kind.html",
    "admin/campaigns/question.html",
    "admin/campaigns/publish.html",
    "admin/campaigns/discard.html",
    "admin/campaigns/upload.html",
);

static ENV: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    for (name, source) in SOURCES {
        env.add_template(name, source)
            .unwrap_or_else(|e| panic!("template {name} does not compile: {e:#}"));
    }
    env.add_filter("thousands", |n: usize| {
        let s = n.to_string();
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            if i > 0 && (s.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    });
    env
});

/// Renders a template with its context.
///
/// # Errors
/// A missing template or a rendering error, which is a bug.
pub fn render(name: &str, ctx: Value) -> Result<Html<String>, minijinja::Error> {
    ENV.get_template(name)?.render(ctx).map(Html)
}

/// Renders a template to a string (emails, text parts).
///
/// # Errors
/// A missing template or a rendering error, which is a bug.
pub fn render_text(name: &str, ctx: Value) -> Result<String, minijinja::Error> {
    ENV.get_template(name)?.render(ctx)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_template_compiles() {
        for (name, _) in super::SOURCES {
            assert!(super::ENV.get_template(name).is_ok(), "{name}");
        }
    }
}
