//! The API's reading of a query: the extractor [`Filter`], which reads a
//! typed query (`duban_views`) from the request's parameters. The parsing
//! itself, without HTTP, is `duban_views::params`.

use crate::error::ApiError;
use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use std::collections::HashMap;

pub(crate) use duban_views::params::{offset_param, parse_date, FromParams, Params, Words};

/// Extracts the query `T` from the request's parameters; a malformed or
/// unknown parameter answers 400 with the message of [`Params`].
pub(crate) struct Filter<T>(pub T);

impl<S: Send + Sync, T: FromParams> FromRequestParts<S> for Filter<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Query(q) = Query::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(|e| {
                ApiError::BadRequest(format!(
                    "查询参数无法解析（{}）；请检查地址中“?”之后的部分",
                    e.body_text()
                ))
            })?;
        Ok(Filter(T::from_query(q)?))
    }
}
