//! The rules a campaign definition must follow beyond its types: keys and
//! slugs well formed and unique, references that resolve, questions with
//! what their kind needs, links that are safe to show.

use super::CampaignDefinition;
use super::spans::Place;
use crate::domain::question::{Question, QuestionKind};
use crate::domain::welsh::Welsh;
use std::collections::HashSet;

type Refusal = (Place, String);

impl CampaignDefinition {
    /// Every rule, in the order of the file: the campaign, its workstreams,
    /// resources, then surveys. The first broken rule is the refusal.
    pub(super) fn check(&self) -> Result<(), Refusal> {
        self.check_rules(true)
    }

    /// The rules a draft in the editor must follow at every save: all but
    /// completeness (a campaign being built may have no survey yet, a
    /// survey no question yet).
    ///
    /// # Errors
    /// What is wrong, naming the element.
    pub fn check_draft(&self) -> Result<(), String> {
        self.check_rules(false).map_err(|(_, message)| message)
    }

    /// Every rule, as publishing needs them: a draft's and completeness.
    ///
    /// # Errors
    /// What is wrong, naming the element.
    pub fn check_complete(&self) -> Result<(), String> {
        self.check_rules(true).map_err(|(_, message)| message)
    }

    fn check_rules(&self, complete: bool) -> Result<(), Refusal> {
        let top = |m: String| (Place::Top, m);
        check_slug(&self.slug).map_err(|m| top(format!("slug: {m}")))?;
        if self.title.trim().is_empty() {
            return Err(top("title: give the campaign a title".into()));
        }
        if let (Some(o), Some(c)) = (self.opens_on, self.closes_on)
            && c < o
        {
            return Err(top(format!("closes_on ({c}) is before opens_on ({o})")));
        }
        check_welsh(self.cy.as_ref(), &["title", "description"], &[]).map_err(top)?;
        let workstreams = self.check_workstreams()?;
        let resources = self.check_resources(&workstreams)?;
        if complete && self.surveys.is_empty() {
            return Err(top("add at least one [[survey]]".into()));
        }
        self.check_surveys(&resources, complete)
    }

    /// The workstreams' keys, once each well formed and unique.
    fn check_workstreams(&self) -> Result<HashSet<&str>, Refusal> {
        let mut seen = HashSet::new();
        for (i, w) in self.workstreams.iter().enumerate() {
            let at = |m: String| (Place::Workstream(i), format!("workstream {:?}: {m}", w.key));
            check_key(&w.key).map_err(at)?;
            if !seen.insert(w.key.as_str()) {
                return Err(at(
                    "this key is used twice; give each workstream its own".into()
                ));
            }
            if w.name.trim().is_empty() {
                return Err(at("give the workstream a name".into()));
            }
            check_welsh(w.cy.as_ref(), &["name"], &[]).map_err(at)?;
        }
        Ok(seen)
    }

    /// The resources' keys, once each is checked against `workstreams`.
    fn check_resources(&self, workstreams: &HashSet<&str>) -> Result<HashSet<&str>, Refusal> {
        let mut resources = HashSet::new();
        for (i, r) in self.resources.iter().enumerate() {
            let at = |m: String| (Place::Resource(i), format!("resource {:?}: {m}", r.key));
            check_key(&r.key).map_err(at)?;
            if !resources.insert(r.key.as_str()) {
                return Err(at(
                    "this key is used twice; give each resource its own".into()
                ));
            }
            if r.title.trim().is_empty() {
                return Err(at("give the resource a title".into()));
            }
            check_welsh(r.cy.as_ref(), &["title", "description"], &[]).map_err(at)?;
            if let Some(url) = &r.url {
                let place = Place::ResourceUrl(i);
                check_link(url)
                    .map_err(|m| (place, format!("resource {:?}: url {url:?} {m}", r.key)))?;
            }
            if let Some(w) = r
                .workstreams
                .iter()
                .find(|w| !workstreams.contains(w.as_str()))
            {
                return Err(at(format!(
                    "workstream {w:?} is not defined; add a [[workstream]] with that key"
                )));
            }
        }
        Ok(resources)
    }

    fn check_surveys(&self, resources: &HashSet<&str>, complete: bool) -> Result<(), Refusal> {
        let mut slugs = HashSet::new();
        for (s, survey) in self.surveys.iter().enumerate() {
            let at = |m: String| (Place::Survey(s), format!("survey {:?}: {m}", survey.slug));
            check_slug(&survey.slug).map_err(at)?;
            if !slugs.insert(survey.slug.as_str()) {
                return Err(at(
                    "this slug is used twice; give each survey its own".into()
                ));
            }
            if let Some(r) = &survey.resource
                && !resources.contains(r.as_str())
            {
                return Err(at(format!(
                    "resource {r:?} is not defined; add a [[resource]] with that key"
                )));
            }
            check_welsh(survey.cy.as_ref(), &["title", "intro"], &[]).map_err(at)?;
            if survey.embedded {
                check_embedded(&survey.questions).map_err(at)?;
            }
            if complete && survey.questions.is_empty() {
                return Err(at("add at least one [[survey.question]]".into()));
            }
            check_questions(&survey.questions).map_err(|(q, m)| {
                (
                    Place::Question(s, q),
                    format!("survey {:?}, question {}: {m}", survey.slug, q + 1),
                )
            })?;
        }
        Ok(())
    }
}

fn check_questions(questions: &[Question]) -> Result<(), (usize, String)> {
    let mut keys = HashSet::new();
    let (mut organisations, mut emails) = (0, 0);
    for (i, q) in questions.iter().enumerate() {
        let fail = |m: String| Err((i, m));
        if let Err(m) = check_key(&q.key) {
            return fail(format!("key: {m}"));
        }
        if !keys.insert(q.key.as_str()) {
            return fail(format!("key {:?} is used twice in this survey", q.key));
        }
        if q.text.trim().is_empty() {
            return fail("give the question a text".into());
        }
        organisations += usize::from(q.kind == QuestionKind::Organisation);
        emails += usize::from(q.kind == QuestionKind::Email);
        if organisations > 1 || emails > 1 {
            return fail(
                "a survey can ask for one organisation and one email address at most".into(),
            );
        }
        if q.kind.has_options() {
            if q.options.len() < 2 {
                return fail("give a single or multi question at least two options".into());
            }
            let mut values = HashSet::new();
            for o in &q.options {
                if check_key(&o.value).is_err() {
                    return fail(format!(
                        "option value {:?}: use a-z, 0-9 and _ only",
                        o.value
                    ));
                }
                if !values.insert(o.value.as_str()) || o.label.trim().is_empty() {
                    return fail(format!("option {:?} is repeated or has no label", o.value));
                }
            }
        } else if !q.options.is_empty() {
            return fail(format!(
                "a {:?} question takes no options; remove them",
                q.kind
            ));
        }
        if q.kind.scale().is_none() && (q.low_label.is_some() || q.high_label.is_some()) {
            return fail("low_label and high_label are only for rating and nps questions".into());
        }
        let mut welsh = vec!["text", "hint", "error"];
        if q.kind.scale().is_some() {
            welsh.extend(["low_label", "high_label"]);
        }
        if q.kind.has_options() {
            welsh.push("options");
        }
        let codes: Vec<&str> = q.options.iter().map(|o| o.value.as_str()).collect();
        if let Err(m) = check_welsh(q.cy.as_ref(), &welsh, &codes) {
            return fail(m);
        }
        if let Some(own) = q.max_chars {
            match q.kind.max_chars() {
                Some(most) if (1..=most).contains(&own) => {}
                Some(most) => {
                    return fail(format!("max_chars {own} is out of range: use 1 to {most}"));
                }
                None => return fail("max_chars is only for text and long_text questions".into()),
            }
        }
    }
    Ok(())
}

/// What the embeddable form can ask: "Was this useful?" as a yes-or-no
/// question, then, after "No", one long text.
fn check_embedded(questions: &[Question]) -> Result<(), String> {
    let kinds: Vec<QuestionKind> = questions.iter().map(|q| q.kind).collect();
    if questions.get(1).is_some_and(|q| q.required) {
        return Err(
            "the long_text question of an embedded survey is asked after \"No\" on a page of its own: make it optional (required = false)"
                .into(),
        );
    }
    match kinds.as_slice() {
        [] | [QuestionKind::YesNo] | [QuestionKind::YesNo, QuestionKind::LongText] => Ok(()),
        _ => Err(
            "an embedded survey asks one yes_no question, then optionally one long_text question asked after \"No\"; make it a normal survey to ask more"
                .into(),
        ),
    }
}

/// The Welsh words of an element: only the fields it has in English
/// (`allowed`), and options only by codes the question has.
fn check_welsh(cy: Option<&Welsh>, allowed: &[&str], codes: &[&str]) -> Result<(), String> {
    let Some(cy) = cy else {
        return Ok(());
    };
    if let Some(field) = cy.given().into_iter().find(|f| !allowed.contains(f)) {
        return Err(format!(
            "cy.{field} has no English field to translate here; the Welsh it can take is {}",
            allowed
                .iter()
                .map(|f| format!("cy.{f}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if let Some(code) = cy.options.keys().find(|c| !codes.contains(&c.as_str())) {
        return Err(format!(
            "cy.options names {code:?}, which is not an option of this question; use the option's value"
        ));
    }
    Ok(())
}

/// A link shown to respondents: `https:`, `http:` or relative, nothing a
/// browser would run (`javascript:`, `data:`) or read differently from us.
pub(super) fn check_link(url: &str) -> Result<(), String> {
    if url.is_empty() {
        return Err("is empty: give the address of the resource, or leave url out".into());
    }
    if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err("contains a space or control character: write it as one address".into());
    }
    let scheme = url
        .split_once(':')
        .map(|(before, _)| before)
        .filter(|before| !before.contains(['/', '?', '#']));
    match scheme {
        None => Ok(()),
        Some(s) if s.eq_ignore_ascii_case("https") || s.eq_ignore_ascii_case("http") => {
            if url[s.len()..].starts_with("://") && url.len() > s.len() + 3 {
                Ok(())
            } else {
                Err("needs a host after the scheme, such as https://www.gov.uk/…".into())
            }
        }
        Some(_) => {
            Err("is not allowed: use an https:// or http:// address, or a path on this site".into())
        }
    }
}

/// Checks a slug: lowercase letters, digits and single hyphens, at most 64 characters.
pub(super) fn check_slug(slug: &str) -> Result<(), String> {
    let ok = !slug.is_empty()
        && slug.len() <= 64
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{slug:?} must be 1 to 64 characters of a-z, 0-9 and -"
        ))
    }
}

/// Checks a key: lowercase letters, digits and underscores, at most 64 characters.
pub(super) fn check_key(key: &str) -> Result<(), String> {
    let ok = !key.is_empty()
        && key.len() <= 64
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !key.starts_with(|c: char| c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{key:?} must be 1 to 64 characters of a-z, 0-9 and _, not starting with a digit"
        ))
    }
}
