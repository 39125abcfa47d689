//! The connection loop: HTTP/1 through hyper with a deadline for a
//! request's head (a connection that opens and sends nothing, or half a
//! head, is closed), a deadline for the whole request, and a cap on open
//! connections, so twenty thousand half-open sockets cannot exhaust the
//! file descriptors; a handler's panic answered as a 500 in words
//! ([`catch_panic`]) rather than a dropped connection. `axum::serve` offers
//! none of these.

use crate::AppState;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// Serves `state`'s application on `listener` until `shutdown` resolves,
/// then lets open requests finish (at most 30 seconds).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let header_timeout = Duration::from_secs(state.config.header_timeout_secs);
    let permits = Arc::new(Semaphore::new(state.config.max_connections));
    let app = crate::app(state);
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        // At the cap, stop accepting: new connections wait in the
        // kernel's backlog until one closes.
        let permit = tokio::select! {
            p = permits.clone().acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
            _ = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(c) => c,
                Err(e) => {
                    // Out of file descriptors, say: wait, do not spin.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service = app
            .clone()
            .map_request(move |mut req: Request<hyper::body::Incoming>| {
                req.extensions_mut().insert(ConnectInfo(peer));
                req.map(Body::new)
            });
        let conn = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(header_timeout)
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!(error = %e, %peer, "connection ended");
            }
            drop(permit);
        });
    }
    tokio::select! {
        _ = graceful.shutdown() => {}
        _ = tokio::time::sleep(Duration::from_secs(30)) => {
            tracing::warn!("requests still open after 30 s at shutdown");
        }
    }
    Ok(())
}

/// Ends a request that takes longer than `request_timeout_secs` (a body
/// sent a byte at a time, say) with a 408.
pub async fn deadline(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let limit = Duration::from_secs(state.config.request_timeout_secs);
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(resp) => resp,
        Err(_) => (
            StatusCode::REQUEST_TIMEOUT,
            Json(serde_json::json!({
                "error": format!("请求超过 {} 秒未完成，已中止；请检查网络后重试", limit.as_secs())
            })),
        )
            .into_response(),
    }
}

/// Turns a panic in a handler into a 500 that says what to do (JSON under
/// `/api/`, a page elsewhere) instead of a dropped connection: the user
/// sees a message, the log gets the panic's text, the connection and the
/// server go on.
pub async fn catch_panic(req: Request, next: Next) -> Response {
    use futures_util::FutureExt;
    let api = req.uri().path().starts_with("/api/");
    let path = req.uri().path().to_string();
    match std::panic::AssertUnwindSafe(next.run(req))
        .catch_unwind()
        .await
    {
        Ok(resp) => resp,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".into());
            let e = crate::error::ApiError::Internal(format!("handler panicked on {path}: {what}"));
            if api {
                e.into_response()
            } else {
                crate::ui::page_error(e)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;

    async fn body(resp: Response) -> String {
        let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20)
            .await
            .unwrap();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    fn app() -> axum::Router {
        async fn boom() -> &'static str {
            panic!("a value the handler assumed was missing")
        }
        axum::Router::new()
            .route("/api/v1/boom", get(boom))
            .route("/boom", get(boom))
            .route("/fine", get(|| async { "好" }))
            .layer(axum::middleware::from_fn(catch_panic))
    }

    async fn get_path(path: &str) -> Response {
        let req = Request::builder().uri(path).body(Body::empty()).unwrap();
        app().oneshot(req).await.unwrap()
    }

    #[tokio::test]
    async fn a_panicking_handler_answers_500_in_words() {
        let resp = get_path("/api/v1/boom").await;
        assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let text = body(resp).await;
        assert!(text.contains("服务器内部错误"), "{text}");
        assert!(
            !text.contains("assumed"),
            "the panic's text stays in the log: {text}"
        );

        let page = get_path("/boom").await;
        assert_eq!(page.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let html = body(page).await;
        assert!(
            html.contains("<html") && html.contains("服务器内部错误"),
            "{html}"
        );

        let fine = get_path("/fine").await;
        assert_eq!(fine.status(), StatusCode::OK);
        assert_eq!(body(fine).await, "好");
    }
}
