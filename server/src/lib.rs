//! Serving a Bitrix24 CRM widget with axum: the placement request as an extractor, the
//! widget's iframe page with its bridge to the frame protocol, an event endpoint that runs
//! the widget's update loop, and a local preview that plays the portal's part.
//!
//! | module | what it holds |
//! |---|---|
//! | [`extract`] | the handler request as an extractor, the body limit |
//! | [`page`] | the widget's iframe page and its bridge |
//! | [`verify`] | verification as middleware: [`Verifier`], [`verify_handler`] |
//! | `logs` | [`init_logs`]: `tracing` to stderr, filtered by `RUST_LOG` |
//! | [`lifecycle`] (feature `lifecycle`) | [`Lifecycle`]: install, uninstall, the store, REST clients |
//! | `host` | [`WidgetHost`]: one widget per frame, `POST /handler` |
//! | `sessions` | the open frames and their ids |
//! | `events` | `POST /event`: events run through the frame's widget |
//! | [`preview`] | `GET /`: the local preview |
//! | [`error`] | [`Error`], the one error type, as a response |
//! | `run` | [`run`] and [`serve`]: a router served from `fn main` |
//!
//! ```no_run
//! # use b24_server::{router, WidgetHost};
//! # struct MyWidget;
//! # impl layout_core::widget::Widget for MyWidget {
//! #     fn view(&self) -> layout_core::LayoutDto { unimplemented!() }
//! #     fn update(&mut self, _: &layout_core::command::Event) -> Vec<layout_core::command::Command> { Vec::new() }
//! # }
//! # async fn run() {
//! let app = router(WidgetHost::new(|_request| MyWidget));
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await.unwrap();
//! axum::serve(listener, app).await.unwrap();
//! # }
//! ```
//!
//! The router nests: `Router::new().nest("/deal", router(host))` serves `/deal/handler`,
//! and the page it answers sends its events to `/deal/event`.

use std::sync::Arc;

use axum::middleware::from_fn_with_state;
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use layout_core::widget::AsyncWidget;

pub mod error;
mod events;
pub mod extract;
mod host;
#[cfg(feature = "lifecycle")]
pub mod lifecycle;
mod logs;
#[cfg(feature = "lifecycle")]
pub mod offline;
pub mod page;
#[cfg(feature = "lifecycle")]
pub mod portal_events;
pub mod preview;
mod run;
mod sessions;
pub mod verify;

pub use b24_html::{escape_html, json_for_script};
pub use error::Error;
pub use extract::{Placement, BODY_LIMIT};
pub use host::WidgetHost;
#[cfg(feature = "lifecycle")]
pub use lifecycle::Lifecycle;
pub use logs::init_logs;
#[cfg(feature = "lifecycle")]
pub use offline::Drained;
pub use page::widget_page;
#[cfg(feature = "lifecycle")]
pub use portal_events::{Delivered, HandlerError};
pub use preview::{preview_page, preview_page_with, Preview, PreviewFields};
pub use run::{run, serve, serve_listener};
pub use sessions::{MAX_PER_PORTAL, MAX_SESSIONS};
pub use verify::{verify_handler, Refusal, Verifier};

/// The app declared in `b24.toml`, for [`Lifecycle::from_app`].
#[cfg(feature = "lifecycle")]
pub use b24_app as app;

/// The store of installed portals (SQLite or PostgreSQL), for [`Lifecycle`].
#[cfg(feature = "lifecycle")]
pub use b24_store as store;

/// The web framework and the runtime the server is built on, for apps that add routes
/// or run their own runtime without adding them to their Cargo.toml.
pub use {axum, tokio};

/// The routes: `GET /` the preview, `POST /handler` the URL for placement.bind (the widget
/// page), `POST /event` the events of the bridge. Nest it under a prefix as any router.
pub fn router<W: AsyncWidget + 'static>(host: Arc<WidgetHost<W>>) -> Router {
    router_with_preview(host, Preview::default())
}

/// [`router`], with a preview that opens the widget as `preview` says (a token of the
/// local portal, the object, its timeline beside the widget).
pub fn router_with_preview<W: AsyncWidget + 'static>(host: Arc<WidgetHost<W>>, preview: Preview) -> Router {
    routes(host, preview, None)
}

/// [`router_with_preview`]'s routes with every frame verified by `verifier`: the handler
/// routes guarded by [`verify_handler`] (403 before any frame is made), each event asked
/// again whether its frame's portal is still installed.
pub fn verified_router<W: AsyncWidget + 'static>(
    host: Arc<WidgetHost<W>>,
    preview: Preview,
    verifier: Arc<dyn Verifier>,
) -> Router {
    routes(host, preview, Some(verifier))
}

fn routes<W: AsyncWidget + 'static>(
    host: Arc<WidgetHost<W>>,
    preview: Preview,
    verifier: Option<Arc<dyn Verifier>>,
) -> Router {
    let preview = Arc::new(preview);
    let guarded = |route: MethodRouter<Arc<WidgetHost<W>>>| match &verifier {
        Some(v) => route.layer(from_fn_with_state(v.clone(), verify_handler)),
        None => route,
    };
    let handler = guarded(post(host::handler::<W>));
    // the preview's own fields go in first, then it is verified as any handler call
    let preview_handler =
        guarded(post(host::handler::<W>)).layer(from_fn_with_state(preview.clone(), preview::add_fields));
    Router::new()
        .route("/", get(preview::preview).with_state(preview))
        .route("/preview/handler", preview_handler)
        .route("/handler", handler)
        .route("/event", post(events::event::<W>).get(events::push_stream::<W>))
        .with_state(host)
}

/// The routes of an installed app: [`router_with_preview`]'s, every handler call and
/// event verified against `lifecycle`'s store (403 for a portal that has not installed
/// the app or a wrong `APPLICATION_TOKEN`, before any frame is made),
/// `POST /install`, `POST /uninstall`, and `POST /events`, the portal's events (see
/// [`portal_events`]).
#[cfg(feature = "lifecycle")]
pub fn app_router<W: AsyncWidget + 'static>(
    host: Arc<WidgetHost<W>>,
    lifecycle: Arc<Lifecycle>,
    preview: Preview,
) -> Router {
    let forget = host.clone();
    let frames: Arc<dyn events::Frames> = host.clone();
    let verifier: Arc<dyn Verifier> = lifecycle.clone();
    let own = verifier.clone();
    let life = Router::new()
        .route("/install", post(lifecycle::install))
        .route(
            "/uninstall",
            post(move |state, body| async move {
                let member = lifecycle::member_of(&body);
                let answer = lifecycle::uninstall(state, body).await;
                if let (Ok(_), Some(m)) = (&answer, member) {
                    forget.forget_portal(&m, &own);
                }
                answer
            }),
        )
        .with_state(lifecycle.clone());
    let portal_events = Router::new()
        .route("/events", post(portal_events::receive))
        .with_state(portal_events::EventsRoute {
            life: lifecycle.clone(),
            frames: Some(frames),
        });
    verified_router(host, preview, verifier)
        .merge(life)
        .merge(portal_events)
}
