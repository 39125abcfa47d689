//! Reading submitted forms: the fields of an `application/x-www-form-urlencoded`
//! body in order (a field may repeat), and values for links.

use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};

/// The fields of a submitted form, in the order sent.
#[derive(Debug, Default, Clone)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    pub fn parse(body: &[u8]) -> Fields {
        Fields(form_urlencoded::parse(body).into_owned().collect())
    }

    /// The first value of `name`, trimmed; "" when absent.
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .unwrap_or_default()
    }

    /// The value of `name` when present and not blank.
    pub fn opt(&self, name: &str) -> Option<String> {
        Some(self.get(name).to_string()).filter(|v| !v.is_empty())
    }

    /// A copy without the named fields (the token, the button).
    pub fn without(&self, names: &[&str]) -> Fields {
        Fields(
            self.0
                .iter()
                .filter(|(k, _)| !names.contains(&k.as_str()))
                .cloned()
                .collect(),
        )
    }
}

impl<S: Send + Sync> FromRequest<S> for Fields {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let body = Bytes::from_request(req, state)
            .await
            .map_err(|e| ApiError::BadRequest(format!("表单读取失败（{e}）；请重新提交")))?;
        let fields = Fields::parse(&body);
        crate::limits::check_fields(&fields.0)?;
        Ok(fields)
    }
}

/// A form that may carry files (`multipart/form-data`) or not
/// (urlencoded): its fields, and its files in the field `files`.
#[derive(Debug, Default)]
pub struct FormWithFiles {
    pub fields: Fields,
    pub files: Vec<duban_store::attachments::NewAttachment>,
}

impl<S: Send + Sync> FromRequest<S> for FormWithFiles {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let multipart = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        if !multipart {
            return Ok(FormWithFiles {
                fields: Fields::from_request(req, state).await?,
                files: Vec::new(),
            });
        }
        let bad = |e: axum::extract::multipart::MultipartError| {
            ApiError::BadRequest(format!("表单读取失败（{e}）；请重新选择文件后提交"))
        };
        let mut form = axum::extract::Multipart::from_request(req, state)
            .await
            .map_err(|e| ApiError::BadRequest(format!("表单读取失败（{e}）；请重新提交")))?;
        let mut out = FormWithFiles::default();
        while let Some(field) = form.next_field().await.map_err(bad)? {
            let name = field.name().unwrap_or_default().to_string();
            match field.file_name().map(String::from) {
                Some(file) => {
                    let mime = field
                        .content_type()
                        .unwrap_or("application/octet-stream")
                        .to_string();
                    let bytes = field.bytes().await.map_err(bad)?;
                    // An empty file input sends a part with no name and no bytes.
                    if !file.is_empty() || !bytes.is_empty() {
                        out.files.push(duban_store::attachments::NewAttachment {
                            name: file,
                            mime,
                            bytes: bytes.to_vec(),
                        });
                    }
                }
                None => {
                    let value = field.text().await.map_err(bad)?;
                    out.fields.0.push((name, value));
                }
            }
        }
        crate::limits::check_fields(&out.fields.0)?;
        Ok(out)
    }
}

/// Percent-encodes a value for a link's query.
pub fn encode(v: &str) -> String {
    form_urlencoded::byte_serialize(v.as_bytes()).collect()
}

/// A query string of the pairs whose value is not blank.
pub fn query(pairs: &[(&str, &str)]) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        if !v.is_empty() {
            out.append_pair(k, v);
        }
    }
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_keep_order_repeats_and_decode() {
        let f = Fields::parse("a=1&b=%E7%9D%A3%E5%8A%9E&a=2&c=+x+".as_bytes());
        assert_eq!(f.get("a"), "1");
        assert_eq!(f.get("b"), "督办");
        assert_eq!(f.get("c"), "x");
        assert_eq!(f.get("missing"), "");
        assert_eq!(f.opt("c").as_deref(), Some("x"));
        assert_eq!(f.without(&["a"]).0.len(), 2);
    }

    #[test]
    fn queries_skip_blanks_and_encode() {
        assert_eq!(
            query(&[("q", "督 办"), ("x", ""), ("y", "&")]),
            "q=%E7%9D%A3+%E5%8A%9E&y=%26"
        );
        assert_eq!(encode("/matters/1?a=b"), "%2Fmatters%2F1%3Fa%3Db");
    }
}
