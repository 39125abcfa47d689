//! A group-chat robot: one JSON POST per message,
//! `{"msgtype":"text","text":{"content":"…"}}`, the form DingTalk (钉钉) and
//! WeCom (企业微信) robots accept. Those answer HTTP 200 with
//! `{"errcode":0,…}`; a non-zero `errcode` is a failure too. The message's
//! outbox key goes along as the `X-Duban-Key` header.

use crate::SendError;
use std::time::Duration;

/// Posts to one robot URL.
#[derive(Debug, Clone)]
pub struct WebhookSender {
    url: String,
    client: reqwest::Client,
}

impl WebhookSender {
    pub fn new(url: &str, timeout: Duration) -> Result<WebhookSender, String> {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(format!(
                "webhook_url 应以 http:// 或 https:// 开头（收到的是“{}”）",
                url.split('?').next().unwrap_or("")
            ));
        }
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .build()
            .map_err(|e| format!("无法创建 HTTP 客户端：{e}"))?;
        Ok(WebhookSender {
            url: url.to_string(),
            client,
        })
    }

    /// The URL without its query, which often carries the robot's token.
    fn shown_url(&self) -> &str {
        self.url.split('?').next().unwrap_or("")
    }

    /// Posts one text. Transport errors, 5xx, 408 and 429 are worth trying
    /// again; so is a non-zero `errcode` (a robot's rate limit answers
    /// that way). Other 4xx answers are permanent.
    pub async fn send(&self, key: &str, content: &str) -> Result<(), SendError> {
        let payload = serde_json::json!({"msgtype": "text", "text": {"content": content}});
        let resp = self
            .client
            .post(&self.url)
            .header("X-Duban-Key", key)
            .json(&payload)
            .send()
            .await
            .map_err(|e| {
                SendError::transient(format!(
                    "无法推送到 {}：{}",
                    self.shown_url(),
                    e.without_url()
                ))
            })?;
        let status = resp.status();
        let text = resp.text().await.unwrap_or_default();
        if !status.is_success() {
            let message = format!(
                "{} 返回 HTTP {}：{}",
                self.shown_url(),
                status.as_u16(),
                text.chars().take(200).collect::<String>()
            );
            let code = status.as_u16();
            return Err(if status.is_client_error() && code != 408 && code != 429 {
                SendError::permanent(message)
            } else {
                SendError::transient(message)
            });
        }
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) {
            if let Some(code) = v.get("errcode").and_then(|c| c.as_i64()) {
                if code != 0 {
                    let msg = v.get("errmsg").and_then(|m| m.as_str()).unwrap_or("");
                    return Err(SendError::transient(format!(
                        "{} 拒绝了消息（errcode {code}：{msg}）",
                        self.shown_url()
                    )));
                }
            }
        }
        Ok(())
    }
}
