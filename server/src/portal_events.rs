//! The portal's events, online: `POST /events` reads the form Bitrix24 sends into a typed
//! [`PortalEvent`], refuses it with 403 before anything else unless its
//! `auth[application_token]` is the installed portal's (constant time), answers at once,
//! and then, off the request: tells the open frames of a changed object
//! ([`Event::ObjectChanged`](layout_core::command::Event::ObjectChanged)), wakes the
//! offline consumer on `ONOFFLINEEVENT`, and runs the app's handlers for the event (their
//! failures and panics logged).
//!
//! `ONAPPINSTALL` and `ONAPPUPDATE` sent here install the app as `POST /install` does;
//! `ONAPPUNINSTALL` uninstalls it as `POST /uninstall` does.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use b24_placement::event::{AppEvent, EventName, Payload, PortalEvent};
use b24_rest::Client;
use b24_store::InstalledPortal;
use serde_json::json;
use tracing::Instrument;

use crate::error::Error;
use crate::events::Frames;
use crate::lifecycle::Lifecycle;
use crate::verify::{Refusal, Verifier};

/// What an event handler is given: the event, the portal it came from, and the portal's
/// REST client (the stored tokens; `None` when the portal must install the app again).
#[derive(Clone, Debug)]
pub struct Delivered {
    pub event: PortalEvent,
    pub portal: Arc<InstalledPortal>,
    pub client: Option<Client>,
    /// Whether it came from the offline queue (`event.offline.get`) rather than a POST.
    pub offline: bool,
}

/// An event handler's error: logged (online), or the record set aside (offline).
pub type HandlerError = Box<dyn std::error::Error + Send + Sync>;

/// What an event handler gives back.
pub type HandlerFuture = Pin<Box<dyn Future<Output = Result<(), HandlerError>> + Send>>;

/// A registered event handler.
pub(crate) type Handler = Arc<dyn Fn(Delivered) -> HandlerFuture + Send + Sync>;

/// The state of `POST /events`: the life cycle, and the open frames of the app's widget.
#[derive(Clone)]
pub(crate) struct EventsRoute {
    pub(crate) life: Arc<Lifecycle>,
    pub(crate) frames: Option<Arc<dyn Frames>>,
}

/// `POST /events`.
pub(crate) async fn receive(State(route): State<EventsRoute>, body: Bytes) -> Result<Response, Error> {
    if body.len() > b24_placement::event::FORM_LIMIT {
        return Err(Error::TooLarge);
    }
    let text = std::str::from_utf8(&body).map_err(|_| Error::Body("is not UTF-8"))?;
    let event = PortalEvent::parse(text)?;
    let span = tracing::info_span!(
        "portal_event",
        domain = %event.auth.domain,
        member_id = %event.auth.member_id,
        event = %event,
    );
    async move {
        let life = &route.life;
        // the app's install and update carry the tokens they install with
        if matches!(
            event.name,
            EventName::App(AppEvent::ONAPPINSTALL | AppEvent::ONAPPUPDATE)
        ) {
            let installed = crate::lifecycle::install_event(life, &body).await?;
            return Ok(crate::error::json_answer(&installed));
        }
        let portal = match life.verify_event(&event).await? {
            Ok(portal) => portal,
            Err(refusal) => {
                tracing::warn!(why = refusal.as_str(), "refused an event");
                return Err(Error::Forbidden);
            }
        };
        if event.name == EventName::App(AppEvent::ONAPPUNINSTALL) {
            let token = event
                .auth
                .application_token
                .as_ref()
                .map(|t| t.expose().to_owned())
                .unwrap_or_default();
            if life.uninstall(&event.auth.member_id, &token).await?.is_ok() {
                if let Some(frames) = &route.frames {
                    let verifier: Arc<dyn Verifier> = life.clone();
                    frames.forget(&event.auth.member_id, &verifier);
                }
            }
        }
        tracing::info!("event received");
        // the open frames of a changed object follow it
        if let (Some(frames), Some(change)) = (&route.frames, event.change()) {
            if let Some(entity) = change.entity() {
                let told = frames.object_changed(
                    &event.auth.member_id,
                    entity.entity_type_id(),
                    change.id,
                    &event.name.to_string(),
                );
                if told > 0 {
                    tracing::debug!(frames = told, "open frames told");
                }
            }
        }
        if event.payload == Payload::OfflineQueued {
            life.wake_offline(&portal.member_id);
        }
        life.dispatch(event, portal, false);
        Ok(crate::error::json_answer(&json!({"received": true})))
    }
    .instrument(span)
    .await
}

impl Lifecycle {
    /// The installed portal an event comes from, if its application token is the one
    /// stored at install (compared in constant time).
    pub async fn verify_event(
        &self,
        event: &PortalEvent,
    ) -> Result<Result<Arc<InstalledPortal>, Refusal>, Error> {
        let Some(portal) = self.portal(&event.auth.member_id).await? else {
            return Ok(Err(Refusal::NotInstalled));
        };
        Ok(match &event.auth.application_token {
            Some(t) if portal.application_token == *t => Ok(portal),
            _ => Err(Refusal::WrongToken),
        })
    }

    /// Runs the handlers of `event`, each off the caller (an online event's answer does
    /// not wait for them): a failure or a panic is logged.
    pub(crate) fn dispatch(&self, event: PortalEvent, portal: Arc<InstalledPortal>, offline: bool) {
        let handlers = self.handlers_of(&event.name);
        if handlers.is_empty() {
            return;
        }
        // an uninstalled portal's API access is revoked: no client is made for it
        let client = if event.name == EventName::App(AppEvent::ONAPPUNINSTALL) {
            None
        } else {
            self.client(&portal).ok()
        };
        for handler in handlers {
            let delivered = Delivered {
                event: event.clone(),
                portal: portal.clone(),
                client: client.clone(),
                offline,
            };
            let limit = self.handler_timeout_value();
            let task = tokio::spawn(tokio::time::timeout(limit, handler(delivered)).in_current_span());
            tokio::spawn(
                async move {
                    match task.await {
                        Ok(Ok(Ok(()))) => {}
                        Ok(Ok(Err(e))) => tracing::warn!("an event handler failed: {e}"),
                        Ok(Err(_)) => {
                            tracing::warn!("an event handler ran longer than {limit:?} and was stopped")
                        }
                        Err(e) if e.is_panic() => tracing::error!("an event handler panicked"),
                        Err(_) => tracing::warn!("an event handler was cancelled"),
                    }
                }
                .in_current_span(),
            );
        }
    }
}

impl From<b24_placement::event::EventError> for Error {
    fn from(e: b24_placement::event::EventError) -> Self {
        Error::PortalEvent(e)
    }
}
