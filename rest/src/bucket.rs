//! The client side of the portal's leaky bucket: a burst waits for room instead of being
//! refused with `QUERY_LIMIT_EXCEEDED`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use crate::per_portal::PerPortal;

/// How fast a portal drains requests and how many it holds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RateLimit {
    /// Requests drained per second (2 on most plans, 5 on Enterprise).
    pub per_second: f64,
    /// Requests the bucket holds (50 on most plans, 250 on Enterprise).
    pub burst: f64,
}

impl RateLimit {
    /// Every plan but Enterprise: 2 requests a second, bursts of 50.
    pub const STANDARD: RateLimit = RateLimit {
        per_second: 2.0,
        burst: 50.0,
    };
    /// Enterprise: 5 requests a second, bursts of 250.
    pub const ENTERPRISE: RateLimit = RateLimit {
        per_second: 5.0,
        burst: 250.0,
    };
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit::STANDARD
    }
}

/// One portal's bucket, shared by every client of that portal in the process.
#[derive(Debug)]
pub struct Bucket {
    limit: RateLimit,
    /// (level, when it was last drained)
    state: Mutex<(f64, Instant)>,
}

impl Bucket {
    pub fn new(limit: RateLimit) -> Self {
        Bucket {
            limit,
            state: Mutex::new((0.0, Instant::now())),
        }
    }

    /// How long to wait before one more request fits; `None` when it fits now (and is
    /// then counted).
    fn try_take(&self) -> Option<Duration> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        let drained = now.duration_since(state.1).as_secs_f64() * self.limit.per_second;
        let level = (state.0 - drained).max(0.0);
        *state = (level, now);
        // a little margin under the portal's own count, whose clock is not ours
        let room = (self.limit.burst - 1.0).max(1.0);
        if level + 1.0 <= room {
            state.0 = level + 1.0;
            None
        } else {
            Some(Duration::from_secs_f64(
                (level + 1.0 - room) / self.limit.per_second,
            ))
        }
    }

    /// Waits until one more request fits, and counts it. Cancel-safe: nothing is counted
    /// until it returns.
    pub async fn acquire(&self) {
        while let Some(wait) = self.try_take() {
            tokio::time::sleep(wait).await;
        }
    }

    /// Marks the bucket full, as the portal said it is (`QUERY_LIMIT_EXCEEDED`).
    pub fn fill(&self) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        *state = (self.limit.burst, Instant::now());
    }
}

/// The bucket of the portal `key` (its REST address), made on first use; clients of one
/// portal share it.
pub fn bucket_for(key: &str, limit: RateLimit) -> Arc<Bucket> {
    static BUCKETS: PerPortal<Bucket> = PerPortal::new();
    BUCKETS.get(key, |b| b.limit == limit, || Bucket::new(limit))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_burst_beyond_the_bucket_waits_at_the_drain_rate() {
        let bucket = Bucket::new(RateLimit {
            per_second: 2.0,
            burst: 5.0,
        });
        let start = Instant::now();
        for _ in 0..4 {
            bucket.acquire().await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO, "four fit at once");
        for _ in 0..4 {
            bucket.acquire().await;
        }
        // four more at 2 a second
        let waited = start.elapsed().as_secs_f64();
        assert!((1.9..2.2).contains(&waited), "{waited}");
    }
}
