//! Where a Bitrix24 CRM widget lives and how it is called: every placement code of the
//! docs ([`placement`]), the handler's request read into a typed value ([`request`]),
//! the `placement.bind` params that register a handler ([`bind`]), the portal's events
//! and `event.bind` ([`event`]), and the [`Secret`] that holds a token.
//!
//! ```
//! use b24_placement::request::HandlerRequest;
//!
//! let body = "DOMAIN=xxx.bitrix24.com&PROTOCOL=1&LANG=en&member_id=da45&status=L\
//!             &PLACEMENT=CRM_DEAL_DETAIL_ACTIVITY&PLACEMENT_OPTIONS=%7B%22ID%22%3A%2212%22%7D";
//! let request = HandlerRequest::parse(body, None).unwrap();
//! assert_eq!(request.read_call().unwrap().method, "crm.deal.get");
//! ```

pub mod batch;
pub mod bind;
#[cfg(feature = "event")]
pub mod event;
mod form;
pub mod methods;
pub mod placement;
pub mod request;
pub mod search;
mod secret;
pub mod time;

pub use bind::{BindError, PlacementBind};
pub use placement::{Entity, Family, KnownPlacement, Placement};
pub use request::{HandlerRequest, RequestError};
pub use secret::Secret;
