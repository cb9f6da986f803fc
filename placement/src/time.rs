//! The time now: the one clock every crate reads (unix time, as Bitrix24 counts a token's
//! `expires`).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The time since the unix epoch (zero on a clock set before it).
pub fn since_epoch() -> Duration {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default()
}

/// Now, in whole unix seconds.
pub fn unix_now() -> u64 {
    since_epoch().as_secs()
}
