//! Each element of a generated campaign sent back through its form in place,
//! as the editor's "Save" with nothing changed does, leaves the campaign
//! as it was: ticked workstreams come in the campaign's order, as a
//! browser sends them, and owners keep their own order.

use super::tests::{campaign, details_pairs, question_pairs, sent};
use super::*;
use crate::domain::campaign::CampaignDefinition;
use proptest::prelude::*;

fn sent_back_in_place(def: &CampaignDefinition) -> CampaignDefinition {
    let mut out = def.clone();
    DetailsForm::read(&sent(details_pairs(&DetailsForm::of(def))))
        .apply(&mut out, false)
        .unwrap();
    for w in &def.workstreams {
        let f = WorkstreamForm::of(w);
        WorkstreamForm::read(&sent(vec![("key".into(), f.key), ("name".into(), f.name)]))
            .apply(&mut out, Some(&w.key))
            .unwrap();
    }
    for r in &def.resources {
        let f = ResourceForm::of(r);
        let mut pairs = vec![
            ("key".into(), f.key),
            ("title".into(), f.title),
            ("description".into(), f.description),
            ("url".into(), f.url),
        ];
        let ticked = def
            .workstreams
            .iter()
            .filter(|w| r.workstreams.contains(&w.key));
        pairs.extend(ticked.map(|w| ("workstreams".to_string(), w.key.clone())));
        ResourceForm::read(&sent(pairs))
            .apply(&mut out, Some(&r.key))
            .unwrap();
    }
    for s in &def.surveys {
        let f = SurveyForm::of(s);
        let mut pairs = vec![
            ("slug".into(), f.slug),
            ("title".into(), f.title),
            ("resource".into(), f.resource),
            ("intro".into(), f.intro),
        ];
        if f.closed {
            pairs.push(("closed".into(), "yes".into()));
        }
        SurveyForm::read(&sent(pairs))
            .apply(&mut out, Some(&s.slug))
            .unwrap();
        for q in &s.questions {
            QuestionForm::read(&sent(question_pairs(&QuestionForm::of(q))))
                .unwrap()
                .apply(&mut out, &s.slug, Some(&q.key))
                .unwrap();
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn saving_every_form_unchanged_changes_nothing(def in campaign()) {
        let again = sent_back_in_place(&def);
        prop_assert_eq!(again.to_toml().unwrap(), def.to_toml().unwrap());
    }
}
