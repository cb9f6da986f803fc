//! What the CLI's tests share: a router served on loopback on a thread of its own (the
//! `b24` binary under test is a separate process that calls it), and the local portal
//! served that way.
#![allow(dead_code)] // each test crate uses its own part of it

use std::sync::Arc;

use b24_portal::{Config, Portal};

/// Serves `app` on a free loopback port, on a thread with its own runtime: its address.
pub fn serve_router(app: axum::Router) -> std::net::SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    rx.recv().unwrap()
}

/// The local portal served so: its base URL.
pub fn serve_portal(config: Config) -> (String, Arc<Portal>) {
    let portal = Portal::new(config);
    let addr = serve_router(b24_portal::router(portal.clone()));
    (format!("http://{addr}"), portal)
}
