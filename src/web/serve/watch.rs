//! What the server knows of each open connection: when it last sent or
//! received a byte, when its last request ended and how many of its
//! requests are in flight, so idle connections and requests whose headers
//! never finish arriving can be closed and, at the limit, the idlest make
//! room.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::Notify;

/// One connection's activity, shared by its I/O, its requests and its watcher.
#[derive(Debug)]
pub struct Activity {
    /// When the last byte was read or written ([`coarse_ms`]).
    last_ms: AtomicU64,
    /// When the last request ended, or the connection opened: with none
    /// in flight since, the next request's headers are still arriving.
    waiting_since_ms: AtomicU64,
    in_flight: AtomicUsize,
    /// Told when the registry closes this connection to make room.
    evicted: Notify,
}

/// Milliseconds on the monotonic clock as of the kernel's last tick (a few
/// milliseconds coarse): read on every read and write of every connection,
/// for limits counted in seconds, so the cheapest clock there is.
fn coarse_ms() -> u64 {
    #[cfg(target_os = "linux")]
    const CLOCK: libc::clockid_t = libc::CLOCK_MONOTONIC_COARSE;
    #[cfg(not(target_os = "linux"))]
    const CLOCK: libc::clockid_t = libc::CLOCK_MONOTONIC;
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the struct it is given; it cannot
    // fail for a monotonic clock, and the zero it would leave is harmless.
    unsafe { libc::clock_gettime(CLOCK, &mut now) };
    let seconds = u64::try_from(now.tv_sec).unwrap_or(0);
    let millis = u64::try_from(now.tv_nsec).unwrap_or(0) / 1_000_000;
    seconds * 1000 + millis
}

/// How long since `since_ms` ([`coarse_ms`]).
fn elapsed_since(since_ms: &AtomicU64) -> Duration {
    Duration::from_millis(coarse_ms().saturating_sub(since_ms.load(Ordering::Relaxed)))
}

impl Activity {
    fn new() -> Self {
        let now = coarse_ms();
        Self {
            last_ms: AtomicU64::new(now),
            waiting_since_ms: AtomicU64::new(now),
            in_flight: AtomicUsize::new(0),
            evicted: Notify::new(),
        }
    }

    pub(super) fn touch(&self) {
        self.last_ms.store(coarse_ms(), Ordering::Relaxed);
    }

    fn quiet_for(&self) -> Duration {
        elapsed_since(&self.last_ms)
    }

    /// How long the connection has been without a request in flight: the
    /// time its next request's headers have taken so far.
    fn waiting_for(&self) -> Duration {
        elapsed_since(&self.waiting_since_ms)
    }

    fn busy(&self) -> bool {
        self.in_flight.load(Ordering::Relaxed) > 0
    }

    /// A request has arrived; it counts until the guard is dropped.
    pub fn enter(self: &Arc<Self>) -> InFlight {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        self.touch();
        InFlight(self.clone())
    }
}

/// A request in flight on a connection, from its arrival until its
/// response body is sent (or dropped).
#[derive(Debug)]
pub struct InFlight(Arc<Activity>);

impl Drop for InFlight {
    fn drop(&mut self) {
        let now = coarse_ms();
        self.0.last_ms.store(now, Ordering::Relaxed);
        self.0.waiting_since_ms.store(now, Ordering::Relaxed);
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The open connections, with room for `max`.
#[derive(Debug, Clone)]
pub struct Registry {
    open: Arc<Mutex<Open>>,
    max: usize,
}

#[derive(Debug, Default)]
struct Open {
    next_id: u64,
    by_id: HashMap<u64, Arc<Activity>>,
}

impl Registry {
    /// Room for `max` connections.
    pub fn new(max: usize) -> Self {
        Self {
            open: Arc::default(),
            max: max.max(1),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Open> {
        self.open.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A slot for a new connection: when full, the connection idle the
    /// longest is closed to make room; `None` when every one is busy.
    pub fn admit(&self) -> Option<Slot> {
        let mut open = self.lock();
        if open.by_id.len() >= self.max && !evict_idlest(&mut open) {
            return None;
        }
        open.next_id += 1;
        let id = open.next_id;
        let activity = Arc::new(Activity::new());
        open.by_id.insert(id, activity.clone());
        metrics::gauge!("http_connections_open").set(open.by_id.len() as f64);
        Some(Slot {
            id,
            activity,
            registry: self.clone(),
        })
    }

    /// Closes the connection idle the longest, if any is idle (to free a
    /// descriptor when accepting fails).
    pub fn evict_idlest(&self) {
        evict_idlest(&mut self.lock());
    }
}

fn evict_idlest(open: &mut Open) -> bool {
    let idlest = open
        .by_id
        .iter()
        .filter(|(_, a)| !a.busy())
        .max_by_key(|(_, a)| a.quiet_for())
        .map(|(id, _)| *id);
    let Some(activity) = idlest.and_then(|id| open.by_id.remove(&id)) else {
        return false;
    };
    activity.evicted.notify_one();
    true
}

/// A connection's place in the registry, given up when it is dropped.
#[derive(Debug)]
pub struct Slot {
    id: u64,
    activity: Arc<Activity>,
    registry: Registry,
}

impl Slot {
    /// The connection's activity, for its I/O and its requests.
    pub fn activity(&self) -> Arc<Activity> {
        self.activity.clone()
    }

    /// Completes when the connection should be closed: silent for `idle`
    /// with nothing in flight ("idle"), a request's headers still arriving
    /// after `headers` ("slow_headers": a client sending a byte a second
    /// is never silent), or evicted to make room ("evicted").
    ///
    /// Watched here rather than by hyper's own header timeout, which arms
    /// and drops a timer for every request on a connection.
    pub async fn closed(&self, idle: Duration, headers: Duration) -> &'static str {
        let activity = &self.activity;
        loop {
            let wait = if activity.busy() {
                idle.min(headers)
            } else {
                let quiet = activity.quiet_for();
                let waiting = activity.waiting_for();
                if quiet >= idle {
                    return "idle";
                }
                if waiting >= headers {
                    return "slow_headers";
                }
                idle.saturating_sub(quiet)
                    .min(headers.saturating_sub(waiting))
            };
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                () = activity.evicted.notified() => return "evicted",
            }
        }
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self.registry.lock();
        open.by_id.remove(&self.id);
        metrics::gauge!("http_connections_open").set(open.by_id.len() as f64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_the_limit_the_idlest_connection_makes_room_and_busy_ones_do_not() {
        let registry = Registry::new(2);
        let first = registry.admit().unwrap();
        let second = registry.admit().unwrap();
        let busy = (first.activity().enter(), second.activity().enter());
        assert!(registry.admit().is_none(), "every connection is busy");
        drop(busy.1);
        let third = registry.admit().expect("the idle one made room");
        assert_eq!(registry.lock().by_id.len(), 2);
        assert!(registry.lock().by_id.contains_key(&first.id));
        assert!(!registry.lock().by_id.contains_key(&second.id));
        drop((third, second));
        assert_eq!(registry.lock().by_id.len(), 1);
    }

    /// Waits for [`Slot::closed`] with limits as in production, scaled down
    /// (idle 300 ms, headers 600 ms), touching the connection every 40 ms
    /// meanwhile when `trickle`; how long that took and why, or `None` if
    /// it was still open after `give_up`.
    async fn closed_after(
        slot: &Slot,
        trickle: bool,
        give_up: Duration,
    ) -> Option<(Duration, &'static str)> {
        let started = std::time::Instant::now();
        let closed = slot.closed(Duration::from_millis(300), Duration::from_millis(600));
        tokio::pin!(closed);
        let watched = async {
            loop {
                tokio::select! {
                    why = &mut closed => return (started.elapsed(), why),
                    () = tokio::time::sleep(Duration::from_millis(40)), if trickle => {
                        slot.activity().touch();
                    }
                }
            }
        };
        tokio::time::timeout(give_up, watched).await.ok()
    }

    #[tokio::test]
    async fn headers_that_trickle_in_are_cut_off_silence_is_idle_and_requests_in_flight_are_not() {
        let ms = Duration::from_millis;
        let registry = Registry::new(4);
        // A byte every 40 ms is never quiet, but no request ever starts.
        let (after, why) = closed_after(&registry.admit().unwrap(), true, ms(3000))
            .await
            .expect("a connection trickling headers is cut off");
        assert_eq!(why, "slow_headers");
        assert!(after >= ms(550) && after < ms(1500), "{after:?}");

        // Silent with nothing in flight: idle, at the idle limit.
        let (after, why) = closed_after(&registry.admit().unwrap(), false, ms(3000))
            .await
            .expect("a silent connection is closed");
        assert_eq!(why, "idle");
        assert!(after >= ms(250), "{after:?}");

        // A request in flight, its body trickling in, is left alone past
        // both limits; the header limit counts afresh from its end.
        let busy = registry.admit().unwrap();
        let request = busy.activity().enter();
        let closed = closed_after(&busy, true, ms(1000)).await;
        assert_eq!(closed, None, "closed with a request in flight");
        drop(request);
        let (after, why) = closed_after(&busy, true, ms(3000))
            .await
            .expect("cut off once the request has ended");
        assert_eq!(why, "slow_headers");
        assert!(
            after >= ms(550),
            "counted from the request's end: {after:?}"
        );
    }
}
