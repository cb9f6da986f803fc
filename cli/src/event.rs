//! `b24 event send`: a well-formed sample of a portal's event, POSTed to a handler under
//! development as Bitrix24's queue would send it, signed with the application token.

use std::io::Write;

use b24_placement::event::{EventAuth, EventName, PortalEvent};
use b24_placement::Secret;
use clap::Args;

/// What to send, and where.
#[derive(Args, Debug)]
pub struct Send {
    /// The event: ONCRMDEALUPDATE, ONCRMDYNAMICITEMADD_147, ONAPPUNINSTALL, ...
    event: String,
    /// The handler's URL.
    #[arg(long)]
    to: String,
    /// The object's id, for a CRM object's event.
    #[arg(long, default_value_t = 1)]
    id: u64,
    /// The entityTypeId of an item event (ONCRMDYNAMICITEM*); 31 is a smart invoice.
    #[arg(long)]
    entity_type_id: Option<u32>,
    /// The application token the handler checks (never printed).
    #[arg(long, env = "B24_APPLICATION_TOKEN", hide_env_values = true)]
    application_token: Option<String>,
    /// The portal's member_id.
    #[arg(long, default_value = "local-portal")]
    member_id: String,
    /// The portal's domain (a host name, with a port for a local portal).
    #[arg(long, default_value = "localhost")]
    domain: String,
    /// The handler id the event says it was bound with.
    #[arg(long, default_value_t = 1)]
    handler_id: u64,
}

/// Sends the event; prints the handler's status and answer. Exit 0 for a 2xx answer, 1
/// for another, 2 when the event cannot be made or the handler cannot be reached.
pub fn send(args: &Send) -> std::io::Result<u8> {
    let mut err = std::io::stderr().lock();
    let name = EventName::parse(&args.event);
    if !name.is_known() {
        let help = EventName::closest(&args.event)
            .map(|c| format!("did you mean `{c}`?"))
            .unwrap_or_else(|| "e.g. ONCRMDEALUPDATE, ONCRMDYNAMICITEMADD_147, ONAPPUNINSTALL".into());
        writeln!(
            err,
            "error: `{}` is not an event of the docs' table; {help}",
            args.event
        )?;
        return Ok(2);
    }
    let Some(token) = args.application_token.as_deref().filter(|t| !t.is_empty()) else {
        writeln!(
            err,
            "error: the handler checks the application token: give --application-token or B24_APPLICATION_TOKEN"
        )?;
        return Ok(2);
    };
    if !b24_placement::request::is_valid_domain(&args.domain) {
        writeln!(err, "error: --domain `{}` is not a host name", args.domain)?;
        return Ok(2);
    }
    let lower = args.to.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        writeln!(err, "error: --to `{}` is not an http(s) URL", args.to)?;
        return Ok(2);
    }
    let auth = EventAuth {
        domain: args.domain.clone(),
        member_id: args.member_id.clone(),
        client_endpoint: Some(format!("https://{}/rest/", args.domain)),
        server_endpoint: Some("https://oauth.bitrix.info/rest/".into()),
        status: Some("L".into()),
        scope: Some("crm".into()),
        user_id: Some(1),
        application_token: Some(Secret::new(token)),
        ..EventAuth::default()
    };
    let mut event = PortalEvent::sample(name, args.id, args.entity_type_id, auth);
    event.event_handler_id = Some(args.handler_id);
    let form = event.to_form();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let answer = runtime.block_on(async {
        let response = reqwest::Client::new()
            .post(&args.to)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form)
            .timeout(std::time::Duration::from_secs(30))
            .send()
            .await?;
        let status = response.status();
        let text = response.text().await?;
        Ok::<_, reqwest::Error>((status, text))
    });
    match answer {
        Ok((status, text)) => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "sent {event} to {}: {status}", args.to)?;
            // the handler's own answer, which never holds what was sent
            let shown: String = text.chars().take(2000).collect();
            if !shown.is_empty() {
                writeln!(out, "{shown}")?;
            }
            Ok(if status.is_success() { 0 } else { 1 })
        }
        Err(e) => {
            writeln!(
                err,
                "error: {} could not be reached: {}",
                args.to,
                e.without_url()
            )?;
            Ok(2)
        }
    }
}
