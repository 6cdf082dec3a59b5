//! What the public pages say about the rules' results, in the page's
//! language: whether a survey is open, who reads the feedback, the
//! problems with a form.

use crate::domain::answer::FieldError;
use crate::domain::availability::Availability;
use crate::domain::lang::Lang;
use crate::domain::lang::{Arg, Msg};
use crate::domain::schedule::Frequency;
use crate::domain::token::TokenError;
use crate::domain::welsh;
use crate::i18n::{self, current, text, text_in};
use crate::store::surveys::SurveyRecord;
use serde::Serialize;

/// Why a survey takes no answers today, if it does not.
pub fn availability(open: Availability) -> Option<String> {
    let on = |id, day| text_in(current(), id, &[("date", Arg::Text(i18n::date(day)))]);
    match open {
        Availability::Open => None,
        Availability::NotYetOpen(day) => Some(on("survey-opens-on", day)),
        Availability::Closed(Some(day)) => Some(on("survey-closed-on", day)),
        Availability::Closed(None) => Some(text("survey-closed")),
    }
}

/// What the confirmation promises: which workstreams' leads get a summary
/// and how often. `None` when nobody gets one (then nothing is promised).
pub fn summary(followers: &[(String, Frequency)]) -> Option<String> {
    let leads = |wanted: Frequency, when: &str| -> Option<String> {
        let names: Vec<String> = followers
            .iter()
            .filter(|(_, f)| *f == wanted)
            .map(|(n, _)| n.clone())
            .collect();
        (!names.is_empty()).then(|| {
            text_in(
                current(),
                "thanks-to-leads",
                &[
                    ("list", Arg::Text(i18n::list(&names))),
                    ("count", Arg::Number(names.len() as i64)),
                    ("when", Arg::Text(text(when))),
                ],
            )
        })
    };
    let parts: Vec<String> = [
        leads(Frequency::Daily, "thanks-every-day"),
        leads(Frequency::Weekly, "thanks-each-week"),
    ]
    .into_iter()
    .flatten()
    .collect();
    let parts = match parts.as_slice() {
        [] => return None,
        [one] => one.clone(),
        [first, second, ..] => text_in(
            current(),
            "parts-and",
            &[
                ("first", Arg::Text(first.clone())),
                ("second", Arg::Text(second.clone())),
            ],
        ),
    };
    Some(text_in(
        current(),
        "thanks-summary",
        &[("parts", Arg::Text(parts))],
    ))
}

/// A problem as the error summary and the field show it.
#[derive(Debug, Clone, Serialize)]
pub struct ProblemView {
    /// The `id` of the input the summary links to.
    pub field: String,
    /// The question it belongs beside.
    pub question: String,
    /// What to do, in the page's language.
    pub message: String,
}

/// The problems in the page's language.
pub fn problems(errors: &[FieldError]) -> Vec<ProblemView> {
    errors
        .iter()
        .map(|e| ProblemView {
            field: e.field.clone(),
            question: e.question.clone(),
            message: i18n::message(&e.msg),
        })
        .collect()
}

/// A survey as it reads in the page's language: its Welsh words where
/// given, English elsewhere; keys and codes unchanged, so answers in either
/// language count together.
pub fn localised(survey: &SurveyRecord) -> SurveyRecord {
    let lang = current();
    let mut out = survey.clone();
    let yes_no = (text("answer-yes"), text("answer-no"));
    out.questions = survey
        .questions
        .iter()
        .map(|q| welsh::question_in(q, lang, (&yes_no.0, &yes_no.1)))
        .collect();
    if lang == Lang::En {
        return out;
    }
    let (s, r, c) = (&survey.cy.survey, &survey.cy.resource, &survey.cy.campaign);
    out.title = welsh::pick(
        lang,
        &survey.title,
        s.as_ref().and_then(|w| w.title.as_ref()),
    );
    out.intro = welsh::pick(
        lang,
        &survey.intro,
        s.as_ref().and_then(|w| w.intro.as_ref()),
    );
    out.campaign_title = welsh::pick(
        lang,
        &survey.campaign_title,
        c.as_ref().and_then(|w| w.title.as_ref()),
    );
    if let Some((key, title, url)) = &survey.resource {
        let title = welsh::pick(lang, title, r.as_ref().and_then(|w| w.title.as_ref()));
        out.resource = Some((key.clone(), title, url.clone()));
    }
    out
}

/// Why a form's token was refused.
pub fn token_problem(e: TokenError) -> Msg {
    match e {
        TokenError::Invalid => Msg::new("error-token-invalid"),
        TokenError::Expired => Msg::new("error-token-expired"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lang::Lang;
    use crate::i18n::{Here, scope};

    #[tokio::test]
    async fn the_promise_says_who_gets_a_summary_and_how_often() {
        let f = |name: &str, frequency| (name.to_string(), frequency);
        let here = |lang| Here {
            lang,
            address: "/".into(),
        };
        scope(here(Lang::En), async {
            assert_eq!(summary(&[]), None);
            assert_eq!(
                summary(&[f("Supplier policy", Frequency::Weekly)]).unwrap(),
                "A summary of new feedback on this resource goes to the leads of the Supplier policy workstream each week."
            );
            assert_eq!(
                summary(&[
                    f("Supplier policy", Frequency::Daily),
                    f("Demand policy", Frequency::Weekly),
                    f("International policy", Frequency::Daily),
                ])
                .unwrap(),
                "A summary of new feedback on this resource goes to the leads of the Supplier policy and International policy workstreams every day, and to the leads of the Demand policy workstream each week."
            );
        })
        .await;
        scope(here(Lang::Cy), async {
            assert_eq!(
                summary(&[f("Polisi cyflenwyr", Frequency::Weekly)]).unwrap(),
                "Mae crynodeb o adborth newydd ar yr adnodd hwn yn mynd i arweinwyr ffrwd waith Polisi cyflenwyr bob wythnos."
            );
        })
        .await;
    }
}
