//! What every answer carries for the browser's own defences, and who the
//! client is. The pages load nothing but the compiled-in stylesheet and run
//! no script, so the content security policy can forbid everything else,
//! inline styles and scripts included.

use crate::AppState;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::header::{self, HeaderValue};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// Nothing but this site's stylesheet, images and forms; no frames, no
/// scripts, no inline styles.
pub const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
                       form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Adds the security headers to every answer.
pub async fn secure(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if state.config.behind_tls {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    resp
}

/// Where a request came from: the connection's peer, or, behind a TLS
/// proxy on this host, the address the proxy names in `X-Real-IP`.
#[derive(Debug, Clone)]
pub struct Client {
    pub addr: IpAddr,
    /// Whether the request came through a proxy (it carries a forwarding
    /// header), so a loopback peer says nothing about the real client.
    pub proxied: bool,
    /// The `User-Agent` sent, cut to 200 characters (for the audit trail).
    pub user_agent: String,
}

impl Client {
    /// Asked from this host directly, not through a proxy.
    pub fn is_local(&self) -> bool {
        self.addr.is_loopback() && !self.proxied
    }
}

impl FromRequestParts<AppState> for Client {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        let proxied = ["x-real-ip", "x-forwarded-for", "forwarded"]
            .iter()
            .any(|h| parts.headers.contains_key(*h));
        let real = parts
            .headers
            .get("x-real-ip")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<IpAddr>().ok());
        let addr = match real {
            Some(real) if state.config.behind_tls && peer.is_loopback() => real,
            _ => peer,
        };
        let user_agent = parts
            .headers
            .get(axum::http::header::USER_AGENT)
            .map(|v| {
                String::from_utf8_lossy(v.as_bytes())
                    .chars()
                    .take(200)
                    .collect()
            })
            .unwrap_or_default();
        Ok(Client {
            addr,
            proxied,
            user_agent,
        })
    }
}
