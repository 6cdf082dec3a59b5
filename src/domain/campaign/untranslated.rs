//! What a campaign has not yet translated into Welsh, for `campaign check`.

use super::CampaignDefinition;
use crate::domain::welsh::untranslated;

impl CampaignDefinition {
    /// Every word of the campaign without its Welsh, one line each:
    /// where it is, the field, and the English words.
    pub fn untranslated(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut note = |place: String, missing: Vec<(&str, &str)>| {
            for (field, words) in missing {
                out.push(format!("{place}: cy.{field} (“{}”)", short(words)));
            }
        };
        note(
            "campaign".into(),
            untranslated(
                self.cy.as_ref(),
                &[
                    ("title", Some(&self.title)),
                    ("description", Some(&self.description)),
                ],
            ),
        );
        for w in &self.workstreams {
            note(
                format!("workstream {}", w.key),
                untranslated(w.cy.as_ref(), &[("name", Some(&w.name))]),
            );
        }
        for r in &self.resources {
            note(
                format!("resource {}", r.key),
                untranslated(
                    r.cy.as_ref(),
                    &[
                        ("title", Some(&r.title)),
                        ("description", Some(&r.description)),
                    ],
                ),
            );
        }
        for s in &self.surveys {
            note(
                format!("survey {}", s.slug),
                untranslated(
                    s.cy.as_ref(),
                    &[("title", Some(&s.title)), ("intro", Some(&s.intro))],
                ),
            );
            for q in &s.questions {
                let place = format!("survey {}, question {}", s.slug, q.key);
                note(
                    place.clone(),
                    untranslated(
                        q.cy.as_ref(),
                        &[
                            ("text", Some(&q.text)),
                            ("hint", q.hint.as_deref()),
                            ("low_label", q.low_label.as_deref()),
                            ("high_label", q.high_label.as_deref()),
                            ("error", q.error.as_deref()),
                        ],
                    ),
                );
                for o in &q.options {
                    let translated =
                        q.cy.as_ref()
                            .is_some_and(|cy| cy.options.contains_key(&o.value));
                    if !translated {
                        note(place.clone(), vec![("options", o.label.as_str())]);
                    }
                }
            }
        }
        out
    }
}

/// The first words of a long text.
fn short(words: &str) -> String {
    let words = words.trim();
    match words.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &words[..at]),
        None => words.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::campaign::{CampaignDefinition, DEFAULT_CAMPAIGN_TOML};

    #[test]
    fn the_default_campaign_is_translated_throughout() {
        let def = CampaignDefinition::from_toml(DEFAULT_CAMPAIGN_TOML).unwrap();
        assert_eq!(def.untranslated(), Vec::<String>::new());
    }

    #[test]
    fn a_missing_translation_is_named_with_its_place() {
        let mut def = CampaignDefinition::from_toml(DEFAULT_CAMPAIGN_TOML).unwrap();
        def.surveys[0].questions[2].cy = None;
        let missing = def.untranslated();
        let key = &def.surveys[0].questions[2].key;
        assert!(
            missing
                .iter()
                .any(|l| l.starts_with(&format!("survey governance, question {key}: cy.text (“"))),
            "{missing:?}"
        );
    }
}
