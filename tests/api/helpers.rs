//! The test harness: start the real server on port 0 against a fresh
//! database (SQLite file or PostgreSQL database), and talk to it over HTTP.

use campaign_feedback::app::Application;
use campaign_feedback::config::Config;
use campaign_feedback::domain::clock::{Clock, SystemClock};
use campaign_feedback::web::AppState;
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};
use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Output;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tempfile::TempDir;
use tokio::sync::OnceCell;

/// The secret key every test app signs form tokens with.
pub const SECRET: &str = "test-secret-key-0123456789abcdef0123456789";

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// A running application and what a test needs to reach it.
pub struct TestApp {
    pub address: String,
    /// Where `/metrics` is served apart, when `METRICS_ADDR` is set.
    pub metrics_address: Option<String>,
    pub client: reqwest::Client,
    pub state: AppState,
    pub database_url: String,
    pub dir: TempDir,
}

/// Runs each named `async fn name(db: Db)` once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::helpers::Db::Sqlite).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name($crate::helpers::Db::Postgres).await;
            }
        }
    )*};
}

fn postgres_base_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// A fresh, empty database URL of the given kind.
pub async fn fresh_database(db: Db, dir: &TempDir) -> String {
    match db {
        Db::Sqlite => format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display()),
        Db::Postgres => {
            static CLEANED: OnceCell<()> = OnceCell::const_new();
            static COUNTER: AtomicUsize = AtomicUsize::new(0);
            let base = postgres_base_url();
            let admin = Database::connect(&base).await.unwrap_or_else(|e| {
                panic!("PostgreSQL is unreachable at {base} ({e}); start it or set TEST_POSTGRES_URL (see README)")
            });
            let pid = std::process::id();
            CLEANED
                .get_or_init(|| drop_stale_databases(&admin, pid))
                .await;
            let name = format!("cf_test_{pid}_{}", COUNTER.fetch_add(1, Ordering::SeqCst));
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .expect("create test database");
            admin.close().await.ok();
            let (prefix, _) = base
                .rsplit_once('/')
                .expect("TEST_POSTGRES_URL ends with /DATABASE");
            format!("{prefix}/{name}")
        }
    }
}

/// Drops test databases left by earlier runs of this suite whose process
/// has ended (another run may be going on beside this one).
async fn drop_stale_databases(admin: &sea_orm::DatabaseConnection, pid: u32) {
    let rows = admin
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT datname FROM pg_database WHERE datname LIKE 'cf\\_test\\_%'",
        ))
        .await
        .unwrap_or_default();
    for row in rows {
        let name: String = row.try_get("", "datname").unwrap_or_default();
        let owner: Option<u32> = name
            .strip_prefix("cf_test_")
            .and_then(|rest| rest.split('_').next())
            .and_then(|p| p.parse().ok());
        let alive =
            owner.is_some_and(|p| p == pid || std::path::Path::new(&format!("/proc/{p}")).exists());
        if !alive {
            admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await
                .ok();
        }
    }
}

/// The configuration of a test app: port 0, a fixed key, no rate limit.
pub fn test_config(database_url: &str, dir: &TempDir, overrides: &[(&str, &str)]) -> Config {
    let mut vars: HashMap<String, String> = HashMap::from([
        ("DATABASE_URL".into(), database_url.to_string()),
        ("BIND_ADDR".into(), "127.0.0.1:0".into()),
        ("SECRET_KEY".into(), SECRET.into()),
        ("SUBMIT_RATE_LIMIT".into(), "0".into()),
        (
            "MAIL_OUTBOX_DIR".into(),
            dir.path().join("outbox").display().to_string(),
        ),
    ]);
    for (k, v) in overrides {
        vars.insert(k.to_string(), v.to_string());
    }
    vars.retain(|_, v| !v.is_empty());
    Config::from_lookup(|name| vars.get(name).cloned()).expect("test configuration is valid")
}

/// Starts the app on a fresh database.
pub async fn spawn_app(db: Db) -> TestApp {
    spawn_app_with(db, &[]).await
}

/// Starts the app on a fresh database with some variables overridden
/// (an empty value unsets a variable).
pub async fn spawn_app_with(db: Db, overrides: &[(&str, &str)]) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let database_url = fresh_database(db, &dir).await;
    start(database_url, dir, overrides, Arc::new(SystemClock)).await
}

/// Starts the app on an existing database (a restart).
pub async fn start(
    database_url: String,
    dir: TempDir,
    overrides: &[(&str, &str)],
    clock: Arc<dyn Clock>,
) -> TestApp {
    campaign_feedback::webhook::install_crypto();
    let config = test_config(&database_url, &dir, overrides);
    let app = Application::build(config, clock)
        .await
        .expect("the application starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    let metrics_address = app
        .metrics_port()
        .map(|port| format!("http://127.0.0.1:{port}"));
    let state = app.state().clone();
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    let client = client();
    TestApp {
        address,
        metrics_address,
        client,
        state,
        database_url,
        dir,
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn get_html(&self, path: &str) -> String {
        let response = self.get(path).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.text().await.expect("body")
    }

    /// Posts a form body as a browser would (same-origin).
    pub async fn post_form(&self, path: &str, pairs: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("origin", &self.address)
            .form(pairs)
            .send()
            .await
            .expect("POST")
    }

    /// Posts an already encoded form body as a browser would (same-origin),
    /// for bodies `post_form` cannot build: malformed, huge, many fields.
    pub async fn post_encoded(&self, path: &str, body: String) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("origin", &self.address)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("POST")
    }

    /// Opens a survey and returns its form token.
    pub async fn form_token(&self, slug: &str) -> String {
        token_in(&self.get_html(&format!("/surveys/{slug}")).await)
    }

    /// Counts the rows of a table.
    pub async fn count(&self, table: &str) -> i64 {
        self.scalar(&format!("SELECT COUNT(*) AS n FROM {table}"))
            .await
    }

    /// Runs a query returning one integer column `n`.
    pub async fn scalar(&self, sql: &str) -> i64 {
        let backend = self.state.db.get_database_backend();
        let row = self
            .state
            .db
            .query_one_raw(Statement::from_string(backend, sql.to_string()))
            .await
            .expect("query")
            .expect("a row");
        row.try_get::<i64>("", "n")
            .or_else(|_| row.try_get::<i32>("", "n").map(i64::from))
            .expect("an integer n")
    }

    /// Runs the real binary against this app's database.
    pub fn cli(&self, args: &[&str]) -> Output {
        run_cli(&self.database_url, self.dir.path().to_path_buf(), args)
    }
}

/// Runs `campaign-feedback ARGS` with `DATABASE_URL` set.
pub fn run_cli(database_url: &str, cwd: PathBuf, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_campaign-feedback"))
        .args(args)
        .current_dir(cwd)
        .env("DATABASE_URL", database_url)
        .env("SECRET_KEY", SECRET)
        .env_remove("RUST_LOG")
        .output()
        .expect("the binary runs")
}

/// The form token in a survey page.
pub fn token_in(html: &str) -> String {
    let start = html
        .find("name=\"form_token\" value=\"")
        .expect("a form token in the page")
        + 25;
    html[start..]
        .split('"')
        .next()
        .expect("token value")
        .to_string()
}

/// A complete, valid answer to a resource survey from another organisation.
pub fn valid_answers(token: &str) -> Vec<(&str, &str)> {
    vec![
        ("form_token", token),
        ("organisation", "other"),
        ("organisation-name", "Port of Tyne"),
        ("organisation-sector", "port"),
        ("role", "cyber_security"),
        ("usefulness", "4"),
        ("ease", "3"),
        ("ncsc_principles", "partly"),
        ("recommend", "9"),
        ("missing", "More on CCTV & <sensors>"),
        ("standards", "IEC 62443"),
    ]
}

/// The `Location` of a redirect.
pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .expect("a Location header")
        .to_str()
        .unwrap()
        .to_string()
}

/// The register that ships with the project (and is embedded in the binary).
pub fn register_csv() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/uk_local_authorities.csv")
}

/// A signed-in officer's cookie and CSRF token.
pub struct SignedIn {
    pub cookie: String,
    pub csrf: String,
}

impl TestApp {
    /// Adds an officer through the same code as the command line.
    pub async fn add_officer(
        &self,
        email: &str,
        role: campaign_feedback::domain::officer::Role,
        password: &str,
    ) {
        campaign_feedback::officers::add(
            &self.state.db,
            (email, "Test Officer", role),
            password.into(),
            (None, chrono::Utc::now()),
        )
        .await
        .expect("officer added");
    }

    /// Posts the sign-in form; returns the response.
    pub async fn post_login(&self, email: &str, password: &str, next: &str) -> reqwest::Response {
        let page = self.get_html("/admin/login").await;
        let token = token_in(&page);
        self.post_form(
            "/admin/login",
            &[
                ("form_token", &token),
                ("email", email),
                ("password", password),
                ("next", next),
            ],
        )
        .await
    }

    /// Signs in and returns the session cookie and the CSRF token of its forms.
    pub async fn sign_in(&self, email: &str, password: &str) -> SignedIn {
        let response = self.post_login(email, password, "/admin").await;
        assert_eq!(response.status(), 303, "signed in");
        let set_cookie = response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .to_string();
        let cookie = set_cookie.split(';').next().unwrap().to_string();
        let html = self.get_as(&cookie, "/admin").await.text().await.unwrap();
        let start = html
            .find("name=\"csrf_token\" value=\"")
            .expect("a CSRF token in the page")
            + 25;
        let csrf = html[start..].split('"').next().unwrap().to_string();
        SignedIn { cookie, csrf }
    }

    pub async fn get_as(&self, cookie: &str, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .header("cookie", cookie)
            .send()
            .await
            .expect("GET")
    }

    pub async fn post_as(
        &self,
        cookie: &str,
        path: &str,
        pairs: &[(&str, &str)],
    ) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("cookie", cookie)
            .header("origin", &self.address)
            .form(pairs)
            .send()
            .await
            .expect("POST")
    }

    /// Imports the default campaign with the governance survey's "missing"
    /// question worded as `text`: version 2 of that survey.
    pub fn reword_governance_missing(&self, text: &str) {
        use campaign_feedback::domain::campaign::{CampaignDefinition, DEFAULT_CAMPAIGN_TOML};
        let mut def = CampaignDefinition::from_toml(DEFAULT_CAMPAIGN_TOML).unwrap();
        let survey = def.surveys.iter_mut().find(|s| s.slug == "governance");
        let missing = survey
            .unwrap()
            .questions
            .iter_mut()
            .find(|q| q.key == "missing")
            .unwrap();
        missing.text = text.into();
        let path = self.dir.path().join("v2.toml");
        std::fs::write(&path, def.to_toml().unwrap()).unwrap();
        let imported = self.cli(&["campaign", "import", path.to_str().unwrap()]);
        assert!(imported.status.success(), "version 2 imported");
    }

    /// Submits a resource survey with these scores and text, as a respondent would.
    pub async fn respond(
        &self,
        slug: &str,
        org: (&str, &str),
        scores: (u8, u8, u8),
        missing: &str,
    ) -> String {
        let token = self.form_token(slug).await;
        let (usefulness, ease, recommend) = (
            scores.0.to_string(),
            scores.1.to_string(),
            scores.2.to_string(),
        );
        let mut answers = vec![
            ("form_token", token.as_str()),
            ("role", "cyber_security"),
            ("usefulness", usefulness.as_str()),
            ("ease", ease.as_str()),
            ("ncsc_principles", "partly"),
            ("recommend", recommend.as_str()),
            ("missing", missing),
        ];
        match org {
            ("council", code) => {
                answers.extend([("organisation", "council"), ("organisation-council", code)])
            }
            (name, sector) => answers.extend([
                ("organisation", "other"),
                ("organisation-name", name),
                ("organisation-sector", sector),
            ]),
        }
        let response = self.post_form(&format!("/surveys/{slug}"), &answers).await;
        assert_eq!(response.status(), 303, "the response is accepted");
        location(&response).rsplit('=').next().unwrap().to_string()
    }
}

/// A multipart body as a browser's file upload sends it: the CSRF token and
/// one file called `file`. Returns the content type and the body.
pub fn upload_body(csrf: &str, file_name: &str, contents: &str) -> (String, String) {
    let boundary = "----campaignfeedbacktest";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n{contents}\r\n\
         --{boundary}--\r\n"
    );
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A port free on the loopback interface, for a server started as a process.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Waits for a server started as a process to answer `/readyz` with 200;
/// returns how long that took.
pub async fn ready(client: &reqwest::Client, base: &str) -> std::time::Duration {
    let started = std::time::Instant::now();
    while started.elapsed() < std::time::Duration::from_secs(30) {
        if let Ok(r) = client.get(format!("{base}/readyz")).send().await
            && r.status() == 200
        {
            return started.elapsed();
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the server did not become ready at {base}");
}

/// An HTTP client that shows redirects rather than following them.
pub fn client() -> reqwest::Client {
    campaign_feedback::webhook::install_crypto();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client")
}
