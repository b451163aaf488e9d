//! Client methods for authentication and sessions, users, API keys, the audit log, usage
//! analytics and the daemon's effective configuration.

use reqwest::Method;

use super::{Client, Result, seg};
use crate::analytics::{UsageInterval, UsageMetric, UsageQuery, UsageReport};
use crate::auth::{
    ApiKey, ApiKeyList, ApiKeySecret, AuditPage, AuditQuery, ChangePassword, CreateApiKey, CreateUser,
    LoginRequest, LogoutRequest, Me, RefreshRequest, RotateApiKey, SessionList, TokenPair, UpdateApiKey,
    UpdateUser, User, UserList,
};
use crate::daemon::EffectiveConfig;

impl Client {
    /// Logs in; use the answer's `access_token` with [`Client::with_token`].
    pub async fn login(&self, username: &str, password: &str) -> Result<TokenPair> {
        let body = LoginRequest { username: username.into(), password: password.into() };
        self.send_json(self.request(Method::POST, "auth/login")?.json(&body)).await
    }

    /// Trades a refresh token for a new pair (the old refresh token is used up).
    pub async fn refresh(&self, refresh_token: &str) -> Result<TokenPair> {
        let body = RefreshRequest { refresh_token: refresh_token.into() };
        self.send_json(self.request(Method::POST, "auth/refresh")?.json(&body)).await
    }

    /// Ends this session (or, with `all`, every session of the user).
    pub async fn logout(&self, all: bool) -> Result<()> {
        self.send(self.request(Method::POST, "auth/logout")?.json(&LogoutRequest { all })).await.map(drop)
    }

    pub async fn me(&self) -> Result<Me> {
        self.send_json(self.request(Method::GET, "auth/me")?).await
    }

    pub async fn change_password(&self, current: &str, new: &str) -> Result<()> {
        let body = ChangePassword { current_password: current.into(), new_password: new.into() };
        self.send(self.request(Method::POST, "auth/password")?.json(&body)).await.map(drop)
    }

    pub async fn users(&self) -> Result<UserList> {
        self.send_json(self.request(Method::GET, "admin/users")?).await
    }

    pub async fn create_user(&self, user: &CreateUser) -> Result<User> {
        self.send_json(self.request(Method::POST, "admin/users")?.json(user)).await
    }

    pub async fn update_user(&self, id: &str, update: &UpdateUser) -> Result<User> {
        self.send_json(self.request(Method::PUT, &format!("admin/users/{}", seg(id)))?.json(update)).await
    }

    pub async fn delete_user(&self, id: &str) -> Result<()> {
        self.send(self.request(Method::DELETE, &format!("admin/users/{}", seg(id)))?).await.map(drop)
    }

    pub async fn api_keys(&self) -> Result<ApiKeyList> {
        self.send_json(self.request(Method::GET, "admin/api-keys")?).await
    }

    /// Creates a key; the secret is in the answer and nowhere else.
    pub async fn create_api_key(&self, key: &CreateApiKey) -> Result<ApiKeySecret> {
        self.send_json(self.request(Method::POST, "admin/api-keys")?.json(key)).await
    }

    /// Changes the given fields (PATCH semantics).
    pub async fn update_api_key(&self, id: &str, update: &UpdateApiKey) -> Result<ApiKey> {
        self.send_json(self.request(Method::PATCH, &format!("admin/api-keys/{}", seg(id)))?.json(update))
            .await
    }

    pub async fn delete_api_key(&self, id: &str) -> Result<()> {
        self.send(self.request(Method::DELETE, &format!("admin/api-keys/{}", seg(id)))?).await.map(drop)
    }

    pub async fn rotate_api_key(&self, id: &str, rotate: &RotateApiKey) -> Result<ApiKeySecret> {
        self.send_json(
            self.request(Method::POST, &format!("admin/api-keys/{}/rotate", seg(id)))?.json(rotate),
        )
        .await
    }

    pub async fn audit(&self, q: &AuditQuery) -> Result<AuditPage> {
        let mut url = self.url("admin/audit")?;
        {
            let mut pairs = url.query_pairs_mut();
            let mut put = |k: &str, v: Option<String>| {
                if let Some(v) = v {
                    pairs.append_pair(k, &v);
                }
            };
            put("actor", q.actor.clone());
            put("action", q.action.clone());
            put("target", q.target.clone());
            put("since", q.since.clone());
            put("until", q.until.clone());
            put("limit", q.limit.map(|l| l.to_string()));
            put("before", q.before.map(|b| b.to_string()));
        }
        self.send_json(self.request(Method::GET, url.as_str())?).await
    }

    /// The caller's live login sessions.
    pub async fn sessions(&self) -> Result<SessionList> {
        self.send_json(self.request(Method::GET, "auth/sessions")?).await
    }

    /// Ends one of the caller's sessions.
    pub async fn revoke_session(&self, id: &str) -> Result<()> {
        self.send(self.request(Method::DELETE, &format!("auth/sessions/{}", seg(id)))?).await.map(drop)
    }

    /// The daemon's effective configuration, secrets redacted (admins).
    pub async fn daemon_config(&self) -> Result<EffectiveConfig> {
        self.send_json(self.request(Method::GET, "admin/config")?).await
    }

    /// Usage analytics (hourly or daily rollups).
    pub async fn usage(&self, q: &UsageQuery) -> Result<UsageReport> {
        let mut url = self.url("api/analytics/usage")?;
        {
            let mut pairs = url.query_pairs_mut();
            let mut put = |k: &str, v: Option<&str>| {
                if let Some(v) = v {
                    pairs.append_pair(k, v);
                }
            };
            put("since", q.since.as_deref());
            put("until", q.until.as_deref());
            put("plugin", q.plugin.as_deref());
            put("metric", q.metric.map(UsageMetric::as_str));
            put(
                "interval",
                q.interval.map(|i| match i {
                    UsageInterval::Hour => "hour",
                    UsageInterval::Day => "day",
                }),
            );
        }
        self.send_json(self.request(Method::GET, url.as_str())?).await
    }
}
