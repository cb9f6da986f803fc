//! What an app declares, made true on a portal idempotently: what is bound and declared is
//! kept, what is declared and missing is bound, what is bound and no longer declared is
//! unbound. Planned first (`plan_*`: `placement.get`, `event.get`), then applied: an app's
//! install and `b24 app sync` (with `--dry-run`, the plan alone) do the same.

use b24_placement::bind::PlacementBind;
use b24_placement::event::{BoundEvent, EventBind};
use serde_json::Value;

use crate::crm::BoundPlacement;
use crate::{Client, Error};

/// The placements to keep, bind and unbind.
#[derive(Clone, Debug, Default)]
pub struct PlacementPlan {
    pub keep: Vec<PlacementBind>,
    pub bind: Vec<PlacementBind>,
    pub unbind: Vec<BoundPlacement>,
}

/// The events to keep, bind and unbind.
#[derive(Clone, Debug, Default)]
pub struct EventPlan {
    pub keep: Vec<EventBind>,
    pub bind: Vec<EventBind>,
    pub unbind: Vec<BoundEvent>,
}

impl PlacementPlan {
    /// Whether nothing is to be done.
    pub fn is_done(&self) -> bool {
        self.bind.is_empty() && self.unbind.is_empty()
    }
}

impl EventPlan {
    pub fn is_done(&self) -> bool {
        self.bind.is_empty() && self.unbind.is_empty()
    }
}

fn same(declared: &PlacementBind, bound: &BoundPlacement) -> bool {
    declared.placement().to_string() == bound.placement.to_string() && declared.handler() == bound.handler
}

impl Client {
    /// What makes the app's registrations (`placement.get`) the `declared` ones.
    pub async fn plan_placements(&self, declared: &[PlacementBind]) -> Result<PlacementPlan, Error> {
        let existing = self.bound().await?;
        let mut plan = PlacementPlan::default();
        for d in declared {
            if existing.iter().any(|b| same(d, b)) {
                plan.keep.push(d.clone());
            } else if !plan.bind.contains(d) {
                plan.bind.push(d.clone());
            }
        }
        plan.unbind = existing
            .into_iter()
            .filter(|b| !declared.iter().any(|d| same(d, b)))
            .collect();
        Ok(plan)
    }

    /// Carries a placement plan out: binds, then unbinds.
    pub async fn apply_placements(&self, plan: &PlacementPlan) -> Result<(), Error> {
        for b in &plan.bind {
            self.bind(b).await?;
        }
        for b in &plan.unbind {
            self.unbind(&b.placement, Some(&b.handler)).await?;
        }
        Ok(())
    }

    /// What makes the app's event registrations (`event.get`) the `declared` ones.
    pub async fn plan_events(&self, declared: &[EventBind]) -> Result<EventPlan, Error> {
        let listed = self.call("event.get", Value::Null).await?.result;
        let existing: Vec<BoundEvent> = listed
            .as_array()
            .map(|rows| rows.iter().filter_map(BoundEvent::from_json).collect())
            .unwrap_or_default();
        let mut plan = EventPlan::default();
        for d in declared {
            if existing.iter().any(|b| d.is(b)) {
                plan.keep.push(d.clone());
            } else if !plan.bind.contains(d) {
                plan.bind.push(d.clone());
            }
        }
        plan.unbind = existing
            .into_iter()
            .filter(|b| !declared.iter().any(|d| d.is(b)))
            .collect();
        Ok(plan)
    }

    /// Carries an event plan out: binds, then unbinds.
    pub async fn apply_events(&self, plan: &EventPlan) -> Result<(), Error> {
        for e in &plan.bind {
            self.call("event.bind", e.to_json()).await?;
        }
        for b in &plan.unbind {
            self.call("event.unbind", b.unbind_json()).await?;
        }
        Ok(())
    }
}
