//! The app's life cycle against the local portal on loopback, for SQLite and (with
//! `B24_TEST_POSTGRES_URL`) PostgreSQL: an install (ONAPPINSTALL: the token checked with
//! app.info, the portal stored, placement.get and the binds), and the handler's extra
//! cost when the installed portal is read from the store (a cache miss) rather than
//! memory.
//!
//! `cargo bench -p b24-server --bench lifecycle`

use std::sync::Arc;
use std::time::{Duration, Instant};

use b24_placement::bind::PlacementBind;
use b24_portal::{Config, Portal};
use b24_server::{app_router, Lifecycle, Preview, WidgetHost};
use b24_store::PortalStore;
use layout_core::command::{Command, Event};
use layout_core::widget::Widget;
use layout_core::{LayoutDto, Text};

struct Small;

impl Widget for Small {
    fn view(&self) -> LayoutDto {
        LayoutDto::default().blocks([("t".to_owned(), Text::default().value("hi").into())])
    }
    fn update(&mut self, _: &Event) -> Vec<Command> {
        Vec::new()
    }
}

async fn serve(app: axum::Router) -> String {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", l.local_addr().unwrap());
    tokio::spawn(b24_server::serve_listener(l, app));
    base
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

async fn post(http: &reqwest::Client, url: &str, body: String) -> u16 {
    let r = http
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    r.bytes().await.unwrap();
    status
}

async fn measure(name: &str, store: Arc<dyn PortalStore>) {
    let portal = Portal::new(Config {
        per_second: 1e9,
        burst: 1e9,
        ..Config::default()
    });
    let pbase = serve(b24_portal::router(portal.clone())).await;
    let http = reqwest::Client::new();
    let app = |ttl: Duration| {
        let binds = vec![
            PlacementBind::new(
                "CRM_DEAL_DETAIL_ACTIVITY".parse().unwrap(),
                "http://localhost/handler",
                "A",
            )
            .unwrap(),
            PlacementBind::new(
                "CRM_DEAL_DETAIL_TAB".parse().unwrap(),
                "http://localhost/handler",
                "B",
            )
            .unwrap(),
        ];
        let life = Arc::new(Lifecycle::new(store.clone(), binds).cache_ttl(ttl));
        app_router(WidgetHost::new(|_| Small), life, Preview::default())
    };
    let cached = serve(app(Duration::from_secs(3600))).await;
    let uncached = serve(app(Duration::ZERO)).await;

    // installs: the first binds two placements, the next find them bound
    let mut first = Duration::ZERO;
    let mut again = Vec::new();
    let mut token = String::new();
    for i in 0..30 {
        let (form, t) = portal.install_event(&pbase);
        token = t.expose().to_owned();
        let start = Instant::now();
        assert_eq!(post(&http, &format!("{cached}/install"), form).await, 200);
        if i == 0 {
            first = start.elapsed();
        } else {
            again.push(start.elapsed());
        }
    }
    // the other instance learns the last token from the store
    let body = format!(
        "DOMAIN=x.bitrix24.com&PROTOCOL=1&LANG=en&member_id={}&PLACEMENT=CRM_DEAL_DETAIL_ACTIVITY&PLACEMENT_OPTIONS=%7B%22ID%22%3A%221%22%7D&APPLICATION_TOKEN={token}",
        Portal::MEMBER_ID
    );
    let mut hit = Vec::new();
    let mut miss = Vec::new();
    for _ in 0..50 {
        assert_eq!(post(&http, &format!("{cached}/handler"), body.clone()).await, 200);
        assert_eq!(
            post(&http, &format!("{uncached}/handler"), body.clone()).await,
            200
        );
    }
    for _ in 0..500 {
        let t = Instant::now();
        post(&http, &format!("{cached}/handler"), body.clone()).await;
        hit.push(t.elapsed());
        let t = Instant::now();
        post(&http, &format!("{uncached}/handler"), body.clone()).await;
        miss.push(t.elapsed());
    }
    let (hit, miss) = (median(hit), median(miss));
    println!(
        "{name}: install with 2 binds {first:?}; reinstall (binds found) median {:?}; handler median {hit:?} from memory, {miss:?} reading the store: +{:?} a miss",
        median(again),
        miss.saturating_sub(hit)
    );
}

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("b24-life-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let _ = std::fs::remove_file(dir.join("app.db"));
    let sqlite = b24_store::connect(&format!("sqlite://{}", dir.join("app.db").display()))
        .await
        .unwrap();
    measure("SQLite", sqlite).await;
    match std::env::var("B24_TEST_POSTGRES_URL") {
        Ok(url) => measure("PostgreSQL", b24_store::connect(&url).await.unwrap()).await,
        Err(_) => println!("PostgreSQL: set B24_TEST_POSTGRES_URL (source .ci/postgres.sh) to measure it"),
    }
}
