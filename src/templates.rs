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
    "public/accessibility.html",
    "public/privacy.html",
    "public/unsubscribe.html",
    "public/embed_more.html",
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
    "email/invitation/subject.txt",
    "email/invitation/body.txt",
    "email/invitation/body.html",
    "email/reminder/subject.txt",
    "email/reminder/body.txt",
    "email/reminder/body.html",
    "admin/reset.html",
    "admin/outreach.html",
    "admin/tokens.html",
    "admin/webhooks.html",
    "admin/share.html",
    "admin/embed_snippet.html",
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
    add_language_functions(&mut env);
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

/// `t("id", name=value)` for the current language's text of a catalogue id;
/// `lang()` and `lang_html()` for its codes; `switch()` for the link to the
/// page in the other language; `alternates()` for the page in each.
fn add_language_functions(env: &mut Environment<'static>) {
    use crate::domain::lang::{Arg, Lang};
    use minijinja::value::Kwargs;
    env.add_function(
        "t",
        |id: &str, kwargs: Kwargs| -> Result<String, minijinja::Error> {
            let mut args: Vec<(&str, Arg)> = Vec::new();
            for name in kwargs.args() {
                let value: Value = kwargs.get(name)?;
                let arg = match value.as_i64() {
                    Some(n) if value.is_number() => Arg::Number(n),
                    _ => Arg::Text(value.to_string()),
                };
                args.push((name, arg));
            }
            kwargs.assert_all_used()?;
            Ok(crate::i18n::text_in(crate::i18n::current(), id, &args))
        },
    );
    env.add_function("lang", || crate::i18n::current().code());
    env.add_function("lang_html", || crate::i18n::current().html());
    let link = |lang: Lang| {
        minijinja::context! {
            code => lang.code(),
            name => lang.own_name(),
            href => crate::i18n::address_in(lang),
        }
    };
    env.add_function("switch", move || link(crate::i18n::current().other()));
    env.add_function("alternates", move || {
        Lang::ALL.into_iter().map(link).collect::<Vec<_>>()
    });
}

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

    /// The catalogue ids named in `text` after each of `openers` (an opener
    /// starting a word: `t("` but not `input("`).
    fn ids_after<'a>(text: &'a str, openers: &[&str]) -> Vec<&'a str> {
        let mut ids = Vec::new();
        for opener in openers {
            for (at, _) in text.match_indices(opener) {
                let before = text[..at].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let rest = &text[at + opener.len()..];
                if let Some(id) = rest.split(['"', '\'']).next()
                    && !id.is_empty()
                    && !id.contains(['{', ' '])
                {
                    ids.push(id);
                }
            }
        }
        ids
    }

    #[test]
    fn every_id_the_pages_and_rules_name_is_in_both_catalogues() {
        let [(_, en), (_, cy)] = crate::i18n::CATALOGUES;
        let (en, cy) = (crate::i18n::ids(en), crate::i18n::ids(cy));
        let mut named: Vec<String> = Vec::new();
        for (name, source) in super::SOURCES {
            named.extend(
                ids_after(source, &["t(\"", "t('"])
                    .into_iter()
                    .map(|id| format!("{id} ({name})")),
            );
        }
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut dirs = vec![src];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let code = std::fs::read_to_string(&path).unwrap();
                    let openers = [
                        "Msg::new(\"",
                        "about(\"",
                        "i18n::text(\"",
                        "text_in(current(), \"",
                    ];
                    named.extend(
                        ids_after(&code, &openers)
                            .into_iter()
                            .map(|id| format!("{id} ({})", path.display())),
                    );
                }
            }
        }
        assert!(named.len() > 40, "{} ids named", named.len());
        for named in named {
            let id = named.split(' ').next().unwrap();
            assert!(
                en.contains(&id) && cy.contains(&id),
                "{named} is not in both catalogues"
            );
        }
    }
}
