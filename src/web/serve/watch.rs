//! What the server knows of each open connection: when it last sent or
//! received a byte and how many of its requests are in flight, so idle
//! connections can be closed and, at the limit, the idlest make room.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// One connection's activity, shared by its I/O, its requests and its watcher.
#[derive(Debug)]
pub struct Activity {
    born: Instant,
    /// Milliseconds after `born` of the last byte read or written.
    last_ms: AtomicU64,
    in_flight: AtomicUsize,
    /// Told when the registry closes this connection to make room.
    evicted: Notify,
}

impl Activity {
    fn new() -> Self {
        Self {
            born: Instant::now(),
            last_ms: AtomicU64::new(0),
            in_flight: AtomicUsize::new(0),
            evicted: Notify::new(),
        }
    }

    pub(super) fn touch(&self) {
        let ms = u64::try_from(self.born.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms.store(ms, Ordering::Relaxed);
    }

    fn quiet_for(&self) -> Duration {
        let last = Duration::from_millis(self.last_ms.load(Ordering::Relaxed));
        self.born.elapsed().saturating_sub(last)
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
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
        self.0.touch();
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
    /// with nothing in flight ("idle"), or evicted to make room ("evicted").
    pub async fn closed(&self, idle: Duration) -> &'static str {
        let activity = &self.activity;
        loop {
            let quiet = activity.quiet_for();
            if !activity.busy() && quiet >= idle {
                return "idle";
            }
            let wait = if activity.busy() { idle } else { idle - quiet };
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
}
