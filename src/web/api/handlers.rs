//! The API's handlers: campaigns, surveys with their codebooks, responses
//! by cursor with the export's filters, and a survey's figures.

use super::params::{FilterParams, PageParams, cursor_of, params, parse_cursor};
use super::problem::Problem;
use super::schema::{
    Campaign, Figures, OptionCode, QuestionCodes, QuestionFigures, Response, ResponsePage, Survey,
    Version,
};
use crate::domain::filter::ResponseFilter;
use crate::store::export::{self as queries, ScopeError};
use crate::web::AppState;
use axum::Json;
use axum::extract::{Path, RawQuery, State};

type ApiResult<T> = Result<Json<T>, Problem>;

impl From<ScopeError> for Problem {
    fn from(e: ScopeError) -> Self {
        match e {
            // A well-formed name of nothing: not found, naming the parameter.
            ScopeError::Unknown(f) => Problem {
                parameter: Some(f.field.into()),
                ..Problem::not_found(&format!("The filter {f}"))
            },
            ScopeError::Db(e) => e.into(),
        }
    }
}

/// Every campaign, oldest first.
#[utoipa::path(get, path = "/api/v1/campaigns", tag = "campaigns",
    responses((status = 200, description = "Every campaign", body = [Campaign]), (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"), (status = 429, description = "Over the token's rate limit", body = Problem, content_type = "application/problem+json"), (status = 503, description = "The database did not answer", body = Problem, content_type = "application/problem+json")))]
pub async fn campaigns(State(state): State<AppState>) -> ApiResult<Vec<Campaign>> {
    let outlines = crate::store::campaigns::outlines(&state.db).await?;
    Ok(Json(
        outlines
            .into_iter()
            .map(|c| Campaign {
                surveys: c
                    .resources
                    .iter()
                    .flat_map(|r| r.surveys.iter())
                    .chain(&c.whole)
                    .map(|s| s.slug.clone())
                    .collect(),
                slug: c.slug,
                title: c.title,
                description: c.description,
                opens_on: c.opens_on,
                closes_on: c.closes_on,
            })
            .collect(),
    ))
}

async fn surveys_matching(state: &AppState, only: Option<&str>) -> Result<Vec<Survey>, Problem> {
    let mut out = Vec::new();
    for campaign in crate::store::campaigns::outlines(&state.db).await? {
        let mut listed: Vec<(Option<String>, crate::store::campaigns::SurveyOutline)> = Vec::new();
        for r in &campaign.resources {
            listed.extend(r.surveys.iter().map(|s| (Some(r.key.clone()), s.clone())));
        }
        listed.extend(campaign.whole.iter().map(|s| (None, s.clone())));
        for (resource, outline) in listed {
            if only.is_some_and(|slug| slug != outline.slug) {
                continue;
            }
            let filter = ResponseFilter {
                survey: Some(outline.slug.clone()),
                ..ResponseFilter::default()
            };
            let versions = queries::survey_versions(&state.db, &filter).await?;
            out.push(Survey {
                slug: outline.slug.clone(),
                title: outline.title.clone(),
                campaign: campaign.slug.clone(),
                resource,
                embedded: outline.embedded,
                versions: versions
                    .into_iter()
                    .map(|v| Version {
                        version: v.version,
                        questions: v
                            .questions
                            .iter()
                            .map(|q| QuestionCodes {
                                key: q.key.clone(),
                                kind: q.kind.as_str().into(),
                                text: q.text.clone(),
                                required: q.required,
                                options: q
                                    .codes()
                                    .into_iter()
                                    .map(|(code, label)| OptionCode { code, label })
                                    .collect(),
                            })
                            .collect(),
                    })
                    .collect(),
            });
        }
    }
    Ok(out)
}

/// Every survey with the codebook of each version.
#[utoipa::path(get, path = "/api/v1/surveys", tag = "surveys",
    responses((status = 200, description = "Every survey", body = [Survey]), (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"), (status = 429, description = "Over the token's rate limit", body = Problem, content_type = "application/problem+json"), (status = 503, description = "The database did not answer", body = Problem, content_type = "application/problem+json")))]
pub async fn surveys(State(state): State<AppState>) -> ApiResult<Vec<Survey>> {
    Ok(Json(surveys_matching(&state, None).await?))
}

/// One survey with the codebook of each version.
#[utoipa::path(get, path = "/api/v1/surveys/{slug}", tag = "surveys",
    params(("slug" = String, Path, description = "The survey's slug")),
    responses((status = 200, description = "The survey", body = Survey), (status = 404, description = "No such survey, or a filter naming nothing", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"), (status = 429, description = "Over the token's rate limit", body = Problem, content_type = "application/problem+json"), (status = 503, description = "The database did not answer", body = Problem, content_type = "application/problem+json")))]
pub async fn survey(State(state): State<AppState>, Path(slug): Path<String>) -> ApiResult<Survey> {
    surveys_matching(&state, Some(&slug))
        .await?
        .pop()
        .map(Json)
        .ok_or_else(|| {
            Problem::not_found(&format!(
                "There is no survey {slug:?}: /api/v1/surveys lists them"
            ))
        })
}

/// Responses matching the filters, oldest first, a page at a time.
#[utoipa::path(get, path = "/api/v1/responses", tag = "responses",
    params(FilterParams, PageParams),
    responses((status = 200, description = "A page of responses", body = ResponsePage), (status = 404, description = "A filter naming nothing", body = Problem, content_type = "application/problem+json"), (status = 400, description = "A parameter that cannot be used", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"), (status = 429, description = "Over the token's rate limit", body = Problem, content_type = "application/problem+json"), (status = 503, description = "The database did not answer", body = Problem, content_type = "application/problem+json")))]
pub async fn responses(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> ApiResult<ResponsePage> {
    let (filter, page): (FilterParams, PageParams) = (params(&query)?, params(&query)?);
    let limit = match page.limit.as_deref() {
        None => 100,
        Some(l) => l
            .parse::<u64>()
            .ok()
            .filter(|n| (1..=1000).contains(n))
            .ok_or_else(|| {
                Problem::bad_parameter(
                    "limit",
                    format!("{l:?} is not a whole number from 1 to 1000"),
                )
            })?,
    };
    let after = match page.cursor.as_deref() {
        None => None,
        Some(c) => Some(parse_cursor(c).ok_or_else(|| {
            Problem::bad_parameter(
                "cursor",
                "Pass the next_cursor of the page before, unchanged".into(),
            )
        })?),
    };
    let Some(filter) = filter.parse()? else {
        return Ok(Json(ResponsePage {
            data: Vec::new(),
            next_cursor: None,
        }));
    };
    queries::survey_versions(&state.db, &filter).await?; // names that exist
    let rows = queries::page(&state.db, &filter, &state.config.timezone, after, limit + 1).await?;
    let more = rows.len() as u64 > limit;
    let shown = &rows[..rows.len().min(usize::try_from(limit).unwrap_or(usize::MAX))];
    let next_cursor = more
        .then(|| shown.last())
        .flatten()
        .and_then(|last| match &last.fixed[1] {
            crate::store::export::Cell::Time(at) => cursor_of(*at, last.id),
            _ => None,
        });
    let data = shown
        .iter()
        .map(|row| serde_json::from_value(crate::export::jsonl::record(row, false, None)))
        .collect::<Result<Vec<Response>, _>>()
        .map_err(|e| Problem::unavailable(&e))?;
    Ok(Json(ResponsePage { data, next_cursor }))
}

/// A survey's figures for the filters: responses, and each scale or
/// choice question's counts, mean and NPS.
#[utoipa::path(get, path = "/api/v1/surveys/{slug}/figures", tag = "surveys",
    params(("slug" = String, Path, description = "The survey's slug"), FilterParams),
    responses((status = 200, description = "The figures", body = Figures), (status = 404, description = "No such survey, or a filter naming nothing", body = Problem, content_type = "application/problem+json"),
        (status = 400, description = "A parameter that cannot be used", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"), (status = 429, description = "Over the token's rate limit", body = Problem, content_type = "application/problem+json"), (status = 503, description = "The database did not answer", body = Problem, content_type = "application/problem+json")))]
pub async fn figures(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    RawQuery(query): RawQuery,
) -> ApiResult<Figures> {
    let filter: FilterParams = params(&query)?;
    let parsed = filter.parse()?;
    let Some(record) = crate::store::surveys::find(&state.db, &slug, None).await? else {
        return Err(Problem::not_found(&format!(
            "There is no survey {slug:?}: /api/v1/surveys lists them"
        )));
    };
    let Some(mut filter) = parsed else {
        return Ok(Json(Figures {
            survey: slug,
            responses: 0,
            questions: Vec::new(),
        }));
    };
    filter.survey = Some(slug.clone());
    queries::survey_versions(&state.db, &filter).await?;
    let counts =
        crate::store::stats::scale_counts(&state.db, &filter, &state.config.timezone, None).await?;
    let questions = record
        .questions
        .iter()
        .filter_map(|q| {
            let values = counts.values.get(&q.key)?;
            let answered = counts.answered.get(&q.key).copied().unwrap_or(0);
            // The results page's own arithmetic, so the two always agree.
            let summary = crate::domain::results::summarise(q, values, answered);
            let counts: std::collections::BTreeMap<String, i64> =
                values.iter().map(|(k, v)| (k.clone(), *v)).collect();
            Some(QuestionFigures {
                key: q.key.clone(),
                kind: q.kind.as_str().into(),
                answered,
                counts,
                mean: summary.mean,
                nps: summary.nps.map(|n| n.score),
            })
        })
        .collect();
    Ok(Json(Figures {
        survey: slug,
        responses: counts.responses,
        questions,
    }))
}
