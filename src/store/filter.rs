//! SQL over responses with a [`ResponseFilter`]: one place where the joins
//! and the conditions are written, for results, exports and digests.

use crate::domain::filter::ResponseFilter;
use sea_orm::{DbBackend, Statement, Value};

/// The joins every filtered query starts from: `r` responses, `s` surveys,
/// `c` campaigns, `v` survey versions, `o` the council (if any).
pub const FROM: &str = " FROM responses r \
    JOIN surveys s ON s.id = r.survey_id \
    JOIN campaigns c ON c.id = s.campaign_id \
    JOIN survey_versions v ON v.id = r.survey_version_id \
    LEFT JOIN organisations o ON o.code = r.organisation_code ";

/// Builds a statement with placeholders in the backend's style.
#[derive(Debug)]
pub struct SqlBuilder {
    backend: DbBackend,
    sql: String,
    values: Vec<Value>,
}

impl SqlBuilder {
    /// Starts a statement with `sql`.
    pub fn new(backend: DbBackend, sql: &str) -> Self {
        Self {
            backend,
            sql: sql.to_string(),
            values: Vec::new(),
        }
    }

    /// Appends SQL text.
    pub fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }

    /// Appends a placeholder bound to `value`.
    pub fn bind(&mut self, value: impl Into<Value>) -> &mut Self {
        self.values.push(value.into());
        match self.backend {
            DbBackend::Postgres => self.sql.push_str(&format!("${}", self.values.len())),
            _ => self.sql.push('?'),
        }
        self
    }

    /// Appends `column` so that SQLite uses no index for the condition on it
    /// (a unary `+`; other databases get the column as is). For conditions on
    /// a question key: SQLite would rather seek each response's answers once
    /// per key, or walk every answer to the key, than walk a survey's
    /// responses in date order and their answers once (a digest's latest
    /// comments: 47 ms against 0.3 ms each, bench/README.md).
    pub fn unindexed(&mut self, column: &str) -> &mut Self {
        if self.backend == DbBackend::Sqlite {
            self.sql.push('+');
        }
        self.push(column)
    }

    /// Appends ` WHERE …` (or `AND …` after an existing WHERE) for the filter.
    pub fn filter(&mut self, filter: &ResponseFilter, tz: &chrono_tz::Tz) -> &mut Self {
        self.push(" WHERE 1 = 1");
        let text = [
            (" AND c.slug = ", &filter.campaign),
            (" AND s.slug = ", &filter.survey),
            (" AND s.resource_key = ", &filter.resource),
            (" AND o.nation = ", &filter.nation),
            (" AND o.region = ", &filter.region),
            (" AND o.org_type = ", &filter.org_type),
            (" AND r.organisation_code = ", &filter.organisation),
        ];
        for (sql, value) in text {
            if let Some(v) = value {
                self.push(sql).bind(v.clone());
            }
        }
        if let Some(version) = filter.version {
            self.push(" AND v.version = ").bind(version);
        }
        if let Some(language) = filter.language {
            self.push(" AND r.language = ").bind(language.code());
        }
        if let Some(workstream) = &filter.workstream {
            self.owned_by(workstream);
        }
        let (start, end) = filter.bounds(tz);
        if let Some(start) = start {
            self.push(" AND r.submitted_at >= ").bind(start);
        }
        if let Some(end) = end {
            self.push(" AND r.submitted_at < ").bind(end);
        }
        self
    }

    /// Appends the condition that the survey is about a resource the
    /// workstream owns (resources keep their owners as a JSON array).
    pub fn owned_by(&mut self, workstream: &str) -> &mut Self {
        self.push(
            " AND EXISTS (SELECT 1 FROM resources res WHERE res.campaign_id = s.campaign_id \
             AND res.key = s.resource_key AND ",
        );
        match self.backend {
            DbBackend::Postgres => self
                .push("res.workstreams::jsonb @> jsonb_build_array(")
                .bind(workstream.to_string())
                .push("::text))"),
            _ => self
                .push("EXISTS (SELECT 1 FROM json_each(res.workstreams) w WHERE w.value = ")
                .bind(workstream.to_string())
                .push("))"),
        }
    }

    /// Appends bounds on `r.submitted_at`: `[start, end)`.
    pub fn window(
        &mut self,
        window: Option<(chrono::DateTime<chrono::Utc>, chrono::DateTime<chrono::Utc>)>,
    ) -> &mut Self {
        if let Some((start, end)) = window {
            self.push(" AND r.submitted_at >= ")
                .bind(start)
                .push(" AND r.submitted_at < ")
                .bind(end);
        }
        self
    }

    /// The finished statement.
    pub fn build(self) -> Statement {
        Statement::from_sql_and_values(self.backend, self.sql, self.values)
    }
}
