//! The public pages' words in English and Welsh: one Fluent catalogue per
//! language (`locales/{en,cy}/main.ftl`, embedded at build time), and the
//! language of the request being served, which templates, error pages and
//! messages read.

use crate::domain::lang::{Arg, Lang, Msg};
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{Loader, static_loader};
use std::borrow::Cow;
use std::collections::HashMap;
use std::future::Future;
use unic_langid::{LanguageIdentifier, langid};

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // No bidi isolation marks around values: both languages are left to right.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// The catalogues as written, for the test that both have every id.
pub const CATALOGUES: [(Lang, &str); 2] = [
    (Lang::En, include_str!("../locales/en/main.ftl")),
    (Lang::Cy, include_str!("../locales/cy/main.ftl")),
];

/// The public request being served: its language, and its address without
/// `lang`, from which the language switch links are made.
#[derive(Debug, Clone, Default)]
pub struct Here {
    /// The language the page is in.
    pub lang: Lang,
    /// The path and query, without any `lang` parameter.
    pub address: String,
}

tokio::task_local! {
    static CURRENT: Here;
}

/// The language of the request being served; English outside one.
pub fn current() -> Lang {
    CURRENT.try_with(|here| here.lang).unwrap_or_default()
}

/// Runs `work` as serving `here`.
pub async fn scope<F: Future>(here: Here, work: F) -> F::Output {
    CURRENT.scope(here, work).await
}

/// Runs `work` in `lang`, at the same address (a form switching language).
pub async fn scope_lang<F: Future>(lang: Lang, work: F) -> F::Output {
    let address = CURRENT
        .try_with(|here| here.address.clone())
        .unwrap_or_else(|_| "/".into());
    CURRENT.scope(Here { lang, address }, work).await
}

/// The address of this page in `lang`: the same path and query, with `lang`.
pub fn address_in(lang: Lang) -> String {
    let address = CURRENT
        .try_with(|here| here.address.clone())
        .unwrap_or_else(|_| "/".into());
    let joiner = if address.contains('?') { '&' } else { '?' };
    format!("{address}{joiner}lang={}", lang.code())
}

/// A day as the current language writes it: "5 January 2027", "5 Ionawr 2027".
pub fn date(day: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let month = text(&format!("month-{}", day.month()));
    format!("{} {month} {}", day.day(), day.year())
}

/// "A, B and C" in the current language.
pub fn list(items: &[String]) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => text_in(
            current(),
            "list-and",
            &[
                ("rest", Arg::Text(rest.join(", "))),
                ("last", Arg::Text(last.clone())),
            ],
        ),
    }
}

fn identifier(lang: Lang) -> LanguageIdentifier {
    match lang {
        Lang::En => langid!("en"),
        Lang::Cy => langid!("cy"),
    }
}

/// The text of `id` in `lang` with its values; the English text when the
/// Welsh is missing, and the id itself when both are (a test prevents it).
pub fn text_in(lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
    let values: HashMap<Cow<'static, str>, FluentValue> = args
        .iter()
        .map(|(name, value)| {
            let value = match value {
                Arg::Text(text) => FluentValue::from(text.clone()),
                Arg::Number(n) => FluentValue::from(*n),
            };
            (Cow::Owned((*name).to_string()), value)
        })
        .collect();
    LOCALES
        .try_lookup_complete(&identifier(lang), id, Some(&values))
        .unwrap_or_else(|| {
            tracing::warn!(id, "no text in the catalogue");
            id.to_string()
        })
}

/// The text of `id` in the current language.
pub fn text(id: &str) -> String {
    text_in(current(), id, &[])
}

/// A rule's message in the current language.
pub fn message(msg: &Msg) -> String {
    text_in(current(), msg.id, &msg.args)
}

/// The ids a catalogue defines (its messages, not their attributes).
pub fn ids(catalogue: &str) -> Vec<&str> {
    catalogue
        .lines()
        .filter(|line| line.starts_with(|c: char| c.is_ascii_lowercase()))
        .filter_map(|line| line.split_once(" =").map(|(id, _)| id.trim()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn both_catalogues_have_every_id() {
        let [(_, en), (_, cy)] = CATALOGUES;
        let (en, cy): (BTreeSet<_>, BTreeSet<_>) =
            (ids(en).into_iter().collect(), ids(cy).into_iter().collect());
        let only_en: Vec<_> = en.difference(&cy).collect();
        let only_cy: Vec<_> = cy.difference(&en).collect();
        assert!(only_en.is_empty(), "missing in Welsh: {only_en:?}");
        assert!(only_cy.is_empty(), "missing in English: {only_cy:?}");
        assert!(en.len() > 50, "{} ids", en.len());
    }

    #[tokio::test]
    async fn dates_and_lists_are_written_in_the_page_s_language() {
        let day = chrono::NaiveDate::from_ymd_opt(2027, 1, 5).unwrap();
        let items = ["A".to_string(), "B".into(), "C".into()];
        let here = |lang| Here {
            lang,
            address: "/surveys/x?ref=AB".into(),
        };
        scope(here(Lang::En), async {
            assert_eq!(date(day), "5 January 2027");
            assert_eq!(list(&items), "A, B and C");
            assert_eq!(address_in(Lang::Cy), "/surveys/x?ref=AB&lang=cy");
        })
        .await;
        scope(here(Lang::Cy), async {
            assert_eq!(date(day), "5 Ionawr 2027");
            assert_eq!(list(&items), "A, B a C");
        })
        .await;
        assert_eq!(current(), Lang::En, "English outside a request");
    }
}
