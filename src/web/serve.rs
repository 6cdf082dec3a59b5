//! Serving connections: axum's router on hyper, with what `axum::serve`
//! does not give:
//!
//! - a 10-second limit on reading request headers (a client sending one
//!   byte a second is cut off), kept by the connection's watcher;
//! - connections that send and receive nothing for [`IDLE_TIMEOUT`] with no
//!   request in flight are closed, whether they never sent a byte, sent only
//!   the HTTP/2 preface, or sit idle between keep-alive requests;
//! - at most `MAX_CONNECTIONS` open at once: past it the connection idle the
//!   longest is closed to make room, and when every one is busy the new one
//!   is refused, so file descriptors never run out and the rest are served;
//! - a graceful shutdown that lets requests in flight finish (up to 30 s).

mod io;
mod watch;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder;
use hyper_util::server::graceful::GracefulShutdown;
use io::Watched;
use std::future::Future;
use std::time::Duration;
use tokio::net::TcpListener;
use watch::Registry;

/// How long a client may take to send its request headers.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a connection may stay silent with no request in flight.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(5);
/// How long shutdown waits for requests in flight.
const DRAIN: Duration = Duration::from_secs(30);

/// Accepts connections until `shutdown` completes, then drains. At most
/// `max_connections` are open at once.
///
/// # Errors
/// None today: accept errors (such as too many open files) are logged and retried.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    max_connections: usize,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let graceful = GracefulShutdown::new();
    let mut builder = Builder::new(TokioExecutor::new());
    // hyper's own header timeout is off (and with it the only use hyper's
    // HTTP/1 server has for a timer): it arms a timer for every request on
    // a connection; the watcher below keeps the same limit with the
    // connection's one timer.
    builder.http1().header_read_timeout(None);
    let registry = Registry::new(max_connections);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    registry.evict_idlest();
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Some(slot) = registry.admit() else {
            metrics::counter!("http_connections_refused_total").increment(1);
            drop(stream);
            continue;
        };
        let activity = slot.activity();
        let router = router.clone();
        let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
            let mut request = request.map(axum::body::Body::new);
            request.extensions_mut().insert(ConnectInfo(peer));
            let in_flight = activity.enter();
            let response = tower::ServiceExt::oneshot(router.clone(), request);
            async move {
                let response = response.await?;
                Ok::<_, std::convert::Infallible>(io::hold_until_sent(response, in_flight))
            }
        });
        let io = TokioIo::new(Watched::new(stream, slot.activity()));
        let connection = builder.serve_connection(io, service).into_owned();
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            tokio::select! {
                ended = connection => if let Err(e) = ended {
                    tracing::debug!(error = %e, "connection ended with an error");
                },
                why = slot.closed(IDLE_TIMEOUT, HEADER_READ_TIMEOUT) => {
                    metrics::counter!("http_connections_closed_total", "why" => why).increment(1);
                }
            }
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => tracing::info!("all requests finished"),
        () = tokio::time::sleep(DRAIN) => tracing::warn!("requests still running after 30 seconds; stopping anyway"),
    }
    Ok(())
}

/// Raises this process's open-file limit to what `max_connections` needs
/// (each connection is one descriptor, plus some for the database and
/// logs) as far as the hard limit allows, and returns how many connections
/// fit.
pub fn fit_open_file_limit(max_connections: usize) -> usize {
    const RESERVED: u64 = 256;
    let want = max_connections as u64 + RESERVED;
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct given.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return max_connections;
        }
        if limit.rlim_cur < want {
            let raised = libc::rlimit {
                rlim_cur: want.min(limit.rlim_max),
                rlim_max: limit.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit.rlim_cur = raised.rlim_cur;
            }
        }
    }
    let fits = limit.rlim_cur.saturating_sub(RESERVED) as usize;
    if fits < max_connections {
        tracing::warn!(
            max_connections,
            open_file_limit = limit.rlim_cur,
            serving = fits,
            "MAX_CONNECTIONS is above what the open-file limit allows (ulimit -n); serving fewer"
        );
        fits.max(1)
    } else {
        max_connections
    }
}
