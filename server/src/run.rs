//! Running a router from a plain `fn main`, without naming tokio or axum in the app's
//! Cargo.toml.

use std::net::SocketAddr;

use axum::Router;
use tokio::net::{TcpListener, ToSocketAddrs};

use crate::logs::init_logs;

/// Serves `app` on `addr` inside the caller's tokio runtime, until the process ends.
/// `on_ready` is told the address it listens on (useful with port 0).
pub async fn serve(
    addr: impl ToSocketAddrs,
    app: Router,
    on_ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    use axum::serve::ListenerExt;
    let listener = TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    tracing::info!(%local, "listening");
    on_ready(local);
    // an event's answer streams small lines: each goes out at once, not after the
    // client's delayed acknowledgement of the one before
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, app).await
}

/// Serves `app` on a listener already bound (its address known to the app beforehand,
/// to register handlers with it), until the process ends.
pub async fn serve_listener(listener: TcpListener, app: Router) -> std::io::Result<()> {
    use axum::serve::ListenerExt;
    if let Ok(local) = listener.local_addr() {
        tracing::info!(%local, "listening");
    }
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, app).await
}

/// Starts a multi-threaded tokio runtime and serves `app` on `addr` with it: what a
/// widget's `fn main` calls. Logs go to stderr, filtered by `RUST_LOG` ([`init_logs`],
/// unless the app installed a `tracing` subscriber of its own).
///
/// ```no_run
/// # use b24_server::{router, run, WidgetHost};
/// # struct Hello;
/// # impl layout_core::widget::Widget for Hello {
/// #     fn view(&self) -> layout_core::LayoutDto { unimplemented!() }
/// #     fn update(&mut self, _: &layout_core::command::Event) -> Vec<layout_core::command::Command> { Vec::new() }
/// # }
/// fn main() -> std::io::Result<()> {
///     run("127.0.0.1:3000", router(WidgetHost::new(|_request| Hello)), |addr| {
///         println!("preview: http://{addr}/")
///     })
/// }
/// ```
pub fn run(addr: impl ToSocketAddrs, app: Router, on_ready: impl FnOnce(SocketAddr)) -> std::io::Result<()> {
    init_logs();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(serve(addr, app, on_ready))
}
