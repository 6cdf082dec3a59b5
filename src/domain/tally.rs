//! What one response adds to its survey version's running tallies: the
//! counts the results page shows, kept as responses arrive so the page
//! reads a few rows instead of every answer. The store adds them in the
//! transaction that stores the response and takes them away in the one
//! that deletes it.
//!
//! A tally is a (question key, value) pair counted once: both empty for the
//! response itself, an empty value for "answered this question", otherwise
//! a score or an option's value chosen. It counts as a scan of the answers
//! does (`store::stats::survey_counts` under the other filters).

use super::answer::{Answer, AnswerValue};
use super::question::QuestionKind;

/// A question key and a value, counted once.
pub type Tally = (String, String);

/// The tallies one response counts in: itself, then each answer's.
pub fn of_response(answers: &[Answer]) -> Vec<Tally> {
    let mut tallies = vec![(String::new(), String::new())];
    tallies.extend(answers.iter().flat_map(of_answer));
    tallies
}

/// The tallies one answer counts in: "answered" and each value chosen, or
/// nothing for the kinds the results page leaves out (organisation, email).
pub fn of_answer(answer: &Answer) -> Vec<Tally> {
    let chosen = match answer.kind {
        QuestionKind::Organisation | QuestionKind::Email => return Vec::new(),
        QuestionKind::Text | QuestionKind::LongText => Vec::new(),
        QuestionKind::Rating
        | QuestionKind::Nps
        | QuestionKind::Single
        | QuestionKind::YesNo
        | QuestionKind::Multi => match &answer.value {
            AnswerValue::Number(n) => vec![n.to_string()],
            AnswerValue::Text(text) => vec![text.clone()],
            AnswerValue::List(values) => values.clone(),
        },
    };
    std::iter::once(String::new())
        .chain(chosen.into_iter().filter(|v| !v.is_empty()))
        .map(|value| (answer.key.clone(), value))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(key: &str, kind: QuestionKind, value: AnswerValue) -> Answer {
        Answer {
            key: key.into(),
            kind,
            value,
        }
    }

    fn pairs(tallies: &[Tally]) -> Vec<(&str, &str)> {
        tallies
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }

    #[test]
    fn a_response_counts_itself_each_answer_and_each_value_chosen() {
        let answers = [
            answer("useful", QuestionKind::Rating, AnswerValue::Number(4)),
            answer(
                "role",
                QuestionKind::Single,
                AnswerValue::Text("cio".into()),
            ),
            answer(
                "topics",
                QuestionKind::Multi,
                AnswerValue::List(vec!["iot".into(), "cctv".into()]),
            ),
            answer(
                "why",
                QuestionKind::LongText,
                AnswerValue::Text("Because".into()),
            ),
            answer(
                "org",
                QuestionKind::Organisation,
                AnswerValue::Text("E0001".into()),
            ),
            answer(
                "email",
                QuestionKind::Email,
                AnswerValue::Text("a@b.c".into()),
            ),
        ];
        assert_eq!(
            pairs(&of_response(&answers)),
            [
                ("", ""),
                ("useful", ""),
                ("useful", "4"),
                ("role", ""),
                ("role", "cio"),
                ("topics", ""),
                ("topics", "iot"),
                ("topics", "cctv"),
                ("why", ""),
            ]
        );
    }

    #[test]
    fn an_empty_choice_counts_as_answered_only() {
        let none = answer("topics", QuestionKind::Multi, AnswerValue::List(Vec::new()));
        assert_eq!(pairs(&of_answer(&none)), [("topics", "")]);
    }
}
