//! Connections that send nothing: thousands of idle TCP connections and
//! HTTP/2 prefaces with nothing after them, past `MAX_CONNECTIONS`. The
//! service keeps answering and closes them.

use crate::helpers::{Db, spawn_app_with};
use crate::on_both_databases;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

on_both_databases!(idle_connections_past_the_limit_are_closed_while_health_checks_answer);

/// The HTTP/2 client preface and an empty SETTINGS frame, then silence.
const H2_PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00";

/// Raises this process's open-file limit so it can hold `wanted` descriptors.
fn allow_open_files(wanted: u64) -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct given.
    unsafe {
        assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit), 0);
        if limit.rlim_cur < wanted {
            let raised = libc::rlimit {
                rlim_cur: wanted.max(limit.rlim_max.min(wanted)),
                rlim_max: limit.rlim_max.max(wanted),
            };
            // As root the hard limit can rise too; otherwise up to it.
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) != 0 {
                let soft_only = libc::rlimit {
                    rlim_cur: wanted.min(limit.rlim_max),
                    rlim_max: limit.rlim_max,
                };
                libc::setrlimit(libc::RLIMIT_NOFILE, &soft_only);
            }
            libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit);
        }
    }
    limit.rlim_cur
}

/// Whether the server has closed `socket` (end of file or reset) within `wait`.
async fn closed_within(socket: &mut TcpStream, wait: Duration) -> bool {
    let mut byte = [0u8; 64];
    loop {
        match tokio::time::timeout(wait, socket.read(&mut byte)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            // The server's own HTTP/2 SETTINGS: keep reading.
            Ok(Ok(_)) => continue,
        }
    }
}

async fn idle_connections_past_the_limit_are_closed_while_health_checks_answer(db: Db) {
    const IDLE: usize = 2_000;
    const PREFACES: usize = 200;
    // Each idle connection holds a descriptor here and one in the server;
    // both databases' runs may hold theirs at once.
    let limit = allow_open_files(16_384);
    assert!(
        limit >= 4 * (IDLE + PREFACES) as u64 + 2_000,
        "this test needs about 11,000 open files; the limit is {limit} (raise ulimit -n)"
    );
    let app = spawn_app_with(db, &[("MAX_CONNECTIONS", "500")]).await;
    let address = app.address.trim_start_matches("http://").to_string();

    let mut silent = Vec::with_capacity(IDLE + PREFACES);
    for i in 0..IDLE + PREFACES {
        let mut socket = TcpStream::connect(&address).await.expect("connect");
        if i >= IDLE {
            socket.write_all(H2_PREFACE).await.unwrap();
        }
        silent.push(socket);
    }

    // With 2,200 silent connections open (500 allowed), health checks answer.
    for _ in 0..5 {
        let started = Instant::now();
        let response = reqwest::Client::new()
            .get(app.url("/healthz"))
            .timeout(Duration::from_secs(5))
            .send()
            .await
            .expect("/healthz answers");
        assert_eq!(response.status(), 200);
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "/healthz took {:?}",
            started.elapsed()
        );
    }
    let page = app.get("/surveys/governance").await;
    assert_eq!(page.status(), 200, "pages are served too");

    // Every silent connection is closed within the idle timeout and a margin.
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut still_open = 0;
    for socket in &mut silent {
        let left = deadline.saturating_duration_since(Instant::now());
        if !closed_within(socket, left.max(Duration::from_millis(10))).await {
            still_open += 1;
        }
    }
    assert_eq!(
        still_open, 0,
        "silent connections left open 15 s after they were made"
    );

    // A request in flight is not cut off for being quiet: a body sent in
    // two halves, 6.5 s apart (past the 5 s idle timeout, within the 10 s
    // request timeout), is stored.
    let token = app.form_token("governance").await;
    let body = serde_urlencoded::to_string(crate::helpers::valid_answers(&token)).unwrap();
    let (first, second) = body.split_at(body.len() / 2);
    let mut socket = TcpStream::connect(&address).await.unwrap();
    let head = format!(
        "POST /surveys/governance HTTP/1.1\r\nHost: {address}\r\nOrigin: {}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        app.address,
        body.len()
    );
    socket.write_all(head.as_bytes()).await.unwrap();
    socket.write_all(first.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(6_500)).await;
    socket.write_all(second.as_bytes()).await.unwrap();
    let mut reply = String::new();
    socket.read_to_string(&mut reply).await.unwrap();
    assert!(reply.starts_with("HTTP/1.1 303"), "{reply}");
    assert_eq!(app.count("responses").await, 1);
}
