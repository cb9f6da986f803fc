//! A local stand-in of a Bitrix24 portal's REST side, for trying a widget and testing a
//! client without a portal: demo CRM data, the documented result and error envelopes,
//! OAuth tokens that expire and refresh (`/oauth/token/`), an incoming webhook, `batch`,
//! list pagination (`next`, `total`, `start=-1`), placement registration, and the leaky
//! bucket that answers `QUERY_LIMIT_EXCEEDED`.
//!
//! | route | what it serves |
//! |---|---|
//! | `/rest/METHOD` | a call with an OAuth access token in `auth` (body or query) |
//! | `/rest/USER/CODE/METHOD` | a call through the incoming webhook |
//! | `/oauth/token/` | `grant_type=refresh_token`: a new pair of tokens |
//! | `/portal/events` | each delivery of an online event: event, handler, status, time (no token) |
//!
//! Methods: `crm.{lead,deal,contact,company,quote,activity}.{get,list}`,
//! `crm.{lead,deal,contact,company,quote}.update`, `crm.item.{get,list,update}` (smart
//! invoices 31, custom type 183), `crm.timeline.comment.{add,list}`, `sale.order.get`,
//! `placement.{bind,unbind,get}`, `batch`, `app.info`, `user.current`;
//! `crm.{lead,deal,contact,company,quote}.{add,delete}`, `crm.item.{add,delete}`; the
//! events: `event.{bind,unbind,get,test}`, `events`, `event.offline.{get,clear,error,list}`;
//! the timeline's own records: `crm.activity.configurable.{add,update,get}`, `crm.activity.delete`,
//! `crm.activity.layout.blocks.{set,get,delete}`, `crm.timeline.layout.blocks.{set,get,delete}`,
//! `crm.activity.badge.{add,get,list,delete}`, their layouts checked by the rule table and
//! drawn in the card's timeline.
//!
//! Every change of its CRM raises its documented event once an app is installed: POSTed to
//! each online handler bound for it, off the request, and queued for offline consumers.

mod batch;
mod bucket;
mod config;
pub mod crm;
mod events;
mod failure;
mod fields;
mod http;
mod install;
mod methods;
mod oauth;
mod offline;
mod open;
pub mod params;
mod placements;
mod portal;
pub mod timeline;
mod timeline_ui;
mod ui;

/// The portal's part of a widget's frame in the browser (the renderer of the built-in
/// interface and the frame protocol), shared with the app's preview.
pub use b24_html::assets;
pub use config::Config;
pub use events::{Delivery, EventBinding};
pub use failure::Failure;
pub use http::router;
pub use open::Opened;
pub use params::id_of;
pub use portal::{Activity, Bound, Issued, Portal};
