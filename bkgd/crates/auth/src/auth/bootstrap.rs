//! The first admin of a fresh install. Its password comes from `auth.bootstrap_admin_password`
//! (which config loading fills from `BKG_BOOTSTRAP_ADMIN_PASSWORD` or the file named by
//! `BKG_BOOTSTRAP_ADMIN_PASSWORD_FILE`, for automated installs); otherwise
//! it is generated, shown once in the log and written to `<data_dir>/initial-admin-password`
//! (0600). There is never a default password.

use std::path::Path;

use bkg_core::auth::Role;
use serde_json::json;

use super::password;
use crate::store::{NewAuditEvent, RoleText, Store, UserRow, now_ms};

/// Creates the first admin when there are no users yet; returns its name when it did.
pub async fn bootstrap_admin(
    store: &Store,
    username: &str,
    configured: &str,
    data_dir: &Path,
) -> anyhow::Result<Option<String>> {
    if store.count_users().await? > 0 {
        return Ok(None);
    }
    // Config loading put `BKG_BOOTSTRAP_ADMIN_PASSWORD(_FILE)` into `configured`.
    let (pw, generated) = if configured.is_empty() {
        let alphabet = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        let p: String =
            (0..24).map(|_| alphabet[rand::random::<u32>() as usize % alphabet.len()] as char).collect();
        (p, true)
    } else {
        (configured.to_string(), false)
    };
    password::check_new(&pw)
        .map_err(|m| anyhow::anyhow!("the bootstrap admin password is not accepted: {m}"))?;
    let hash = password::hash(pw.clone()).await?;
    let now = now_ms();
    let user = UserRow {
        id: uuid::Uuid::new_v4().to_string(),
        username: username.to_string(),
        password_hash: hash,
        role: RoleText(Role::Admin),
        disabled: false,
        created_at: now,
        updated_at: now,
    };
    let mut tx = store.begin().await?;
    tx.insert_user(&user).await?;
    tx.audit(&NewAuditEvent {
        action: "user.create".into(),
        actor: Some("bkgd".into()),
        target: Some(user.id.clone()),
        success: true,
        ip: None,
        details: json!({"username": username, "role": "admin", "bootstrap": true}),
    })
    .await?;
    tx.commit().await?;
    if generated {
        let file = data_dir.join("initial-admin-password");
        let _ = std::fs::remove_file(&file);
        crate::private_fs::write_new(&file, format!("{pw}\n").as_bytes())?;
        tracing::warn!(
            "created the first admin {username:?} with the generated password {pw} (shown once; also in {}); change it with `bkgctl login` + `POST /auth/password`",
            file.display()
        );
    } else {
        tracing::info!(
            "created the first admin {username:?} with the configured password (auth.bootstrap_admin_password or BKG_BOOTSTRAP_ADMIN_PASSWORD)"
        );
    }
    Ok(Some(username.to_string()))
}
