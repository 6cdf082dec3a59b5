//! What a digest says: for each resource a workstream owns, what came in
//! during the period and how it compares with the period before.

use crate::domain::filter::ResponseFilter;
use crate::domain::lang::Lang;
use crate::domain::question::{Question, QuestionKind};
use crate::domain::results::{Bar, summarise};
use crate::mail::Email;
use crate::store::{self, comments::Search, digests::Subscription};
use chrono::{DateTime, Datelike, Duration, Utc};
use chrono_tz::Tz;
use minijinja::context;
use minijinja::value::Serde;
use sea_orm::{DatabaseConnection, DbErr};
use serde::Serialize;

/// Longest comment quoted in full; longer ones are cut with a link to the rest.
const COMMENT_CHARS: usize = 280;
/// Comments quoted per resource.
const COMMENTS: u64 = 5;

/// A comment as quoted in a digest.
#[derive(Debug, Clone, Serialize)]
pub struct Quote {
    /// The text, cut at a word boundary if long.
    pub text: String,
    /// Whether it was cut.
    pub cut: bool,
    /// Who said it.
    pub organisation: String,
    /// The question it answers.
    pub question: String,
    /// Where to read it whole.
    pub url: String,
}

/// One resource's part of a digest.
#[derive(Debug, Clone, Serialize)]
pub struct ResourcePart {
    /// The resource's title.
    pub title: String,
    /// Responses in the period.
    pub new: i64,
    /// Responses up to the end of the period.
    pub total: i64,
    /// Mean usefulness in the period and the period before.
    pub mean: Option<f64>,
    /// As above, the period before.
    pub mean_before: Option<f64>,
    /// NPS in the period.
    pub nps: Option<i64>,
    /// NPS the period before.
    pub nps_before: Option<i64>,
    /// The usefulness distribution in the period.
    pub bars: Vec<Bar>,
    /// The latest comments.
    pub quotes: Vec<Quote>,
    /// Comments not quoted.
    pub more: i64,
    /// The results page filtered to the period.
    pub results_url: String,
    /// For the embeddable "Was this useful?": yes and no in the period.
    pub useful: Option<(i64, i64)>,
}

/// A digest, ready to render.
#[derive(Debug, Clone, Serialize)]
pub struct Digest {
    /// The campaign's title.
    pub campaign: String,
    /// The workstream's name.
    pub workstream: String,
    /// "20–26 November 2026".
    pub period: String,
    /// Responses in the period, all resources.
    pub new: i64,
    /// Of those, the ones given in Welsh.
    pub in_welsh: i64,
    /// One part per resource owned.
    pub resources: Vec<ResourcePart>,
    /// Organisations responding for the first time.
    pub new_organisations: Vec<String>,
    /// Councils covered before and after the period.
    pub councils_before: i64,
    /// As above, after.
    pub councils_after: i64,
    /// The period's CSV export (sign-in needed).
    pub export_url: String,
    /// Where to change subscriptions.
    pub manage_url: String,
    /// The campaign's outreach: invited organisations and how many responded.
    pub rate: Option<crate::store::contacts::rates::Rate>,
}

/// Local dates of `[start, end)`: "20–26 November 2026".
pub fn period_label(start: DateTime<Utc>, end: DateTime<Utc>, tz: Tz) -> String {
    let first = start.with_timezone(&tz).date_naive();
    let last = (end - Duration::seconds(1)).with_timezone(&tz).date_naive();
    if first == last {
        first.format("%-d %B %Y").to_string()
    } else if first.month() == last.month() && first.year() == last.year() {
        format!("{}–{}", first.format("%-d"), last.format("%-d %B %Y"))
    } else if first.year() == last.year() {
        format!("{} – {}", first.format("%-d %B"), last.format("%-d %B %Y"))
    } else {
        format!(
            "{} – {}",
            first.format("%-d %B %Y"),
            last.format("%-d %B %Y")
        )
    }
}

fn cut(text: &str) -> (String, bool) {
    if text.chars().count() <= COMMENT_CHARS {
        return (text.to_string(), false);
    }
    let head: String = text.chars().take(COMMENT_CHARS).collect();
    let at = head
        .rfind(char::is_whitespace)
        .filter(|i| *i > COMMENT_CHARS / 2)
        .unwrap_or(head.len());
    (format!("{}…", head[..at].trim_end()), true)
}

/// The period of a digest and what its links need.
struct Period<'a> {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    tz: Tz,
    base_url: &'a str,
}

impl Period<'_> {
    /// The period of the same length just before.
    fn before(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        (self.start - (self.end - self.start), self.start)
    }

    /// The period as the filters of a link: `since=…&until=…` (local dates).
    fn query(&self) -> String {
        let last = (self.end - Duration::seconds(1))
            .with_timezone(&self.tz)
            .date_naive();
        let first = self.start.with_timezone(&self.tz).date_naive();
        format!("since={first}&until={last}")
    }
}

/// Builds the digest of `sub` for `[start, end)`: one part per survey of
/// each resource the workstream owns.
///
/// # Errors
/// The database's error.
pub async fn build(
    db: &DatabaseConnection,
    sub: &Subscription,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
    tz: Tz,
    base_url: &str,
) -> Result<Digest, DbErr> {
    let period = Period {
        start,
        end,
        tz,
        base_url,
    };
    let campaign = store::campaigns::outline(db, sub.campaign_id).await?;
    let owned = campaign
        .resources
        .iter()
        .filter(|r| r.workstreams.contains(&sub.workstream_key));
    let mut parts = Vec::new();
    let mut slugs = Vec::new();
    for resource in owned {
        for survey in &resource.surveys {
            slugs.push(survey.slug.clone());
            let title = if survey.embedded {
                format!(
                    "{}: “{}” on the campaign’s pages",
                    resource.title, survey.title
                )
            } else {
                resource.title.clone()
            };
            parts.push((title, survey.slug.clone()));
        }
    }
    // The parts and the figures are independent queries: run together, a
    // server (or SQLite's readers in WAL) answers them side by side.
    let each_part = parts
        .iter()
        .map(|(title, slug)| resource_part(db, title, slug, &period));
    let (parts, in_welsh, new_organisations, councils_before, councils_after) = tokio::try_join!(
        futures_util::future::try_join_all(each_part),
        store::stats::responses_in(db, &slugs, (start, end), Lang::Cy),
        store::stats::first_time_organisations(db, &slugs, (start, end)),
        store::stats::councils_covered(db, &slugs, start),
        store::stats::councils_covered(db, &slugs, end),
    )?;
    let resources: Vec<ResourcePart> = parts.into_iter().flatten().collect();
    Ok(Digest {
        campaign: campaign.title,
        workstream: sub.workstream_name.clone(),
        period: period_label(start, end, tz),
        new: resources.iter().map(|r| r.new).sum(),
        in_welsh,
        new_organisations,
        councils_before,
        councils_after,
        resources,
        export_url: format!(
            "{base_url}/admin/export.csv?{}&{}",
            serde_urlencoded::to_string([("workstream", &sub.workstream_key)]).unwrap_or_default(),
            period.query()
        ),
        manage_url: format!("{base_url}/admin/digests"),
        rate: Some(
            store::contacts::rates::rates(db, sub.campaign_id)
                .await?
                .overall,
        )
        .filter(|r| r.invited > 0),
    })
}

/// One survey's part: its figures now and the period before, and the
/// latest comments. `None` for a survey that no longer exists.
async fn resource_part(
    db: &DatabaseConnection,
    title: &str,
    slug: &str,
    period: &Period<'_>,
) -> Result<Option<ResourcePart>, DbErr> {
    let Some(record) = store::surveys::find(db, slug, None).await? else {
        return Ok(None);
    };
    let (window, tz) = ((period.start, period.end), &period.tz);
    let filter = ResponseFilter {
        survey: Some(slug.to_string()),
        ..ResponseFilter::default()
    };
    let now = store::stats::scale_counts(db, &filter, tz, Some(window)).await?;
    let then = store::stats::scale_counts(db, &filter, tz, Some(period.before())).await?;
    let summary = |kind: QuestionKind, counts: &store::stats::SurveyCounts| {
        let q = record.questions.iter().find(|q| q.kind == kind)?;
        let empty = Default::default();
        let answered = counts.answered.get(&q.key).copied().unwrap_or(0);
        (answered > 0).then(|| summarise(q, counts.values.get(&q.key).unwrap_or(&empty), answered))
    };
    let rating = summary(QuestionKind::Rating, &now);
    let (quotes, total_comments) = quotes(db, &filter, &record.questions, period).await?;
    Ok(Some(ResourcePart {
        title: title.to_string(),
        new: now.responses,
        total: store::stats::responses_before(db, &[slug.to_string()], period.end).await?,
        mean: rating.as_ref().and_then(|s| s.mean),
        mean_before: summary(QuestionKind::Rating, &then).and_then(|s| s.mean),
        nps: summary(QuestionKind::Nps, &now)
            .and_then(|s| s.nps)
            .map(|n| n.score),
        nps_before: summary(QuestionKind::Nps, &then)
            .and_then(|s| s.nps)
            .map(|n| n.score),
        bars: rating.map(|s| s.bars).unwrap_or_default(),
        more: total_comments - quotes.len() as i64,
        quotes,
        results_url: format!(
            "{}/admin/surveys/{slug}?{}",
            period.base_url,
            period.query()
        ),
        useful: record
            .embedded
            .then(|| {
                record
                    .questions
                    .iter()
                    .find(|q| q.kind == QuestionKind::YesNo)
            })
            .flatten()
            .map(|q| {
                let counts = now.values.get(&q.key);
                let of = |v: &str| counts.and_then(|c| c.get(v)).copied().unwrap_or(0);
                (of("yes"), of("no"))
            }),
    }))
}

/// The period's comments to quote, cut to length, and how many there are.
/// Chosen by question: the long answers ("what is missing, or what should
/// change") first, newest first, then the short ones, so a list of
/// standards does not crowd out what people asked for.
async fn quotes(
    db: &DatabaseConnection,
    filter: &ResponseFilter,
    questions: &[Question],
    period: &Period<'_>,
) -> Result<(Vec<Quote>, i64), DbErr> {
    let long = questions
        .iter()
        .filter(|q| q.kind == QuestionKind::LongText);
    let short = questions.iter().filter(|q| q.kind == QuestionKind::Text);
    let free_text: Vec<&Question> = long.chain(short).collect();
    let mut quotes = Vec::new();
    let mut total = 0;
    for question in free_text {
        let search = Search {
            window: Some((period.start, period.end)),
            question: Some(question.key.clone()),
            ..Search::default()
        };
        let room = COMMENTS.saturating_sub(quotes.len() as u64);
        let (comments, count) =
            store::comments::page(db, filter, &period.tz, &search, room, 0).await?;
        total += count;
        quotes.extend(comments.into_iter().map(|c| {
            let (text, was_cut) = cut(&c.text);
            Quote {
                text,
                cut: was_cut,
                organisation: c.organisation,
                question: question.text.clone(),
                url: format!("{}/admin/responses/{}", period.base_url, c.reference),
            }
        }));
    }
    Ok((quotes, total))
}

/// Renders the digest as an email to `to`, with a Message-ID fixed for this delivery.
///
/// # Errors
/// A template bug.
pub fn render(digest: &Digest, to: &str, message_id: String) -> Result<Email, minijinja::Error> {
    Email::from_templates("digest", context! { d => Serde(digest) }, to, message_id)
}

#[cfg(test)]
mod tests;
