//! PostgreSQL stopped and started under load: requests in the gap get a
//! clear "try again" page (503), never an acknowledgement without a stored
//! response, and the service recovers by itself.
//!
//! The test runs its own PostgreSQL cluster (initdb in a temporary folder,
//! on its own port) so stopping it disturbs no other test.

use crate::helpers::{location, start, token_in, valid_answers};
use campaign_feedback::domain::clock::SystemClock;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn pg_bin(name: &str) -> PathBuf {
    let root = Path::new("/usr/lib/postgresql");
    let mut versions: Vec<_> = std::fs::read_dir(root)
        .expect(
            "PostgreSQL's server binaries are installed (scripts/test-prerequisites installs them)",
        )
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    versions.sort();
    versions
        .last()
        .expect("a PostgreSQL version")
        .join("bin")
        .join(name)
}

/// Runs a PostgreSQL tool as the `postgres` user when we are root (PostgreSQL refuses root).
fn as_postgres(tool: &str, args: &[&str]) {
    let status = if is_root() {
        Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(pg_bin(tool))
            .args(args)
            .status()
    } else {
        Command::new(pg_bin(tool)).args(args).status()
    }
    .expect("the PostgreSQL tool runs");
    assert!(status.success(), "{tool} {args:?} failed");
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .map(|s| {
            s.lines()
                .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
        })
        .unwrap_or(false)
}

struct Cluster {
    data: PathBuf,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Cluster {
    fn create() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("cf-pg-")
            .tempdir_in("/tmp")
            .unwrap();
        let data = dir.path().join("data");
        std::fs::create_dir(&data).unwrap();
        if is_root() {
            Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir.path())
                .status()
                .unwrap();
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        as_postgres(
            "initdb",
            &[
                "-D",
                data.to_str().unwrap(),
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
            ],
        );
        let cluster = Self {
            data,
            port,
            _dir: dir,
        };
        cluster.start();
        cluster
    }

    fn ctl(&self, action: &str) {
        let options = format!(
            "-p {} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=on",
            self.port
        );
        as_postgres(
            "pg_ctl",
            &[
                "-D",
                self.data.to_str().unwrap(),
                "-o",
                &options,
                "-w",
                "-m",
                "fast",
                action,
            ],
        );
    }

    fn start(&self) {
        self.ctl("start");
    }

    fn stop(&self) {
        self.ctl("stop");
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = std::panic::catch_unwind(|| self.stop());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_stopped_and_started_under_load_acknowledges_only_what_it_stored() {
    let cluster = Cluster::create();
    let app = start(
        cluster.url(),
        tempfile::tempdir().unwrap(),
        &[],
        Arc::new(SystemClock),
    )
    .await;
    let mut tokens = Vec::new();
    for _ in 0..30 {
        tokens.push(token_in(&app.get_html("/surveys/governance").await));
    }
    let mut acknowledged = Vec::new();
    let mut unavailable = 0;
    for (i, token) in tokens.iter().enumerate() {
        if i == 10 {
            cluster.stop();
        }
        if i == 15 {
            cluster.start();
        }
        let response = app
            .post_form("/surveys/governance", &valid_answers(token))
            .await;
        match response.status().as_u16() {
            303 => acknowledged.push(location(&response)),
            503 => {
                unavailable += 1;
                assert_eq!(response.headers()["retry-after"], "10");
                assert!(
                    response
                        .text()
                        .await
                        .unwrap()
                        .contains("Your answers have not been saved.")
                );
            }
            other => panic!("unexpected {other}"),
        }
        if (10..15).contains(&i) {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    assert!(unavailable > 0, "requests in the gap were refused with 503");
    let started = Instant::now();
    loop {
        if app.get("/readyz").await.status() == 200 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "recovered within 10 seconds"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let late = token_in(&app.get_html("/surveys/governance").await);
    assert_eq!(
        app.post_form("/surveys/governance", &valid_answers(&late))
            .await
            .status(),
        303
    );
    acknowledged.push("late".into());
    let stored = app.count("responses").await;
    assert_eq!(
        stored as usize,
        acknowledged.len(),
        "every acknowledgement has its response, and nothing else was stored"
    );
}
