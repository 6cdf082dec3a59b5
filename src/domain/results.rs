//! Summaries of answers: distributions, means, the Net Promoter Score.

use super::question::{Question, QuestionKind};
use serde::Serialize;
use std::collections::HashMap;

/// One bar of a distribution.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bar {
    /// What was answered, as people read it.
    pub label: String,
    /// How many gave this answer.
    pub count: i64,
    /// Share of those who answered the question, 0–100, rounded to one decimal.
    pub percent: f64,
}

/// The Net Promoter Score: promoters (9–10) minus detractors (0–6), in percent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Nps {
    /// From −100 to 100.
    pub score: i64,
    /// Scores of 9 or 10.
    pub promoters: i64,
    /// Scores of 7 or 8.
    pub passives: i64,
    /// Scores of 0 to 6.
    pub detractors: i64,
}

/// What a question's answers add up to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// The question key.
    pub key: String,
    /// The question's text (from the latest version that asks it).
    pub text: String,
    /// Its kind.
    pub kind: QuestionKind,
    /// How many responses answered it.
    pub answered: i64,
    /// The distribution, in the question's order.
    pub bars: Vec<Bar>,
    /// The mean of a rating.
    pub mean: Option<f64>,
    /// The NPS of an `nps` question.
    pub nps: Option<Nps>,
}

fn percent(part: i64, whole: i64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        (part as f64 * 1000.0 / whole as f64).round() / 10.0
    }
}

/// Summarises a scale or choice question from counts by stored value
/// (`"4"` for a score, the option value for a choice). For `multi`,
/// `answered` is the number of responses that chose anything, so shares can add up to more than 100.
pub fn summarise(question: &Question, counts: &HashMap<String, i64>, answered: i64) -> Summary {
    // A scale's ends keep their labels, as the form shows them ("1 – Not at all useful").
    let options: Vec<(String, String)> = question
        .codes()
        .into_iter()
        .map(
            |(code, label)| match (question.kind.scale(), label.is_empty()) {
                (Some(_), true) => (code.clone(), code),
                (Some(_), false) => (code.clone(), format!("{code} – {label}")),
                (None, _) => (code, label),
            },
        )
        .collect();
    let bars: Vec<Bar> = options
        .iter()
        .map(|(value, label)| {
            let count = counts.get(value).copied().unwrap_or(0);
            Bar {
                label: label.clone(),
                count,
                percent: percent(count, answered),
            }
        })
        .collect();
    let scored = |n: i32| counts.get(&n.to_string()).copied().unwrap_or(0);
    let mean = (question.kind == QuestionKind::Rating && answered > 0).then(|| {
        let total: i64 = (1..=5).map(|n| i64::from(n) * scored(n)).sum();
        (total as f64 * 100.0 / answered as f64).round() / 100.0
    });
    let nps = (question.kind == QuestionKind::Nps).then(|| {
        let promoters = scored(9) + scored(10);
        let passives = scored(7) + scored(8);
        let detractors: i64 = (0..=6).map(scored).sum();
        let all = promoters + passives + detractors;
        let score = if all == 0 {
            0
        } else {
            ((promoters - detractors) as f64 * 100.0 / all as f64).round() as i64
        };
        Nps {
            score,
            promoters,
            passives,
            detractors,
        }
    });
    Summary {
        key: question.key.clone(),
        text: question.text.clone(),
        kind: question.kind,
        answered,
        bars,
        mean,
        nps,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::campaign::{CampaignDefinition, DEFAULT_CAMPAIGN_TOML};

    fn question(key: &str) -> Question {
        let c = CampaignDefinition::from_toml(DEFAULT_CAMPAIGN_TOML).unwrap();
        c.surveys[0]
            .questions
            .iter()
            .find(|q| q.key == key)
            .unwrap()
            .clone()
    }

    fn counts(pairs: &[(&str, i64)]) -> HashMap<String, i64> {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn a_rating_has_a_mean_and_shares_of_those_who_answered() {
        let s = summarise(
            &question("usefulness"),
            &counts(&[("5", 2), ("4", 1), ("1", 1)]),
            4,
        );
        assert_eq!(s.mean, Some(3.75));
        assert_eq!(
            s.bars[4],
            Bar {
                label: "5 – Very useful".into(),
                count: 2,
                percent: 50.0
            },
            "the scale's ends keep their labels"
        );
        assert_eq!(s.bars[0].label, "1 – Not at all useful");
        assert_eq!(s.bars[1].label, "2");
        assert_eq!(s.bars[1].count, 0);
    }

    #[test]
    fn the_nps_is_promoters_minus_detractors() {
        let s = summarise(
            &question("recommend"),
            &counts(&[("10", 3), ("9", 1), ("8", 2), ("6", 1), ("0", 1)]),
            8,
        );
        assert_eq!(
            s.nps,
            Some(Nps {
                score: 25,
                promoters: 4,
                passives: 2,
                detractors: 2
            })
        );
    }

    #[test]
    fn choices_keep_their_labels_and_order() {
        let s = summarise(
            &question("ncsc_principles"),
            &counts(&[("partly", 2), ("yes", 1)]),
            3,
        );
        let labels: Vec<_> = s.bars.iter().map(|b| (b.label.as_str(), b.count)).collect();
        assert_eq!(
            labels,
            vec![("Yes", 1), ("Partly", 2), ("No", 0), ("Not yet used", 0)]
        );
        assert_eq!(s.bars[1].percent, 66.7);
    }
}
