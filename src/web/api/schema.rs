//! What the API returns, as Rust types the OpenAPI document is made from.

use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// A campaign.
#[derive(Debug, Serialize, ToSchema)]
pub struct Campaign {
    /// Its address and key.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// What it is about.
    pub description: String,
    /// First day open (local), if set.
    pub opens_on: Option<NaiveDate>,
    /// Last day open (local), if set.
    pub closes_on: Option<NaiveDate>,
    /// Its surveys' slugs, in order.
    pub surveys: Vec<String>,
}

/// A survey with the codebook of each of its versions.
#[derive(Debug, Serialize, ToSchema)]
pub struct Survey {
    /// Its address and key.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// Its campaign's slug.
    pub campaign: String,
    /// The resource it asks about, or null for the campaign as a whole.
    pub resource: Option<String>,
    /// Answered by the embeddable "Was this useful?" form.
    pub embedded: bool,
    /// Each version, oldest first.
    pub versions: Vec<Version>,
}

/// One version of a survey: what it asked.
#[derive(Debug, Serialize, ToSchema)]
pub struct Version {
    /// 1, 2, …
    pub version: i32,
    /// Its questions, in order.
    pub questions: Vec<QuestionCodes>,
}

/// A question: its key (the answers' key), kind, text and answer codes.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionCodes {
    /// Stable across versions.
    pub key: String,
    /// rating, nps, single, multi, yes_no, text, long_text, organisation, email.
    pub kind: String,
    /// The question as asked.
    pub text: String,
    /// Whether it must be answered.
    pub required: bool,
    /// Each answer code with its label (none for free text).
    pub options: Vec<OptionCode>,
}

/// An answer code and its label.
#[derive(Debug, Serialize, ToSchema)]
pub struct OptionCode {
    /// As stored and exported.
    pub code: String,
    /// As shown.
    pub label: String,
}

/// A response, keyed as in the JSON Lines export.
#[derive(Debug, Serialize, serde::Deserialize, ToSchema)]
pub struct Response {
    /// The reference the respondent was given.
    pub reference: String,
    /// UTC, to the second.
    pub submitted_at: String,
    /// The campaign's slug.
    pub campaign: String,
    /// The resource's key, or null.
    pub resource: Option<String>,
    /// The survey's slug.
    pub survey: String,
    /// The version answered.
    pub survey_version: i32,
    /// `en` or `cy`.
    pub language: String,
    /// The council's register code, for councils.
    pub organisation_code: Option<String>,
    /// The council's GSS code.
    pub organisation_gss_code: Option<String>,
    /// The council's name, or the other organisation's.
    pub organisation_name: Option<String>,
    /// The council's type.
    pub organisation_type: Option<String>,
    /// The council's nation.
    pub nation: Option<String>,
    /// The council's region.
    pub region: Option<String>,
    /// For other organisations: their sector.
    pub other_organisation_sector: Option<String>,
    /// Answers by question key: a number for scores, a string for one
    /// choice or text, an array of strings for several choices.
    pub answers: BTreeMap<String, serde_json::Value>,
}

/// A page of responses.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResponsePage {
    /// The responses, oldest first.
    pub data: Vec<Response>,
    /// Pass as `cursor` for the next page; null after the last.
    pub next_cursor: Option<String>,
}

/// A survey's figures, as on the results page.
#[derive(Debug, Serialize, ToSchema)]
pub struct Figures {
    /// The survey's slug.
    pub survey: String,
    /// Responses matching the filter.
    pub responses: i64,
    /// Each scale or choice question answered.
    pub questions: Vec<QuestionFigures>,
}

/// One question's figures.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionFigures {
    /// Its key.
    pub key: String,
    /// Its kind.
    pub kind: String,
    /// Responses that answered it.
    pub answered: i64,
    /// How many gave each code.
    pub counts: BTreeMap<String, i64>,
    /// The mean score, for ratings.
    pub mean: Option<f64>,
    /// The Net Promoter Score (-100 to 100), for NPS questions.
    pub nps: Option<i64>,
}
