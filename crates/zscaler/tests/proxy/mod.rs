//! A minimal HTTP forward proxy on 127.0.0.1 that records every request it forwards.
//!
//! It reads one request per connection, forwards it with `connection: close` to the host in
//! its absolute URI, and streams the answer back, so each request it records is one the
//! client really sent through it. It only forwards to loopback hosts.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A request as the proxy saw it: absolute URI and the `proxy-authorization` value.
#[derive(Debug, Clone)]
pub struct Forwarded {
    pub uri: String,
    pub proxy_authorization: Option<String>,
}

pub struct Proxy {
    pub url: String,
    seen: Arc<Mutex<Vec<Forwarded>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Proxy {
    pub async fn start() -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(forward(stream, Arc::clone(&log)));
            }
        });
        Proxy { url, seen, task }
    }

    pub fn forwarded(&self) -> Vec<Forwarded> {
        self.seen.lock().expect("log lock").clone()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn forward(mut client: TcpStream, log: Arc<Mutex<Vec<Forwarded>>>) {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        let Ok(read) = client.read(&mut chunk).await else {
            return;
        };
        if read == 0 {
            return;
        }
        buffer.extend_from_slice(&chunk[..read]);
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default().to_owned();
    let mut parts = request_line.split(' ');
    let method = parts.next().unwrap_or_default().to_owned();
    let uri = parts.next().unwrap_or_default().to_owned();
    let version = parts.next().unwrap_or("HTTP/1.1").to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    log.lock().expect("log lock").push(Forwarded {
        uri: uri.clone(),
        proxy_authorization: header("proxy-authorization"),
    });

    let Some(rest) = uri.strip_prefix("http://") else {
        return;
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let Ok(address) = authority.parse::<SocketAddr>() else {
        return;
    };
    if !address.ip().is_loopback() {
        return;
    }
    let length: usize = header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while buffer.len() < head_end + length {
        let Ok(read) = client.read(&mut chunk).await else {
            return;
        };
        if read == 0 {
            break;
        }
        buffer.extend_from_slice(&chunk[..read]);
    }

    let mut upstream_head = format!(
        "{method} {} {version}\r\n",
        if path.is_empty() { "/" } else { path }
    );
    for (name, value) in &headers {
        let skip = [
            "connection",
            "proxy-connection",
            "proxy-authorization",
            "keep-alive",
        ];
        if !skip.iter().any(|s| name.eq_ignore_ascii_case(s)) {
            upstream_head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    upstream_head.push_str("connection: close\r\n\r\n");
    let Ok(mut upstream) = TcpStream::connect(address).await else {
        return;
    };
    if upstream.write_all(upstream_head.as_bytes()).await.is_err()
        || upstream.write_all(&buffer[head_end..]).await.is_err()
    {
        return;
    }
    let _ = tokio::io::copy(&mut upstream, &mut client).await;
    let _ = client.shutdown().await;
}
