//! The API's one error type. Every status code is decided in one `match`;
//! server faults are logged with their whole chain and hidden from the
//! client, who gets a message in Chinese saying what to do.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

#[derive(Debug)]
pub enum ApiError {
    /// Not logged in, or the session expired.
    Unauthenticated,
    /// Logged in, but not allowed.
    Forbidden(String),
    NotFound(String),
    /// The request is malformed or asks for something impossible.
    BadRequest(String),
    /// A valid request the rules refuse (an illegal transition).
    Unprocessable(String),
    /// A stale version or a duplicate.
    Conflict(String),
    /// Too many tries from one address (log-in throttling).
    TooManyRequests(String),
    /// The disk is full: nothing of the request was stored. The detail is
    /// logged, the user told in words.
    DiskFull(String),
    Internal(String),
}

impl ApiError {
    pub(crate) fn status_and_message(&self) -> (StatusCode, &str) {
        match self {
            ApiError::Unauthenticated => {
                (StatusCode::UNAUTHORIZED, "请先登录（会话已过期或未登录）")
            }
            ApiError::Forbidden(m) => (StatusCode::FORBIDDEN, m),
            ApiError::NotFound(m) => (StatusCode::NOT_FOUND, m),
            ApiError::BadRequest(m) => (StatusCode::BAD_REQUEST, m),
            ApiError::Unprocessable(m) => (StatusCode::UNPROCESSABLE_ENTITY, m),
            ApiError::Conflict(m) => (StatusCode::CONFLICT, m),
            ApiError::TooManyRequests(m) => (StatusCode::TOO_MANY_REQUESTS, m),
            ApiError::DiskFull(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "磁盘空间不足，本次提交未保存；请保留已填写的内容，稍后重试或联系管理员清理磁盘",
            ),
            ApiError::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "服务器内部错误，已记录；请稍后重试或联系管理员",
            ),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) | ApiError::DiskFull(detail) = &self {
            tracing::error!(%detail, "request failed");
        }
        let (status, message) = self.status_and_message();
        (status, Json(json!({ "error": message }))).into_response()
    }
}

impl From<duban_store::Error> for ApiError {
    fn from(e: duban_store::Error) -> ApiError {
        use duban_domain::RuleError;
        use duban_store::Error as E;
        match e {
            E::NotFound(m) => ApiError::NotFound(m),
            E::Conflict(m) | E::Duplicate(m) => ApiError::Conflict(m),
            E::Invalid(m) => ApiError::Unprocessable(m),
            // A rule of the domain refused a valid request: 422, in the
            // rule's own words. Each kind is listed so that a new one is
            // decided here.
            E::Rule(rule) => match rule {
                RuleError::Transition(e) => ApiError::Unprocessable(e.to_string()),
                RuleError::Calendar(e) => ApiError::Unprocessable(e.to_string()),
                RuleError::Matter(e) => ApiError::Unprocessable(e.to_string()),
            },
            E::Full(e) => ApiError::DiskFull(e.to_string()),
            other => {
                let mut chain = other.to_string();
                let mut src = std::error::Error::source(&other);
                while let Some(s) = src {
                    chain.push_str(": ");
                    chain.push_str(&s.to_string());
                    src = s.source();
                }
                ApiError::Internal(chain)
            }
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// A JSON body whose rejection is an [`ApiError`] in Chinese, saying what
/// was wrong with the body.
pub struct ApiJson<T>(pub T);

impl<S, T> axum::extract::FromRequest<S> for ApiJson<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        use axum::extract::rejection::JsonRejection;
        let essence = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|v| v.trim().to_ascii_lowercase())
            .unwrap_or_default();
        let is_json = essence == "application/json"
            || (essence.starts_with("application/") && essence.ends_with("+json"));
        if !is_json {
            return Err(ApiError::BadRequest(
                "请求体须为 JSON（Content-Type: application/json）".into(),
            ));
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::BadRequest(format!("无法读取请求体：{}", e.body_text())))?;
        crate::limits::check_json(&bytes)?;
        match Json::<T>::from_bytes(&bytes) {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(JsonRejection::JsonSyntaxError(e)) => Err(ApiError::BadRequest(format!(
                "JSON 格式错误：{}",
                e.body_text()
            ))),
            Err(JsonRejection::JsonDataError(e)) => Err(ApiError::BadRequest(format!(
                "JSON 字段有误：{}",
                e.body_text()
            ))),
            Err(e) => Err(ApiError::BadRequest(format!(
                "无法读取请求体：{}",
                e.body_text()
            ))),
        }
    }
}

/// Query parameters whose rejection is a Chinese 400 naming the problem.
pub struct ApiQuery<T>(pub T);

impl<S, T> axum::extract::FromRequestParts<S> for ApiQuery<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(e) => Err(ApiError::BadRequest(format!(
                "查询参数有误：{}",
                e.body_text()
            ))),
        }
    }
}
