//! Event names: the CRM objects whose changes Bitrix24 reports, declared once with their
//! event stem and the entity of the placement table they are; the app's life-cycle
//! events; the other names of the docs' table. Names are read in any case (the docs
//! print `onCrmActivityAdd` beside `ONCRMACTIVITYADD`) and printed in upper case.

use std::fmt;

use crate::placement::Entity;

/// What happened to a CRM object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    Add,
    Update,
    Delete,
}

impl Action {
    pub const ALL: [Action; 3] = [Action::Add, Action::Update, Action::Delete];

    /// The name's suffix: `ADD`, `UPDATE`, `DELETE`.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Add => "ADD",
            Action::Update => "UPDATE",
            Action::Delete => "DELETE",
        }
    }
}

/// Declares the CRM objects whose add, update and delete are events: each with its
/// event stem and the entity of the placement table it is (the items of smart processes
/// and smart invoices share `ONCRMDYNAMICITEM*`, told apart by `ENTITY_TYPE_ID`; timeline
/// comments are not an entity of the table).
macro_rules! objects {
    ($($(#[$doc:meta])* $name:ident = $stem:literal,)*) => {
        /// A CRM object kind whose changes are events.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Object {
            $($(#[$doc])* $name,)*
        }

        impl Object {
            pub const ALL: [Object; [$(Object::$name),*].len()] = [$(Object::$name),*];

            /// The stem of its events: `ONCRMDEAL` for `ONCRMDEALADD`.
            pub fn stem(self) -> &'static str {
                match self {
                    $(Object::$name => $stem,)*
                }
            }
        }
    };
}

objects! {
    Lead = "ONCRMLEAD",
    Deal = "ONCRMDEAL",
    Contact = "ONCRMCONTACT",
    Company = "ONCRMCOMPANY",
    /// An estimate.
    Quote = "ONCRMQUOTE",
    /// The old invoice (entityTypeId 5).
    Invoice = "ONCRMINVOICE",
    /// Any activity: system, to-do, configurable, of a custom type.
    Activity = "ONCRMACTIVITY",
    /// An item of a smart process or a smart invoice: `data[FIELDS][ENTITY_TYPE_ID]` says which.
    Item = "ONCRMDYNAMICITEM",
    /// A timeline comment: its id is `data[ID]`, with no `FIELDS` level.
    TimelineComment = "ONCRMTIMELINECOMMENT",
}

impl Object {
    /// The object kind an entity of the placement table is; `None` for the store's order,
    /// which raises the sale module's events, not the CRM's.
    pub fn of(entity: Entity) -> Option<Object> {
        Some(match entity {
            Entity::LEAD => Object::Lead,
            Entity::DEAL => Object::Deal,
            Entity::CONTACT => Object::Contact,
            Entity::COMPANY => Object::Company,
            Entity::QUOTE => Object::Quote,
            Entity::INVOICE => Object::Invoice,
            Entity::ACTIVITY => Object::Activity,
            Entity::SMART_INVOICE | Entity::DYNAMIC(_) => Object::Item,
            Entity::ORDER => return None,
        })
    }

    /// The entity of an object of this kind (`entity_type_id` for items: 31 is a smart
    /// invoice, another number a custom type).
    pub fn entity(self, entity_type_id: Option<u32>) -> Option<Entity> {
        Some(match self {
            Object::Lead => Entity::LEAD,
            Object::Deal => Entity::DEAL,
            Object::Contact => Entity::CONTACT,
            Object::Company => Entity::COMPANY,
            Object::Quote => Entity::QUOTE,
            Object::Invoice => Entity::INVOICE,
            Object::Activity => Entity::ACTIVITY,
            Object::Item => match entity_type_id? {
                31 => Entity::SMART_INVOICE,
                n => Entity::DYNAMIC(n),
            },
            Object::TimelineComment => return None,
        })
    }
}

/// The app's own events and the portal's common ones.
macro_rules! app_events {
    ($($(#[$doc:meta])* $name:ident = $code:literal,)*) => {
        /// An event of the app's life cycle, or a common one of the portal.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[allow(non_camel_case_types)]
        pub enum AppEvent {
            $($(#[$doc])* $name,)*
        }

        impl AppEvent {
            pub const ALL: [AppEvent; [$(AppEvent::$name),*].len()] = [$(AppEvent::$name),*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(AppEvent::$name => $code,)*
                }
            }
        }
    };
}

app_events! {
    /// The app was installed: `data[VERSION]`, `[ACTIVE]`, `[INSTALLED]`, `[LANGUAGE_ID]`.
    ONAPPINSTALL = "ONAPPINSTALL",
    /// A new version was installed: a new application token comes with it.
    ONAPPUPDATE = "ONAPPUPDATE",
    /// The app was removed: `data[CLEAN]` says whether its data is to be cleared.
    ONAPPUNINSTALL = "ONAPPUNINSTALL",
    ONAPPPAYMENT = "ONAPPPAYMENT",
    ONAPPMETHODCONFIRM = "ONAPPMETHODCONFIRM",
    /// `event.test` was called: `data[QUERY]` holds its params.
    ONAPPTEST = "ONAPPTEST",
    /// The offline queue has new records: a signal to fetch them, with no data.
    ONOFFLINEEVENT = "ONOFFLINEEVENT",
    ONUSERADD = "ONUSERADD",
}

/// The docs' other CRM events: their names are known (a bind of a misspelt one is
/// refused), their data kept as it comes.
const LISTED: &[&str] = &[
    "ONCRMDEALUSERFIELDADD",
    "ONCRMDEALUSERFIELDUPDATE",
    "ONCRMDEALUSERFIELDDELETE",
    "ONCRMDEALUSERFIELDSETENUMVALUES",
    "ONCRMLEADUSERFIELDADD",
    "ONCRMLEADUSERFIELDUPDATE",
    "ONCRMLEADUSERFIELDDELETE",
    "ONCRMLEADUSERFIELDSETENUMVALUES",
    "ONCRMCONTACTUSERFIELDADD",
    "ONCRMCONTACTUSERFIELDUPDATE",
    "ONCRMCONTACTUSERFIELDDELETE",
    "ONCRMCONTACTUSERFIELDSETENUMVALUES",
    "ONCRMCOMPANYUSERFIELDADD",
    "ONCRMCOMPANYUSERFIELDUPDATE",
    "ONCRMCOMPANYUSERFIELDDELETE",
    "ONCRMCOMPANYUSERFIELDSETENUMVALUES",
    "ONCRMQUOTEUSERFIELDADD",
    "ONCRMQUOTEUSERFIELDUPDATE",
    "ONCRMQUOTEUSERFIELDDELETE",
    "ONCRMQUOTEUSERFIELDSETENUMVALUES",
    "ONCRMTYPEUSERFIELDADD",
    "ONCRMTYPEUSERFIELDUPDATE",
    "ONCRMTYPEUSERFIELDDELETE",
    "ONCRMTYPEUSERFIELDSETENUMVALUES",
    "ONCRMTYPEADD",
    "ONCRMTYPEUPDATE",
    "ONCRMTYPEDELETE",
    "ONCRMDEALRECURRINGADD",
    "ONCRMDEALRECURRINGUPDATE",
    "ONCRMDEALRECURRINGDELETE",
    "ONCRMDEALRECURRINGEXPOSE",
    "ONCRMINVOICESETSTATUS",
    "ONCRMTIMELINEITEMACTION",
];

/// An event's name, read into what it reports.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum EventName {
    /// A CRM object was added, changed or deleted. `per_type` is the entityTypeId of a
    /// per-type item event (`ONCRMDYNAMICITEMADD_147`).
    Crm {
        object: Object,
        action: Action,
        per_type: Option<u32>,
    },
    /// A deal moved to another funnel (`ONCRMDEALMOVETOCATEGORY`): this raises no
    /// `ONCRMDEALUPDATE`.
    DealMoveToCategory,
    App(AppEvent),
    /// Another event of the docs' table.
    Listed(&'static str),
    /// A name the table does not know (kept as sent, in upper case).
    Other(String),
}

impl EventName {
    /// The name of a CRM change.
    pub fn crm(object: Object, action: Action) -> EventName {
        EventName::Crm {
            object,
            action,
            per_type: None,
        }
    }

    /// Reads a name, in any case; a name the table does not know is [`EventName::Other`].
    pub fn parse(name: &str) -> EventName {
        let upper = name.trim().to_ascii_uppercase();
        if let Some(app) = AppEvent::ALL.iter().find(|a| a.as_str() == upper) {
            return EventName::App(*app);
        }
        if upper == "ONCRMDEALMOVETOCATEGORY" {
            return EventName::DealMoveToCategory;
        }
        if let Some(listed) = LISTED.iter().find(|l| **l == upper) {
            return EventName::Listed(listed);
        }
        // the longest stem first: ONCRMDEAL is a prefix of ONCRMDEALUSERFIELD... (listed above)
        for object in Object::ALL {
            let Some(rest) = upper.strip_prefix(object.stem()) else {
                continue;
            };
            for action in Action::ALL {
                let Some(tail) = rest.strip_prefix(action.as_str()) else {
                    continue;
                };
                if tail.is_empty() {
                    return EventName::crm(object, action);
                }
                if object == Object::Item {
                    if let Some(n) = tail
                        .strip_prefix('_')
                        .filter(|n| !n.starts_with('0'))
                        .and_then(|n| n.parse::<u32>().ok())
                    {
                        return EventName::Crm {
                            object,
                            action,
                            per_type: Some(n),
                        };
                    }
                }
            }
        }
        EventName::Other(upper)
    }

    /// Whether the docs' table knows the name.
    pub fn is_known(&self) -> bool {
        !matches!(self, EventName::Other(_))
    }

    /// Every name the table knows (per-type item events with `dynamic` as their type).
    pub fn all(dynamic: u32) -> impl Iterator<Item = EventName> {
        let crm = Object::ALL.into_iter().flat_map(move |object| {
            Action::ALL.into_iter().flat_map(move |action| {
                let per = (object == Object::Item).then_some(EventName::Crm {
                    object,
                    action,
                    per_type: Some(dynamic),
                });
                std::iter::once(EventName::crm(object, action)).chain(per)
            })
        });
        crm.chain(std::iter::once(EventName::DealMoveToCategory))
            .chain(AppEvent::ALL.into_iter().map(EventName::App))
            .chain(LISTED.iter().map(|l| EventName::Listed(l)))
    }

    /// The known name closest to `name`, if one is close enough to be a typo.
    pub fn closest(name: &str) -> Option<String> {
        let upper = name.trim().to_ascii_uppercase();
        EventName::all(128)
            .map(|n| n.to_string())
            .map(|c| (strsim::damerau_levenshtein(&upper, &c), c))
            .filter(|(d, c)| *d <= (c.len() / 6).max(2))
            .min_by_key(|(d, _)| *d)
            .map(|(_, c)| c)
    }

    /// The object and the change, for a CRM change.
    pub fn change(&self) -> Option<(Object, Action)> {
        match self {
            EventName::Crm { object, action, .. } => Some((*object, *action)),
            EventName::DealMoveToCategory => Some((Object::Deal, Action::Update)),
            _ => None,
        }
    }
}

impl fmt::Display for EventName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventName::Crm {
                object,
                action,
                per_type,
            } => {
                write!(f, "{}{}", object.stem(), action.as_str())?;
                match per_type {
                    Some(n) => write!(f, "_{n}"),
                    None => Ok(()),
                }
            }
            EventName::DealMoveToCategory => f.write_str("ONCRMDEALMOVETOCATEGORY"),
            EventName::App(a) => f.write_str(a.as_str()),
            EventName::Listed(l) => f.write_str(l),
            EventName::Other(o) => f.write_str(o),
        }
    }
}

impl std::str::FromStr for EventName {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(EventName::parse(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::placement::{EntityKind, KnownPlacement};

    #[test]
    fn every_known_name_prints_and_parses_back() {
        let mut seen = 0;
        for name in EventName::all(147) {
            assert_eq!(EventName::parse(&name.to_string()), name, "{name}");
            assert!(name.is_known());
            seen += 1;
        }
        // 9 objects x 3 actions, 3 per-type item events, the move, 8 app events, the list
        assert_eq!(seen, 27 + 3 + 1 + AppEvent::ALL.len() + LISTED.len());
    }

    #[test]
    fn names_are_read_in_any_case_and_per_type() {
        assert_eq!(
            EventName::parse("onCrmActivityAdd"),
            EventName::crm(Object::Activity, Action::Add)
        );
        assert_eq!(
            EventName::parse("ONCRMDYNAMICITEMUPDATE_147"),
            EventName::Crm {
                object: Object::Item,
                action: Action::Update,
                per_type: Some(147)
            }
        );
        assert_eq!(
            EventName::parse("ONCRMDEALUSERFIELDADD"),
            EventName::Listed("ONCRMDEALUSERFIELDADD")
        );
        for other in [
            "ONCRMDYNAMICITEMADD_0147",
            "ONCRMDEALADD_2",
            "ONCRMDEALADDX",
            "",
            "ONUNKNOWN",
        ] {
            assert!(!EventName::parse(other).is_known(), "{other}");
        }
        assert_eq!(
            EventName::closest("ONCRMDEALUPDTE").as_deref(),
            Some("ONCRMDEALUPDATE")
        );
        assert_eq!(EventName::closest("SOMETHING"), None);
    }

    #[test]
    fn every_crm_entity_of_the_placement_table_has_its_events_but_the_order() {
        let entities: std::collections::HashSet<EntityKind> = KnownPlacement::all(183)
            .filter_map(|p| p.entity())
            .map(|e| e.kind())
            .collect();
        for kind in entities {
            let entity = kind.entity(183);
            match Object::of(entity) {
                Some(object) => {
                    let back = object.entity(Some(entity.entity_type_id()));
                    assert_eq!(back, Some(entity), "{kind:?}");
                }
                None => assert_eq!(entity, Entity::ORDER),
            }
        }
    }
}
