//! The app declared as data: `b24.toml` holds its name, where it is served, its scopes,
//! the environment variables of its OAuth credentials, its placements and its events.
//! [`App::load`] reads it and checks every declaration as the portal would (a placement
//! code as `parse::<Placement>()` checks it, a bind option against its family, an event
//! name against the docs' table, a handler path, the scopes what it declares needs),
//! every error at once with its line and column. [`App::placement_binds`] and
//! [`App::event_binds`] give what `Lifecycle` binds on install, for the address the app
//! is served at.
//!
//! ```
//! let app = b24_app::App::parse(r#"
//! [app]
//! name = "deal-widget"
//! url = "https://app.example.com"
//!
//! [[placement]]
//! code = "CRM_DEAL_DETAIL_ACTIVITY"
//! handler = "/handler"
//! title = "Deal comment"
//! built_in_interface = true
//!
//! [[event]]
//! name = "ONCRMDEALUPDATE"
//! handler = "/events"
//! "#).unwrap();
//! assert_eq!(app.scopes, ["crm", "placement"]);
//! let binds = app.placement_binds("http://localhost:3000").unwrap();
//! assert_eq!(binds[0].to_json()["HANDLER"], "http://localhost:3000/handler");
//! ```

mod read;

use std::path::Path;

use b24_placement::bind::{BindError, PlacementBind};
use b24_placement::event::EventBind;
use b24_placement::placement::KnownPlacement;

/// The file's name: what `b24 dev` and `b24 app sync` look for.
pub const FILE: &str = "b24.toml";

/// The app, as `b24.toml` declares it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct App {
    pub name: String,
    /// Where it is served in production (no trailing `/`).
    pub url: String,
    /// Its scopes: as declared, or what its placements and events need.
    pub scopes: Vec<String>,
    /// The environment variables holding its OAuth client id and secret.
    pub client_id_env: String,
    pub client_secret_env: String,
    pub placements: Vec<PlacementDecl>,
    pub events: Vec<EventDecl>,
}

/// A placement the app binds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlacementDecl {
    pub code: KnownPlacement,
    /// The handler's path in the app (`/handler`).
    pub handler: String,
    pub title: String,
    pub description: Option<String>,
    pub built_in_interface: Option<bool>,
    pub new_user_notification: Option<(String, String)>,
    pub countries: Option<Vec<u32>>,
}

impl PlacementDecl {
    /// The `placement.bind` params for the app served at `base`.
    pub fn bind(&self, base: &str) -> Result<PlacementBind, BindError> {
        let base = base.trim_end_matches('/');
        let mut bind = PlacementBind::new(self.code, format!("{base}{}", self.handler), self.title.clone())?;
        if let Some(on) = self.built_in_interface {
            bind = bind.built_in_interface(on)?;
        }
        if let Some((title, text)) = &self.new_user_notification {
            bind = bind.new_user_notification(title.clone(), text.clone())?;
        }
        if let Some(ids) = &self.countries {
            bind = bind.countries(ids)?;
        }
        if let Some(d) = &self.description {
            bind = bind.description(d.clone());
        }
        Ok(bind)
    }
}

/// An event the app binds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventDecl {
    /// The event's name, upper case.
    pub name: String,
    /// The handler's path of an online event (`/events`).
    pub handler: Option<String>,
    pub offline: bool,
    pub auth_connector: Option<String>,
    pub min_timeout: Option<u64>,
}

impl EventDecl {
    /// The `event.bind` params for the app served at `base`.
    pub fn bind(&self, base: &str) -> Result<EventBind, BindError> {
        let base = base.trim_end_matches('/');
        let mut bind = match (&self.handler, self.offline) {
            (Some(path), false) => EventBind::online(&self.name, format!("{base}{path}"))?,
            _ => EventBind::offline(&self.name)?,
        };
        if let Some(key) = &self.auth_connector {
            bind = bind.auth_connector(key.clone())?;
        }
        if let Some(t) = self.min_timeout {
            bind = bind.min_timeout(t)?;
        }
        Ok(bind)
    }
}

/// What is wrong in `b24.toml`, where: its line and column (from 1), the key
/// (`placement[0].code`), what is wrong and what is allowed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{column}: {key}: {message}")]
pub struct AppError {
    pub line: usize,
    pub column: usize,
    pub key: String,
    pub message: String,
    pub help: Option<String>,
}

/// Why `b24.toml` could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {path}: {error}")]
    Unreadable { path: String, error: std::io::Error },
    #[error("{path} has {} error(s); the first: {}", .errors.len(), .errors[0])]
    Invalid { path: String, errors: Vec<AppError> },
}

impl App {
    /// Reads and checks the text of a `b24.toml`: the app, or every error.
    pub fn parse(text: &str) -> Result<App, Vec<AppError>> {
        read::parse(text)
    }

    /// Reads and checks the file at `path`.
    pub fn load(path: impl AsRef<Path>) -> Result<App, LoadError> {
        let path = path.as_ref();
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|error| LoadError::Unreadable {
            path: shown.clone(),
            error,
        })?;
        App::parse(&text).map_err(|errors| LoadError::Invalid { path: shown, errors })
    }

    /// The placements' `placement.bind` params for the app served at `base` (its `url`
    /// in production, the local address under `b24 dev`).
    pub fn placement_binds(&self, base: &str) -> Result<Vec<PlacementBind>, BindError> {
        self.placements.iter().map(|p| p.bind(base)).collect()
    }

    /// The events' `event.bind` params for the app served at `base`.
    pub fn event_binds(&self, base: &str) -> Result<Vec<EventBind>, BindError> {
        self.events.iter().map(|e| e.bind(base)).collect()
    }
}

#[cfg(test)]
mod tests;
