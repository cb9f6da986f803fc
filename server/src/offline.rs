//! The offline consumer: a portal's queued events fetched with `event.offline.get`
//! (`clear=0`, under a `process_id`), each handed to the app's handlers, confirmed with
//! `event.offline.clear` only once they succeeded (`event.offline.error` for the failed).
//!
//! The reservation's `process_id` is chosen by the consumer and written to the store
//! *before* it is asked for: a consumer killed at any point between fetch and confirm
//! finds it there at its next drain and asks for the same records again (they are handed
//! to the handlers again: handlers see an event at least once). `ONOFFLINEEVENT` wakes the
//! consumer ([`Lifecycle::wake_offline`]); an app may also drain on a timer
//! ([`Lifecycle::drain_offline`]).

use std::sync::Arc;

use b24_placement::event::{EventAuth, PortalEvent};
use b24_store::InstalledPortal;
use serde_json::{json, Value};
use tracing::Instrument;

use crate::error::Error;
use crate::lifecycle::Lifecycle;
use crate::portal_events::{Delivered, HandlerError};

/// What a drain did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Drained {
    /// Records whose handlers succeeded (cleared).
    pub handled: usize,
    /// Records set aside with `event.offline.error` (a handler failed, none was
    /// registered, or the record could not be read).
    pub failed: usize,
    /// REST calls made.
    pub calls: usize,
}

fn rest(e: b24_rest::Error) -> Error {
    Error::Internal(format!("the offline queue could not be read: {e}"))
}

fn store(e: b24_store::StoreError) -> Error {
    Error::Store(e.to_string())
}

/// A reservation's name: 128 random bits, as hex.
fn new_process_id() -> Result<String, Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| Error::Internal(format!("no random process id: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

impl Lifecycle {
    /// Drains the offline queue of portal `member_id` until it is empty; one drain at a
    /// time per portal (a second waits for the first, then finds what came meanwhile).
    pub async fn drain_offline(&self, member_id: &str) -> Result<Drained, Error> {
        let lock = self.offline_lock(member_id);
        let _one = lock.lock().await;
        let portal = self
            .portal(member_id)
            .await?
            .ok_or_else(|| Error::Internal("the portal has not installed the app".into()))?;
        let client = self.client(&portal).map_err(rest)?;
        let auth = EventAuth {
            domain: portal.domain.clone(),
            member_id: portal.member_id.clone(),
            client_endpoint: Some(portal.client_endpoint.clone()),
            server_endpoint: portal.server_endpoint.clone(),
            status: portal.status.clone(),
            scope: portal.scope.clone(),
            ..EventAuth::default()
        };
        let mut drained = Drained::default();
        loop {
            // a reservation left by a consumer that stopped is asked for first
            let mut process_id = match self.store().offline_process(member_id).await.map_err(store)? {
                Some(held) => held,
                None => {
                    let fresh = new_process_id()?;
                    self.store()
                        .set_offline_process(member_id, Some(&fresh))
                        .await
                        .map_err(store)?;
                    fresh
                }
            };
            let mut params =
                json!({"clear": 0, "limit": self.offline_limit_value(), "process_id": process_id});
            if let Some(key) = self.connector() {
                params["auth_connector"] = json!(key);
            }
            let answer = client.call("event.offline.get", params).await.map_err(rest)?;
            drained.calls += 1;
            if let Some(named) = answer.result.get("process_id").and_then(Value::as_str) {
                if named != process_id {
                    // the portal named the reservation itself: kept before anything is handled
                    self.store()
                        .set_offline_process(member_id, Some(named))
                        .await
                        .map_err(store)?;
                    process_id = named.to_owned();
                }
            }
            let records = answer
                .result
                .get("events")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            if records.is_empty() {
                self.store()
                    .set_offline_process(member_id, None)
                    .await
                    .map_err(store)?;
                return Ok(drained);
            }
            let (mut done, mut failed) = (Vec::new(), Vec::new());
            for record in &records {
                let text = |k: &str| match record.get(k) {
                    Some(Value::String(s)) => s.clone(),
                    Some(Value::Number(n)) => n.to_string(),
                    _ => String::new(),
                };
                let name = text("EVENT_NAME");
                let outcome = match PortalEvent::from_record(
                    &name,
                    record.get("EVENT_DATA").cloned().unwrap_or(Value::Null),
                    auth.clone(),
                ) {
                    Ok(event) => self.handle_offline(event, portal.clone()).await,
                    Err(e) => Err(e.to_string().into()),
                };
                match outcome {
                    Ok(()) => done.push(text("ID")),
                    Err(e) => {
                        tracing::warn!(event = %name, "an offline event was set aside: {e}");
                        failed.push(text("MESSAGE_ID"));
                    }
                }
            }
            if !failed.is_empty() {
                client
                    .call(
                        "event.offline.error",
                        json!({"process_id": process_id, "message_id": failed}),
                    )
                    .await
                    .map_err(rest)?;
                drained.calls += 1;
            }
            if !done.is_empty() {
                client
                    .call(
                        "event.offline.clear",
                        json!({"process_id": process_id, "id": done}),
                    )
                    .await
                    .map_err(rest)?;
                drained.calls += 1;
            }
            drained.handled += done.len();
            drained.failed += failed.len();
            // the next round reserves under a new name
            self.store()
                .set_offline_process(member_id, None)
                .await
                .map_err(store)?;
        }
    }

    /// Wakes the offline consumer of portal `member_id` (ONOFFLINEEVENT): a drain runs
    /// off the caller, its failure logged.
    pub fn wake_offline(self: &Arc<Self>, member_id: &str) {
        let life = self.clone();
        let member = member_id.to_owned();
        tokio::spawn(
            async move {
                match life.drain_offline(&member).await {
                    Ok(d) => tracing::info!(handled = d.handled, failed = d.failed, "offline queue drained"),
                    Err(e) => tracing::error!("the offline queue could not be drained: {e}"),
                }
            }
            .in_current_span(),
        );
    }

    /// Runs every handler of an offline event and waits for them: the record is confirmed
    /// only if all succeed. A panic is a failure.
    async fn handle_offline(
        &self,
        event: PortalEvent,
        portal: Arc<InstalledPortal>,
    ) -> Result<(), HandlerError> {
        let handlers = self.handlers_of(&event.name);
        if handlers.is_empty() {
            return Err(format!("no handler is registered for {}", event.name).into());
        }
        let client = self.client(&portal).ok();
        for handler in handlers {
            let delivered = Delivered {
                event: event.clone(),
                portal: portal.clone(),
                client: client.clone(),
                offline: true,
            };
            let limit = self.handler_timeout_value();
            match tokio::spawn(tokio::time::timeout(limit, handler(delivered)).in_current_span()).await {
                Ok(Ok(Ok(()))) => {}
                Ok(Ok(Err(e))) => return Err(e),
                Ok(Err(_)) => return Err(format!("the handler ran longer than {limit:?}").into()),
                Err(e) if e.is_panic() => return Err("the handler panicked".into()),
                Err(_) => return Err("the handler was cancelled".into()),
            }
        }
        Ok(())
    }
}
