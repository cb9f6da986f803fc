//! The leaky bucket of a portal: drained at `per_second`, full at `burst`; a call that
//! finds it full is answered `QUERY_LIMIT_EXCEEDED` (503).

use tokio::time::Instant;

use crate::config::Config;
use crate::failure::Failure;
use crate::portal::Inner;

/// Takes one call's room in the bucket, or refuses it; counts both.
pub(crate) fn take(inner: &mut Inner, config: &Config, now: Instant) -> Result<(), Failure> {
    let drained = now.duration_since(inner.bucket.1).as_secs_f64() * config.per_second;
    let level = (inner.bucket.0 - drained).max(0.0);
    if level + 1.0 > config.burst {
        inner.bucket = (level, now);
        inner.counts.1 += 1;
        return Err(Failure::new(503, "QUERY_LIMIT_EXCEEDED", "Too many requests"));
    }
    inner.bucket = (level + 1.0, now);
    inner.counts.0 += 1;
    Ok(())
}
