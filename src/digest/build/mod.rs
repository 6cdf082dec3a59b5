//! What a digest says: for each resource a workstream owns, what came in
//! during the period and how it compares with the period before.

use crate::domain::filter::ResponseFilter;
use crate::domain::question::{Question, QuestionKind};
use crate::domain::results::{Bar, summarise};
use crate::mail::Email;
use crate::store::stats::{DigestCounts, DigestKeys};
use crate::store::{self, comments::Search, digests::Subscription};
use chrono::{DateTime, Datelike, Duration, Utc};
use chrono_tz::Tz;
use minijinja::context;
use minijinja::value::Serde;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, DbErr, TransactionTrait};
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
    window: (DateTime<Utc>, DateTime<Utc>),
    tz: Tz,
    base_url: &str,
) -> Result<Digest, DbErr> {
    // SQLite's readers share its page cache behind one lock: side by side
    // they wait on each other (2.1 s against 1.3 s one after another for
    // 100,000 responses, bench/README.md). There the queries run in turn on
    // one read transaction, which also gives every figure the same snapshot.
    if db.get_database_backend() == DbBackend::Sqlite {
        let txn = db.begin().await?;
        let digest = build_on(&txn, sub, window, tz, base_url).await;
        txn.rollback().await?;
        return digest;
    }
    build_on(db, sub, window, tz, base_url).await
}

async fn build_on(
    db: &impl ConnectionTrait,
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
    // The surveys first, for the questions counted; then every count in
    // three grouped passes over the period's responses, and the rest beside
    // them: a server (or SQLite's readers in WAL) answers side by side.
    let found: Vec<Found> =
        futures_util::future::try_join_all(parts.iter().map(|(title, slug)| find(db, title, slug)))
            .await?
            .into_iter()
            .flatten()
            .collect();
    let keys = counted_keys(&found);
    let periods = store::stats::Periods {
        before: period.before().0,
        start,
        end,
    };
    let each_quotes = found.iter().map(|survey| quotes(db, survey, &period));
    let (quotes, figures, new_organisations, councils_before, councils_after, rates) = tokio::try_join!(
        futures_util::future::try_join_all(each_quotes),
        store::stats::digest_counts(db, &slugs, &keys, periods),
        store::stats::first_time_organisations(db, &slugs, (start, end)),
        store::stats::councils_covered(db, &slugs, start),
        store::stats::councils_covered(db, &slugs, end),
        store::contacts::rates::rates(db, sub.campaign_id),
    )?;
    let in_welsh = figures.values().map(|f| f.in_welsh).sum();
    let resources: Vec<ResourcePart> = found
        .into_iter()
        .zip(quotes)
        .map(|(survey, quotes)| {
            let counts = figures.get(&survey.slug);
            survey.part(quotes, counts, &period)
        })
        .collect();
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
        rate: Some(rates.overall).filter(|r| r.invited > 0),
    })
}

/// A survey of the digest as found.
struct Found {
    title: String,
    slug: String,
    record: store::surveys::SurveyRecord,
}

/// Finds one survey. `None` for a survey that no longer exists.
async fn find(db: &impl ConnectionTrait, title: &str, slug: &str) -> Result<Option<Found>, DbErr> {
    Ok(store::surveys::find(db, slug, None)
        .await?
        .map(|record| Found {
            title: title.to_string(),
            slug: slug.to_string(),
            record,
        }))
}

/// The keys of the questions the digest counts, over all its surveys.
fn counted_keys(found: &[Found]) -> DigestKeys {
    let mut keys = DigestKeys::default();
    for survey in found {
        let shown = [
            survey.first(QuestionKind::Rating),
            survey.first(QuestionKind::Nps),
            survey.useful(),
        ];
        keys.values
            .extend(shown.into_iter().flatten().map(|q| q.key.clone()));
        keys.comments
            .extend(survey.free_text().map(|q| q.key.clone()));
    }
    for list in [&mut keys.values, &mut keys.comments] {
        list.sort();
        list.dedup();
    }
    keys
}

impl Found {
    /// The survey's first question of `kind`: the one a digest shows.
    fn first(&self, kind: QuestionKind) -> Option<&Question> {
        self.record.questions.iter().find(|q| q.kind == kind)
    }

    /// For the embeddable "Was this useful?": its yes/no question.
    fn useful(&self) -> Option<&Question> {
        self.record
            .embedded
            .then(|| self.first(QuestionKind::YesNo))
            .flatten()
    }

    /// The free-text questions, the long answers ("what is missing, or what
    /// should change") first, so a list of standards does not crowd out what
    /// people asked for.
    fn free_text(&self) -> impl Iterator<Item = &Question> {
        let of = |kind| self.record.questions.iter().filter(move |q| q.kind == kind);
        of(QuestionKind::LongText).chain(of(QuestionKind::Text))
    }

    /// The survey's part: its figures now and the period before (`None`:
    /// no responses up to the end of the period) and the quotes.
    fn part(
        self,
        quotes: Vec<Quote>,
        figures: Option<&DigestCounts>,
        period: &Period<'_>,
    ) -> ResourcePart {
        let empty = DigestCounts::default();
        let figures = figures.unwrap_or(&empty);
        let summary = |q: Option<&Question>, counts: &store::stats::SurveyCounts| {
            let q = q?;
            let none = Default::default();
            let answered = counts.answered.get(&q.key).copied().unwrap_or(0);
            (answered > 0)
                .then(|| summarise(q, counts.values.get(&q.key).unwrap_or(&none), answered))
        };
        let (now, then) = (&figures.now, &figures.before);
        let (rating, nps) = (
            self.first(QuestionKind::Rating),
            self.first(QuestionKind::Nps),
        );
        let rating_now = summary(rating, now);
        let comments: i64 = self
            .free_text()
            .filter_map(|q| figures.comments.get(&q.key))
            .sum();
        let useful = self.useful().map(|q| {
            let counts = now.values.get(&q.key);
            let of = |v: &str| counts.and_then(|c| c.get(v)).copied().unwrap_or(0);
            (of("yes"), of("no"))
        });
        ResourcePart {
            new: now.responses,
            total: figures.total,
            mean: rating_now.as_ref().and_then(|s| s.mean),
            mean_before: summary(rating, then).and_then(|s| s.mean),
            nps: summary(nps, now).and_then(|s| s.nps).map(|n| n.score),
            nps_before: summary(nps, then).and_then(|s| s.nps).map(|n| n.score),
            bars: rating_now.map(|s| s.bars).unwrap_or_default(),
            more: comments - quotes.len() as i64,
            quotes,
            results_url: format!(
                "{}/admin/surveys/{}?{}",
                period.base_url,
                self.slug,
                period.query()
            ),
            useful,
            title: self.title,
        }
    }
}

/// The period's comments to quote, cut to length: newest first, question by
/// question in the order of [`Found::free_text`].
async fn quotes(
    db: &impl ConnectionTrait,
    survey: &Found,
    period: &Period<'_>,
) -> Result<Vec<Quote>, DbErr> {
    let filter = ResponseFilter {
        survey: Some(survey.slug.clone()),
        ..ResponseFilter::default()
    };
    let mut quotes = Vec::new();
    for question in survey.free_text() {
        let room = COMMENTS.saturating_sub(quotes.len() as u64);
        if room == 0 {
            break;
        }
        let search = Search {
            window: Some((period.start, period.end)),
            question: Some(question.key.clone()),
            ..Search::default()
        };
        let comments = store::comments::list(db, &filter, &period.tz, &search, room, 0).await?;
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
    Ok(quotes)
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
