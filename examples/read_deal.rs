//! A widget's REST side: read the deal it was opened for, add a comment to its timeline.
//! Runs against the local portal (`b24-portal`) on loopback, with tokens that expire:
//!
//! ```sh
//! cargo run --example read_deal
//! ```

use b24_widgets::portal::{Config, Portal};
use b24_widgets::request::HandlerRequest;
use b24_widgets::rest::{Client, Error, OAuthApp};

// README: read and write
/// What a widget does when it opens: read its deal, add a comment to its timeline.
async fn open(request: &HandlerRequest) -> Result<String, Error> {
    let client = Client::from_request(request)?
        // the app's credentials, to refresh an expired token (and store the new ones)
        .app(OAuthApp::new("local.demo", "demo-client-secret"))
        .on_refresh(|tokens| println!("new tokens for portal {:?}: store them", tokens.member_id))
        .build()?;
    let Some(deal) = client.read(request).await? else {
        return Ok("this placement carries no object".into());
    };
    let title = deal.title().unwrap_or("(no title)").to_owned();
    if let Some((entity, id)) = request.entity() {
        client
            .add_comment(entity, id, &format!("Opened the widget on {title}"))
            .await?;
    }
    Ok(title)
}
// README: end

#[tokio::main]
async fn main() {
    let portal = Portal::new(Config::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let addr = listener.local_addr().expect("its address");
    let app = b24_widgets::portal::router(portal.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });

    // the handler request a portal would post: the deal tab of deal 1, a fresh token
    let issued = portal.issue_tokens();
    portal.expire_access_tokens(); // so that the first call refreshes it
    let body = format!(
        "DOMAIN={addr}&PROTOCOL=0&LANG=en&member_id=local&AUTH_ID={}&REFRESH_ID={}\
         &SERVER_ENDPOINT=http%3A%2F%2F{addr}%2Frest%2F&PLACEMENT=CRM_DEAL_DETAIL_TAB\
         &PLACEMENT_OPTIONS=%7B%22ID%22%3A%221%22%7D",
        issued.access_token.expose(),
        issued.refresh_token.expose(),
    );
    let request = HandlerRequest::parse(&body, None).expect("a valid request");
    match open(&request).await {
        Ok(title) => println!(
            "read {title:?}; the timeline now has: {:?}",
            portal.comments("deal", 1)
        ),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
