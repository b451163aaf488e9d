//! Service identities: a plugin whose manifest has `[identity]` acts on the daemon's REST API
//! with an API key the daemon grants it, never with a user's token. The key belongs to the
//! service user `plugin-<id>` (created on first use with a random password nobody knows, so it
//! can never log in), carries exactly the manifest's role and scopes, expires within a day,
//! is replaced at every start of the plugin and deleted when it stops. Each grant is audited.

use bkg_core::plugin::IdentitySpec;
use bkg_core::protocol::DaemonApi;
use serde_json::json;

use super::PluginHandle;
use crate::auth::apikey;
use crate::store::{NewAuditEvent, NewKey, RoleText, UserRow, now_ms};

/// How long a granted key is valid at most; a plugin is restarted long before in practice,
/// and a key left behind by a crash dies by itself.
const KEY_TTL_MS: i64 = 24 * 3600 * 1000;

fn username(id: &str) -> String {
    format!("plugin-{id}")
}

fn key_name(id: &str) -> String {
    format!("service:{id}")
}

impl PluginHandle {
    /// Grants the plugin a fresh key for its service identity, if its manifest asks for one.
    pub(super) async fn grant_identity(&self) -> Result<Option<DaemonApi>, String> {
        let Some(spec) = self.loaded.manifest.identity.clone() else { return Ok(None) };
        let Some(api) = self.ctx().api.get() else {
            return Err("the daemon's API address is not known yet".into());
        };
        self.grant(&spec, api)
            .await
            .map(Some)
            .map_err(|e| format!("cannot grant its service identity: {e:#}"))
    }

    async fn grant(&self, spec: &IdentitySpec, api: &super::ApiAddress) -> anyhow::Result<DaemonApi> {
        let store = &self.ctx().store;
        let name = username(&self.id);
        let now = now_ms();
        let user = match store.user_by_name(&name).await? {
            Some(u) => u,
            None => {
                // Nobody ever learns this password: the service user cannot log in.
                let secret: [u8; 32] = std::array::from_fn(|_| rand::random::<u8>());
                let hash = crate::auth::password::hash(hex::encode(secret)).await?;
                let user = UserRow {
                    id: uuid::Uuid::new_v4().to_string(),
                    username: name.clone(),
                    password_hash: hash,
                    role: RoleText(spec.role),
                    disabled: false,
                    created_at: now,
                    updated_at: now,
                };
                let mut tx = store.begin().await?;
                tx.insert_user(&user).await?;
                tx.commit().await?;
                user
            }
        };
        let (secret, prefix) = apikey::generate();
        let key_id = uuid::Uuid::new_v4().to_string();
        let mut tx = store.begin().await?;
        if user.role() != spec.role {
            tx.update_user(&user.id, Some(spec.role), None, None, now).await?;
        }
        // The newest earlier key may still serve the instance a hot swap is about to retire;
        // anything older goes.
        let mut old = store.keys(Some(&user.id)).await?;
        old.sort_by_key(|k| std::cmp::Reverse(k.created_at));
        for k in old.iter().skip(1) {
            tx.delete_key(&k.id).await?;
        }
        tx.insert_key(&NewKey {
            id: &key_id,
            user_id: &user.id,
            name: &key_name(&self.id),
            prefix: &prefix,
            secret_hash: &apikey::hash(&secret),
            role: spec.role,
            scopes: &spec.scopes,
            expires_at: Some(now + KEY_TTL_MS),
            now,
        })
        .await?;
        tx.audit(&NewAuditEvent {
            action: "plugin.identity".into(),
            actor: Some("bkgd".into()),
            target: Some(self.id.to_string()),
            success: true,
            ip: None,
            details: json!({"user": name, "key": prefix, "role": spec.role, "scopes": spec.scopes}),
        })
        .await?;
        tx.commit().await?;
        Ok(DaemonApi { url: api.url.clone(), token: secret, ca_file: api.ca_file.clone() })
    }

    /// Deletes the plugin's service keys (it stopped): a key outlives no process.
    pub(super) async fn revoke_identity(&self) {
        if self.loaded.manifest.identity.is_none() {
            return;
        }
        let store = &self.ctx().store;
        let result = async {
            let Some(user) = store.user_by_name(&username(&self.id)).await? else { return Ok(()) };
            let mut tx = store.begin().await?;
            for key in store.keys(Some(&user.id)).await? {
                tx.delete_key(&key.id).await?;
            }
            tx.commit().await
        }
        .await;
        if let Err(e) = result {
            tracing::error!(plugin = %self.id, error = %e, "cannot delete the plugin's service key");
        }
    }
}
