//! Templates, embedded in the binary and auto-escaped (every `.html` name).

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use minijinja::{Environment, Value, context};
use std::sync::LazyLock;

macro_rules! templates {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../templates/", $name)))),*]
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
    "admin/users.html",
    "admin/exports.html",
    "admin/digests.html",
    "email/digest/subject.txt",
    "email/digest/body.txt",
    "email/digest/body.html",
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

/// A page for an error, falling back to plain text if the template fails.
pub fn error_page(status: StatusCode, heading: &str, message: &str) -> Response {
    match render(
        "error.html",
        context! { status => status.as_u16(), heading, message },
    ) {
        Ok(html) => (status, html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "error page failed to render");
            (status, format!("{heading}\n\n{message}\n")).into_response()
        }
    }
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
