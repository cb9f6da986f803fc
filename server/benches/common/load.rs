//! A small keep-alive load generator for the server's throughput benchmarks: POSTs of one
//! form body to one path over 8 connections, every answer read to its end.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Sends `requests` POSTs of `body` to `path` over one keep-alive connection; each one's
/// latency. Every answer must be a 200.
pub async fn connection(
    addr: std::net::SocketAddr,
    path: &str,
    body: &str,
    requests: usize,
) -> Vec<Duration> {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.set_nodelay(true).unwrap();
    let request = format!(
        "POST {path} HTTP/1.1\r\nhost: {addr}\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut buf = vec![0u8; 1 << 16];
    let mut times = Vec::with_capacity(requests);
    for _ in 0..requests {
        let start = Instant::now();
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut got = 0;
        loop {
            let n = stream.read(&mut buf[got..]).await.unwrap();
            assert!(n > 0, "connection closed");
            got += n;
            let text = &buf[..got];
            if let Some(end) = text.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = std::str::from_utf8(&text[..end]).unwrap().to_ascii_lowercase();
                assert!(head.starts_with("http/1.1 200"), "{head}");
                let len: usize = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .map(|v| v.trim().parse().unwrap())
                    .unwrap();
                if got >= end + 4 + len {
                    break;
                }
            }
        }
        times.push(start.elapsed());
    }
    times
}

/// Requests a second and the p99 latency, over 8 connections of 2,000 requests each
/// (after 200 to warm up).
pub async fn load(addr: std::net::SocketAddr, path: &'static str, body: &'static str) -> (f64, Duration) {
    const CONNECTIONS: usize = 8;
    const PER_CONNECTION: usize = 2_000;
    connection(addr, path, body, 200).await;
    let start = Instant::now();
    let tasks: Vec<_> = (0..CONNECTIONS)
        .map(|_| tokio::spawn(connection(addr, path, body, PER_CONNECTION)))
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let elapsed = start.elapsed();
    all.sort();
    let p99 = all[all.len() * 99 / 100];
    (all.len() as f64 / elapsed.as_secs_f64(), p99)
}
