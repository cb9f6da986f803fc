//! Serving a Bitrix24 CRM widget with axum: the placement request as an extractor, the
//! widget's iframe page with its bridge to the frame protocol, an event endpoint that runs
//! the widget's update loop, and a local preview that plays the portal's part.
//!
//! | module | what it holds |
//! |---|---|
//! | [`extract`] | the handler request as an extractor, the body limit |
//! | [`page`] | the widget's iframe page and its bridge |
//! | [`escape`] | HTML and `<script>` escaping |
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

use axum::routing::{get, post};
use axum::Router;
use layout_core::widget::AsyncWidget;

pub mod error;
pub mod escape;
mod events;
pub mod extract;
mod host;
pub mod lifecycle;
pub mod page;
pub mod preview;
mod run;
mod sessions;

pub use error::Error;
pub use escape::{escape_html, json_for_script};
pub use extract::{Placement, BODY_LIMIT};
pub use host::WidgetHost;
pub use lifecycle::Lifecycle;
pub use page::widget_page;
pub use preview::{preview_page, preview_page_with, Preview, PreviewFields};
pub use run::{run, serve, serve_listener};
pub use sessions::{MAX_PER_PORTAL, MAX_SESSIONS};

/// The store of installed portals (SQLite or PostgreSQL), for [`Lifecycle`].
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
    let preview = Arc::new(preview);
    let (h, p) = (host.clone(), preview.clone());
    Router::new()
        .route("/", get(preview::preview).with_state(preview))
        .route(
            "/preview/handler",
            post(
                move |axum::extract::OriginalUri(uri): axum::extract::OriginalUri,
                      headers: axum::http::HeaderMap,
                      body: axum::body::Bytes| {
                    preview::preview_handler(h.clone(), p.clone(), uri, headers, body)
                },
            ),
        )
        .route("/handler", post(host::handler::<W>))
        .route("/event", post(events::event::<W>))
        .with_state(host)
}

/// The routes of an installed app: [`router_with_preview`]'s, every handler call and
/// event verified against `lifecycle`'s store (403 for a portal that has not installed
/// the app or a wrong `APPLICATION_TOKEN`, before any frame is made), and
/// `POST /install`, `POST /uninstall`.
pub fn app_router<W: AsyncWidget + 'static>(
    host: Arc<WidgetHost<W>>,
    lifecycle: Arc<Lifecycle>,
    preview: Preview,
) -> Router {
    let _ = host.lifecycle.set(lifecycle.clone());
    let forget = host.clone();
    let life = Router::new()
        .route("/install", post(lifecycle::install))
        .route(
            "/uninstall",
            post(move |state, body| async move {
                let member = lifecycle::member_of(&body);
                let answer = lifecycle::uninstall(state, body).await;
                if let (Ok(_), Some(m)) = (&answer, member) {
                    forget.forget_portal(&m);
                }
                answer
            }),
        )
        .with_state(lifecycle);
    router_with_preview(host, preview).merge(life)
}
