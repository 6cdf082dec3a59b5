//! A fixed-window limit per client IP (or per API token). Kept in process memory on purpose:
//! each replica limits what reaches it, and nothing is lost when it restarts.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(60);

/// Counts requests per key (a client IP, an API token) in one-minute windows.
#[derive(Debug)]
pub struct RateLimiter<K = IpAddr> {
    limit: u32,
    windows: Mutex<HashMap<K, (Instant, u32)>>,
}

impl<K: std::hash::Hash + Eq + Copy> RateLimiter<K> {
    /// Allows `limit` requests per IP per minute; 0 allows everything.
    pub fn per_minute(limit: u32) -> Self {
        Self {
            limit,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a request; `Err(seconds)` says how long until the next is allowed.
    pub fn check(&self, key: K, now: Instant) -> Result<(), u64> {
        if self.limit == 0 {
            return Ok(());
        }
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if windows.len() > 10_000 {
            windows.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
        }
        let entry = windows.entry(key).or_insert((now, 0));
        if now.duration_since(entry.0) >= WINDOW {
            *entry = (now, 0);
        }
        if entry.1 >= self.limit {
            let left = WINDOW.saturating_sub(now.duration_since(entry.0));
            return Err(left.as_secs().max(1));
        }
        entry.1 += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_resets_after_a_minute() {
        let limiter = RateLimiter::per_minute(2);
        let ip: IpAddr = [127, 0, 0, 1].into();
        let t = Instant::now();
        assert!(limiter.check(ip, t).is_ok());
        assert!(limiter.check(ip, t).is_ok());
        assert_eq!(limiter.check(ip, t + Duration::from_secs(15)), Err(45));
        assert!(limiter.check([127, 0, 0, 2].into(), t).is_ok());
        assert!(limiter.check(ip, t + WINDOW).is_ok());
    }
}
