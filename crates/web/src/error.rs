//! The API's one error type. Every status code is decided in one `match`;
//! server faults are logged with their whole chain and hidden from the
//! client, who gets a message in Chinese saying what to do.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

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
        let body = ErrorBody {
            error: message.to_string(),
        };
        (status, Json(body)).into_response()
    }
}

/// What every refusal answers: `{"error": "…"}`, the schema `Error` of the
/// OpenAPI document.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    /// 出错原因和处理办法（中文）
    pub error: String,
}

impl From<duban_views::params::QueryError> for ApiError {
    fn from(e: duban_views::params::QueryError) -> ApiError {
        use duban_views::params::QueryError;
        match e {
            QueryError::Malformed(m) => ApiError::BadRequest(m),
            QueryError::Unprocessable(m) => ApiError::Unprocessable(m),
        }
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
        read_json(&bytes).map(ApiJson)
    }
}

/// Reads a JSON body as `T`: malformed JSON is `JSON 格式错误：…`, a field
/// of the wrong kind, missing or unknown `JSON 字段有误：…` naming the field
/// (its path, `accounts.lock_minutes`) in Chinese, and a type's own
/// message in Chinese (a custom `Deserialize`) is passed on as it is.
/// Every body is an object: an array is refused, not read field by field
/// in order as serde would read it into a struct.
pub(crate) fn read_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        return Err(ApiError::BadRequest(
            "JSON 字段有误：请求体应为 JSON 对象，收到数组".into(),
        ));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let syntax = |e: serde_json::Error| ApiError::BadRequest(format!("JSON 格式错误：{e}"));
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(v) => {
            de.end().map_err(syntax)?;
            Ok(v)
        }
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            if inner.is_syntax() || inner.is_eof() || inner.is_io() {
                return Err(syntax(inner));
            }
            let at = format!(" at line {} column {}", inner.line(), inner.column());
            let full = inner.to_string();
            let message = full.strip_suffix(&at).unwrap_or(&full);
            Err(ApiError::BadRequest(data_message(&path, message)))
        }
    }
}

/// A deserialisation error in words: serde's usual ones (unknown, missing
/// or mistyped field, unknown variant) said in Chinese with the field's
/// path; one already in Chinese (a type's own) as it is.
fn data_message(path: &str, message: &str) -> String {
    if message
        .chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
        && !message.starts_with("invalid type: ")
    {
        return message.to_string();
    }
    let root = matches!(path, "" | "." | "?");
    let named =
        |s: &str| -> Vec<String> { s.split('`').skip(1).step_by(2).map(String::from).collect() };
    let said = if let Some(rest) = message.strip_prefix("unknown field `") {
        let (name, known) = rest.split_once('`').unwrap_or((rest, ""));
        let known = named(known);
        // The path ends with the unknown field itself.
        let parent = path
            .strip_suffix(name)
            .map(|p| p.trim_end_matches('.'))
            .unwrap_or(path);
        let within = if matches!(parent, "" | "." | "?") {
            String::new()
        } else {
            format!("{parent} 中的")
        };
        if known.is_empty() {
            format!("{within}未知字段 {name}：请去掉它")
        } else {
            format!("{within}未知字段 {name}：只接受 {}", known.join("、"))
        }
    } else if let Some(rest) = message.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or(rest);
        if root {
            format!("缺少字段 {name}")
        } else {
            format!("{path} 缺少字段 {name}")
        }
    } else if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (value, known) = rest.split_once('`').unwrap_or((rest, ""));
        let field = if root { "取值" } else { path };
        format!("{field} 不能为“{value}”：可选 {}", named(known).join("、"))
    } else if let Some((got, expected)) = message
        .strip_prefix("invalid type: ")
        .and_then(|r| r.split_once(", expected "))
    {
        let field = if root { "请求体" } else { path };
        format!(
            "{field} 应为{}，收到{}",
            expected_words(expected),
            unexpected_words(got)
        )
    } else if let Some((got, expected)) = message
        .strip_prefix("invalid value: ")
        .and_then(|r| r.split_once(", expected "))
    {
        let field = if root { "请求体" } else { path };
        format!(
            "{field} 的值有误：应为{}，收到{}",
            expected_words(expected),
            unexpected_words(got)
        )
    } else if root {
        message.to_string()
    } else {
        format!("{path}：{message}")
    };
    format!("JSON 字段有误：{said}")
}

/// What serde expected, in words (`a string`: 文本).
fn expected_words(e: &str) -> String {
    match e {
        "a string" | "a borrowed string" | "a character" => "文本".into(),
        "i8" | "i16" | "i32" | "i64" | "i128" | "u8" | "u16" | "u32" | "u64" | "u128" | "isize"
        | "usize" => "整数".into(),
        "f32" | "f64" => "数字".into(),
        "a boolean" => " true 或 false".into(),
        "a sequence" | "a tuple" => "数组".into(),
        "a map" => " JSON 对象".into(),
        _ if e.starts_with("struct ") || e.starts_with("internally tagged enum") => {
            " JSON 对象".into()
        }
        _ if e.starts_with("tuple") => "数组".into(),
        other if other.starts_with(|c: char| c.is_ascii()) => format!(" {other}"),
        other => other.to_string(),
    }
}

/// What serde found, in words (`sequence`: 数组).
fn unexpected_words(u: &str) -> String {
    let quoted = |s: &str| s.trim_matches('`').to_string();
    if let Some(s) = u.strip_prefix("string ") {
        format!("文本 {s}")
    } else if let Some(n) = u
        .strip_prefix("integer ")
        .or_else(|| u.strip_prefix("floating point "))
        .or_else(|| u.strip_prefix("boolean "))
    {
        format!(" {}", quoted(n))
    } else {
        match u {
            "sequence" => "数组".into(),
            "map" => " JSON 对象".into(),
            "null" | "unit value" | "unit" => " null".into(),
            other => format!(" {other}"),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        version: i64,
        text: Option<String>,
        inner: Option<Inner>,
        kind: Option<Kind>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        days: u32,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Onsite,
        Phone,
    }

    fn refusal(body: &str) -> String {
        match read_json::<Body>(body.as_bytes()) {
            Ok(b) => panic!("{body} read as {b:?}"),
            Err(ApiError::BadRequest(m)) => m,
            Err(e) => panic!("{body}: {e:?}"),
        }
    }

    #[test]
    fn a_body_is_refused_in_chinese_naming_the_field() {
        for (body, says) in [
            (
                r#"{"version": 1, "colour": "red"}"#,
                "JSON 字段有误：未知字段 colour：只接受 version、text、inner、kind",
            ),
            (
                r#"{"version": 1, "inner": {"days": 1, "weeks": 2}}"#,
                "JSON 字段有误：inner 中的未知字段 weeks：只接受 days",
            ),
            (r#"{"text": "x"}"#, "JSON 字段有误：缺少字段 version"),
            (
                r#"{"version": 1, "inner": {}}"#,
                "JSON 字段有误：inner 缺少字段 days",
            ),
            (
                r#"{"version": "1"}"#,
                "JSON 字段有误：version 应为整数，收到文本 \"1\"",
            ),
            (
                r#"{"version": 1, "text": 3}"#,
                "JSON 字段有误：text 应为文本，收到 3",
            ),
            (
                r#"{"version": 1, "inner": {"days": -1}}"#,
                "JSON 字段有误：inner.days 的值有误：应为整数，收到 -1",
            ),
            (
                r#"{"version": 1, "kind": "mail"}"#,
                "JSON 字段有误：kind 不能为“mail”：可选 onsite、phone",
            ),
            ("[1, 2]", "JSON 字段有误：请求体应为 JSON 对象，收到数组"),
        ] {
            assert_eq!(refusal(body), says, "{body}");
        }
        let m = refusal(r#"{"version": 1, "#);
        assert!(m.starts_with("JSON 格式错误："), "{m}");
        let m = refusal(r#"{"version": 1} x"#);
        assert!(m.starts_with("JSON 格式错误："), "{m}");
    }
}
