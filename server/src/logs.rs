//! The server's logs: `tracing` events and spans (a span per handler call naming the
//! portal, the placement and the frame; one per event naming the frame and its portal),
//! written to stderr by [`init_logs`] unless the app installed a subscriber of its own.
//!
//! No token is ever logged, at any level: requests are logged by their domain,
//! member_id and placement; tokens are [`Secret`](b24_placement::Secret)s, whose
//! `Debug` and `Display` print `***`.

use std::io::IsTerminal;
use std::str::FromStr;

use tracing::level_filters::LevelFilter;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::Layer;

/// Installs a subscriber that writes to stderr, filtered by `RUST_LOG` (`info` when it
/// is unset; `target=level` directives separated by commas, as `RUST_LOG=b24_server=debug,info`),
/// unless the app already set one. Whether it was installed.
///
/// A `RUST_LOG` that cannot be read is said on stderr, and `info` is used.
pub fn init_logs() -> bool {
    if tracing::dispatcher::has_been_set() {
        return false;
    }
    let filter = match std::env::var("RUST_LOG") {
        Ok(text) if !text.trim().is_empty() => filter_of(&text).unwrap_or_else(|e| {
            eprintln!("RUST_LOG={text:?} is not understood ({e}): logging at info");
            Targets::new().with_default(LevelFilter::INFO)
        }),
        _ => Targets::new().with_default(LevelFilter::INFO),
    };
    tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                // colours for a terminal only: a file or a log collector gets plain text
                .with_ansi(std::io::stderr().is_terminal())
                .with_filter(filter),
        )
        .try_init()
        .is_ok()
}

/// The filter of a `RUST_LOG` text.
fn filter_of(text: &str) -> Result<Targets, String> {
    Targets::from_str(text).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use tracing::Level;

    #[test]
    fn rust_log_is_read_by_target() {
        let f = super::filter_of("b24_server=debug,warn").unwrap();
        assert!(f.would_enable("b24_server::events", &Level::DEBUG));
        assert!(!f.would_enable("hyper", &Level::INFO));
        assert!(f.would_enable("hyper", &Level::WARN));
        assert!(super::filter_of("trace")
            .unwrap()
            .would_enable("anything", &Level::TRACE));
        assert!(super::filter_of("b24_server=loud").is_err());
    }
}
