//! What the notify tests share: real sinks on 127.0.0.1 (a small SMTP
//! server with TLS, in [`smtp_sink`], and a raw HTTP responder, both
//! recording what they receive), the decoders that read a message back
//! ([`mail`]), certificates made for the test ([`certs`]), and a small
//! organisation with matters.

#![allow(dead_code)]

pub mod certs;
pub mod mail;
pub mod smtp_sink;

#[allow(unused_imports)]
pub use mail::*;
#[allow(unused_imports)]
pub use smtp_sink::*;

use chrono::{NaiveDate, NaiveDateTime};
use duban_domain::calendar::Calendar;
use duban_domain::matter::{MatterType, Source};
use duban_domain::org::{Level, Role, UnitKind};
use duban_domain::workflow::Action;
use duban_store::{NewMatter, NewUnit, NewUser, Store};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// Accepts connections on `listener` until it fails, each served by
/// `serve` with a copy of `state`, in a task of its own.
pub fn accept_each<S, F, Fut>(listener: TcpListener, state: S, serve: F)
where
    S: Clone + Send + 'static,
    F: Fn(S, tokio::net::TcpStream) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            tokio::spawn(serve(state.clone(), sock));
        }
    });
}

// ---------------------------------------------------------------- HTTP sink

/// One request the HTTP sink received.
#[derive(Debug, Clone)]
pub struct Post {
    pub path: String,
    pub headers: BTreeMap<String, String>,
    pub json: serde_json::Value,
    /// Whether the sink answered 200.
    pub accepted: bool,
}

impl Post {
    pub fn key(&self) -> &str {
        self.headers
            .get("x-duban-key")
            .map(String::as_str)
            .unwrap_or("")
    }

    pub fn content(&self) -> &str {
        self.json["text"]["content"].as_str().unwrap_or("")
    }
}

/// A raw HTTP/1.1 responder on 127.0.0.1 that records every POST.
#[derive(Clone)]
pub struct HttpSink {
    pub addr: SocketAddr,
    pub posts: Arc<Mutex<Vec<Post>>>,
    /// Answer the next this many requests with HTTP 500.
    pub fail_next: Arc<AtomicU32>,
}

impl HttpSink {
    pub async fn start() -> HttpSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let sink = HttpSink {
            addr: listener.local_addr().unwrap(),
            posts: Arc::default(),
            fail_next: Arc::default(),
        };
        accept_each(listener, sink.clone(), |s, sock| async move {
            let _ = s.serve(sock).await;
        });
        sink
    }

    pub fn url(&self) -> String {
        format!("http://{}/robot/send?access_token=t0ken", self.addr)
    }

    /// The requests answered 200.
    pub fn accepted(&self) -> Vec<Post> {
        self.posts
            .lock()
            .unwrap()
            .iter()
            .filter(|p| p.accepted)
            .cloned()
            .collect()
    }

    async fn serve(&self, sock: tokio::net::TcpStream) -> std::io::Result<()> {
        let (r, mut w) = sock.into_split();
        let mut r = BufReader::new(r);
        let mut request_line = String::new();
        if r.read_line(&mut request_line).await? == 0 {
            return Ok(());
        }
        let mut parts = request_line.split_whitespace();
        let method = parts.next().unwrap_or("").to_string();
        let path = parts.next().unwrap_or("").to_string();
        let mut headers = BTreeMap::new();
        loop {
            let mut h = String::new();
            r.read_line(&mut h).await?;
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((k, v)) = h.split_once(':') {
                headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
            }
        }
        let len: usize = headers
            .get("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; len];
        r.read_exact(&mut body).await?;
        let fail = self
            .fail_next
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok();
        let json = serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null);
        assert_eq!(method, "POST");
        self.posts.lock().unwrap().push(Post {
            path,
            headers,
            json,
            accepted: !fail,
        });
        let (status, text) = if fail {
            (
                "500 Internal Server Error",
                r#"{"errcode":-1,"errmsg":"busy"}"#,
            )
        } else {
            ("200 OK", r#"{"errcode":0,"errmsg":"ok"}"#)
        };
        let resp = format!(
            "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
            text.len()
        );
        w.write_all(resp.as_bytes()).await?;
        w.shutdown().await?;
        Ok(())
    }
}

// ---------------------------------------------------------------- the world

pub fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

pub fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

pub async fn unit(store: &Store, name: &str) -> i64 {
    store
        .create_unit(
            None,
            NewUnit {
                name: name.into(),
                aliases: vec![],
                parent: None,
                level: Level::City,
                kind: UnitKind::Department,
            },
        )
        .await
        .unwrap()
        .id
}

pub async fn user(
    store: &Store,
    login: &str,
    role: Role,
    unit: Option<i64>,
    email: Option<&str>,
) -> i64 {
    store
        .create_user(
            None,
            NewUser {
                login: login.into(),
                name: login.into(),
                role,
                unit_id: unit,
                email: email.map(String::from),
                password_hash: "x".into(),
            },
        )
        .await
        .unwrap()
        .id
}

/// Creates an ordinary matter assigned at `when`; returns its tracks' ids
/// in the order lead units then co-operating units.
pub async fn matter(
    store: &Store,
    cal: &Calendar,
    title: &str,
    lead: Vec<i64>,
    co: Vec<i64>,
    when: &str,
) -> Vec<i64> {
    let m = store
        .create_matter(
            None,
            NewMatter {
                title: title.into(),
                detail: format!("{title}，按期完成。"),
                matter_type: MatterType::ordinary(),
                source: Source::Meeting {
                    name: "区政府常务会议".into(),
                    date: None,
                },
                deadline: None,
                targets: serde_json::json!([]),
                lead,
                co,
                raised_by: None,
            },
            at(when),
            cal,
        )
        .await
        .unwrap();
    m.tracks.iter().map(|t| t.track.id).collect()
}

/// Carries out an action on a track at `when`.
pub async fn act(store: &Store, cal: &Calendar, track: i64, action: Action, when: &str) {
    let t = store.track(track).await.unwrap();
    store
        .act(None, track, t.version, &action, at(when), cal)
        .await
        .unwrap();
}

/// Polls `check` until it holds, for at most `limit`; the last value
/// otherwise.
pub async fn eventually<T, F, Fut>(limit: Duration, mut check: F) -> (bool, T)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = (bool, T)>,
{
    let deadline = tokio::time::Instant::now() + limit;
    loop {
        let (ok, v) = check().await;
        if ok || tokio::time::Instant::now() >= deadline {
            return (ok, v);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
