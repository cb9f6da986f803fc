//! `b24 fields [ENTITY]`: a portal's fields as a table or JSON; `b24 fields pull`: its
//! schemas into a snapshot file committed with the app; `b24 fields diff SNAPSHOT`: what
//! the portal has that the snapshot has not, and the reverse.

use std::io::Write;

use b24_crm::snapshot::{entity_key, entity_of_key, Diff};
use b24_crm::{Schema, Snapshot};
use b24_placement::placement::Entity;
use indexmap::IndexMap;

use crate::rest::{runtime, Connection};

#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Fields {
    #[command(subcommand)]
    pub action: Option<Action>,
    #[command(flatten)]
    pub show: Show,
}

#[derive(clap::Subcommand)]
pub enum Action {
    /// Write the portal's fields of deals, leads, contacts, companies, quotes (and the
    /// smart processes named with --item) to a snapshot file, to commit with the app.
    Pull(Pull),
    /// Compare a snapshot with the portal: exit 0 when they agree, 1 when they differ
    /// (each difference printed), 2 when either cannot be read.
    Diff(DiffArgs),
}

#[derive(clap::Args)]
pub struct Show {
    /// deal (default), lead, contact, company, quote, activity, or item:N for a smart
    /// process or smart invoice (item:31).
    pub entity: Option<String>,
    /// Print the portal's description as JSON rather than a table.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub connection: Connection,
}

#[derive(clap::Args)]
pub struct Pull {
    /// The snapshot file.
    #[arg(long, default_value = "b24-fields.json")]
    pub out: String,
    /// A smart process's entityTypeId to pull too (repeatable).
    #[arg(long = "item")]
    pub items: Vec<u32>,
    #[command(flatten)]
    pub connection: Connection,
}

#[derive(clap::Args)]
pub struct DiffArgs {
    /// The snapshot file `b24 fields pull` wrote.
    pub snapshot: String,
    #[command(flatten)]
    pub connection: Connection,
}

const DEFAULT: &[Entity] = &[
    Entity::DEAL,
    Entity::LEAD,
    Entity::CONTACT,
    Entity::COMPANY,
    Entity::QUOTE,
];

fn entity(name: &str) -> Result<Entity, String> {
    entity_of_key(&name.to_ascii_lowercase()).ok_or_else(|| {
        format!("`{name}` is no entity: deal, lead, contact, company, quote, activity, item:N")
    })
}

fn flags(f: &b24_crm::Field) -> String {
    let mut out = Vec::new();
    for (on, name) in [
        (f.is_required, "required"),
        (f.is_read_only, "read-only"),
        (f.is_immutable, "immutable"),
        (f.is_multiple, "multiple"),
        (f.is_dynamic, "user"),
    ] {
        if on {
            out.push(name);
        }
    }
    out.join(",")
}

/// The schema as a readable table: name, type, flags, title, items.
pub fn table(schema: &Schema) -> String {
    let w = schema.fields.keys().map(String::len).max().unwrap_or(4).max(4);
    let tw = schema
        .fields
        .values()
        .map(|f| f.r#type.as_str().len())
        .max()
        .unwrap_or(4)
        .max(4);
    let mut out = format!("{:w$}  {:tw$}  {:34}  TITLE\n", "NAME", "TYPE", "FLAGS");
    for f in schema.fields.values() {
        let mut title = f.title.clone();
        if !f.items.is_empty() {
            let items: Vec<String> = f.items.iter().map(|i| format!("{}={}", i.id, i.value)).collect();
            title.push_str(&format!(" [{}]", items.join(", ")));
        }
        if let Some(s) = &f.status_type {
            title.push_str(&format!(" (statuses {s})"));
        }
        out.push_str(&format!(
            "{:w$}  {:tw$}  {:34}  {title}\n",
            f.name,
            f.r#type.as_str(),
            flags(f)
        ));
    }
    out
}

pub fn fields(args: &Fields) -> std::io::Result<u8> {
    match &args.action {
        None => show(&args.show),
        Some(Action::Pull(p)) => pull(p),
        Some(Action::Diff(d)) => diff(d),
    }
}

fn show(args: &Show) -> std::io::Result<u8> {
    let entity = match entity(args.entity.as_deref().unwrap_or("deal")) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("b24: {e}");
            return Ok(2);
        }
    };
    let client = match args.connection.client() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("b24: {e}");
            return Ok(2);
        }
    };
    match runtime()?.block_on(client.fields(entity)) {
        Ok(schema) => {
            let text = if args.json {
                serde_json::to_string_pretty(&schema.to_result()).unwrap_or_default() + "\n"
            } else {
                table(&schema)
            };
            std::io::stdout().lock().write_all(text.as_bytes())?;
            Ok(0)
        }
        Err(e) => {
            eprintln!("b24: {e}");
            Ok(if matches!(e, b24_rest::Error::Api { .. }) {
                1
            } else {
                2
            })
        }
    }
}

/// The portal's schemas of `entities`, and its domain.
fn read_all(conn: &Connection, entities: &[Entity]) -> Result<Snapshot, String> {
    let client = conn.client()?;
    let rt = runtime().map_err(|e| e.to_string())?;
    let mut out = IndexMap::new();
    for &e in entities {
        let schema = rt
            .block_on(client.fields(e))
            .map_err(|err| format!("{}: {err}", entity_key(e)))?;
        out.insert(entity_key(e), (*schema).clone());
    }
    Ok(Snapshot {
        portal: conn.domain().unwrap_or_default(),
        entities: out,
    })
}

fn pull(args: &Pull) -> std::io::Result<u8> {
    let mut entities = DEFAULT.to_vec();
    entities.extend(args.items.iter().map(|&n| {
        if n == 31 {
            Entity::SMART_INVOICE
        } else {
            Entity::DYNAMIC(n)
        }
    }));
    match read_all(&args.connection, &entities) {
        Ok(snapshot) => {
            std::fs::write(&args.out, snapshot.to_json() + "\n")?;
            let n: usize = snapshot.entities.values().map(|s| s.fields.len()).sum();
            eprintln!("{}: {} objects, {n} fields", args.out, snapshot.entities.len());
            Ok(0)
        }
        Err(e) => {
            eprintln!("b24: {e}");
            Ok(2)
        }
    }
}

fn diff(args: &DiffArgs) -> std::io::Result<u8> {
    let snapshot = match Snapshot::read(&args.snapshot) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("b24: {e}");
            return Ok(2);
        }
    };
    let entities: Vec<Entity> = snapshot
        .entities
        .keys()
        .filter_map(|k| entity_of_key(k))
        .collect();
    let portal = match read_all(&args.connection, &entities) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("b24: {e}");
            return Ok(2);
        }
    };
    let mut out = String::new();
    for (key, saved) in &snapshot.entities {
        let Some(now) = portal.entities.get(key) else {
            continue;
        };
        let d = Diff::of(saved, now);
        for name in &d.added {
            out.push_str(&format!(
                "{key}: + {name} ({}): in the portal, not in the snapshot\n",
                now.fields[name].r#type.as_str()
            ));
        }
        for name in &d.removed {
            out.push_str(&format!("{key}: - {name}: in the snapshot, not in the portal\n"));
        }
        for (name, what) in &d.changed {
            out.push_str(&format!("{key}: ~ {name}: {what}\n"));
        }
    }
    std::io::stdout().lock().write_all(out.as_bytes())?;
    if out.is_empty() {
        eprintln!("{}: the portal's fields agree", args.snapshot);
        Ok(0)
    } else {
        Ok(1)
    }
}
