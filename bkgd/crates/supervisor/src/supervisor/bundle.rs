//! Plugin bundles: a plugin folder uploaded as a tar archive (`bkgctl plugins install <dir>`,
//! `PUT /api/plugins/{id}/bundle`) and written into the plugins directory as `<id>/`.
//!
//! An archive is untrusted input that ends up on disk: only regular files and folders with
//! plain relative names are accepted (no absolute paths, no `..`, no links or devices), sizes
//! and counts are capped, and the folder is unpacked next to its destination and renamed into
//! place only when complete, so a bad archive never leaves half a plugin behind.

use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::{Component, Path, PathBuf};

/// Most bytes and files a bundle may unpack to.
pub const MAX_BYTES: u64 = 64 << 20;
pub const MAX_FILES: usize = 10_000;

#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("the bundle is not valid: {0}")]
    Invalid(String),
    #[error("cannot write the plugin folder: {0}")]
    Io(String),
}

/// What was unpacked.
#[derive(Debug)]
pub struct Unpacked {
    pub files: u64,
    pub bytes: u64,
}

fn plain_relative(p: &Path) -> bool {
    !p.as_os_str().is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)))
}

/// Unpacks `archive` as plugin `id` into `plugins_dir/<id>`, replacing what was there. The
/// archive's root must hold a `plugin.toml` whose id is `id`.
pub fn install(archive: &[u8], id: &str, plugins_dir: &Path) -> Result<Unpacked, BundleError> {
    let staging = plugins_dir.join(format!(".incoming-{id}-{}", uuid::Uuid::new_v4().simple()));
    let result = unpack(archive, &staging).and_then(|u| {
        check_manifest(&staging, id)?;
        Ok(u)
    });
    let unpacked = match result {
        Ok(u) => u,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    let target = plugins_dir.join(id);
    let old = plugins_dir.join(format!(".replaced-{id}-{}", uuid::Uuid::new_v4().simple()));
    let io = |e: std::io::Error| BundleError::Io(e.to_string());
    let had_old = target.exists();
    if had_old {
        std::fs::rename(&target, &old).map_err(io)?;
    }
    if let Err(e) = std::fs::rename(&staging, &target) {
        if had_old {
            let _ = std::fs::rename(&old, &target);
        }
        let _ = std::fs::remove_dir_all(&staging);
        return Err(io(e));
    }
    if had_old {
        let _ = std::fs::remove_dir_all(&old);
    }
    // A single-file manifest of the same id would load as a second plugin of that id.
    let _ = std::fs::remove_file(plugins_dir.join(format!("{id}.toml")));
    Ok(unpacked)
}

fn unpack(archive: &[u8], into: &Path) -> Result<Unpacked, BundleError> {
    let invalid = |m: String| BundleError::Invalid(m);
    crate::private_fs::dir(into).map_err(|e| BundleError::Io(format!("{e:#}")))?;
    let mut ar = tar::Archive::new(archive);
    let (mut files, mut bytes) = (0u64, 0u64);
    for entry in ar.entries().map_err(|e| invalid(e.to_string()))? {
        let mut entry = entry.map_err(|e| invalid(e.to_string()))?;
        let path: PathBuf = entry.path().map_err(|e| invalid(e.to_string()))?.into_owned();
        let path = path.strip_prefix("./").map(Path::to_path_buf).unwrap_or(path);
        if path.as_os_str().is_empty() {
            continue;
        }
        if !plain_relative(&path) {
            return Err(invalid(format!("{} is not a plain relative path", path.display())));
        }
        let dest = into.join(&path);
        match entry.header().entry_type() {
            tar::EntryType::Directory => {
                crate::private_fs::dir(&dest).map_err(|e| BundleError::Io(format!("{e:#}")))?;
            }
            tar::EntryType::Regular => {
                files += 1;
                bytes = bytes.saturating_add(entry.size());
                if files as usize > MAX_FILES || bytes > MAX_BYTES {
                    return Err(invalid(format!(
                        "it unpacks to more than {MAX_FILES} files or {MAX_BYTES} bytes; leave out dependencies (node_modules, venvs): the daemon installs them"
                    )));
                }
                if let Some(parent) = dest.parent() {
                    crate::private_fs::dir(parent).map_err(|e| BundleError::Io(format!("{e:#}")))?;
                }
                let executable = entry.header().mode().is_ok_and(|m| m & 0o111 != 0);
                let mut data = Vec::with_capacity(entry.size() as usize);
                entry.read_to_end(&mut data).map_err(|e| invalid(e.to_string()))?;
                std::fs::write(&dest, &data).map_err(|e| BundleError::Io(e.to_string()))?;
                let mode = if executable { 0o700 } else { 0o600 };
                std::fs::set_permissions(&dest, std::fs::Permissions::from_mode(mode))
                    .map_err(|e| BundleError::Io(e.to_string()))?;
            }
            other => {
                return Err(invalid(format!(
                    "{} is a {other:?}; a bundle holds only files and folders",
                    path.display()
                )));
            }
        }
    }
    Ok(Unpacked { files, bytes })
}

fn check_manifest(dir: &Path, id: &str) -> Result<(), BundleError> {
    let invalid = |m: String| BundleError::Invalid(m);
    let text = std::fs::read_to_string(dir.join("plugin.toml"))
        .map_err(|_| invalid("it has no plugin.toml at its root".into()))?;
    let loaded =
        super::manifest::parse(&text, "plugin.toml", bkg_core::plugin::PluginSource::User, dir.into())
            .map_err(invalid)?;
    if loaded.manifest.id != id {
        return Err(invalid(format!(
            "its plugin.toml says id {:?}, but it was sent as {id:?}",
            loaded.manifest.id
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn archive(entries: &[(&str, tar::EntryType, &[u8])]) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        for (name, kind, data) in entries {
            let mut h = tar::Header::new_gnu();
            h.set_entry_type(*kind);
            h.set_size(data.len() as u64);
            h.set_mode(0o755);
            // set_path refuses `..`; write the raw name like a hostile archive would.
            let raw = &mut h.as_old_mut().name;
            raw[..name.len()].copy_from_slice(name.as_bytes());
            if *kind == tar::EntryType::Symlink {
                h.set_link_name("/etc/passwd").unwrap();
            }
            h.set_cksum();
            b.append(&h, *data).unwrap();
        }
        b.into_inner().unwrap()
    }

    const MANIFEST: &[u8] = b"id = \"p\"\ncommand = [\"./run.sh\"]\n";

    #[test]
    fn a_good_bundle_replaces_the_folder_whole() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("p")).unwrap();
        std::fs::write(dir.path().join("p/stale.txt"), "old").unwrap();
        let ok = archive(&[
            ("plugin.toml", tar::EntryType::Regular, MANIFEST),
            ("lib", tar::EntryType::Directory, b""),
            ("lib/run.sh", tar::EntryType::Regular, b"#!/bin/sh\n"),
        ]);
        let u = install(&ok, "p", dir.path()).unwrap();
        assert_eq!(u.files, 2);
        assert!(dir.path().join("p/lib/run.sh").is_file());
        assert!(!dir.path().join("p/stale.txt").exists(), "the old folder is replaced, not merged");
        let mode = std::fs::metadata(dir.path().join("p/lib/run.sh")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700, "executables stay executable, private");
    }

    #[test]
    fn hostile_or_wrong_bundles_leave_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let cases: Vec<Vec<u8>> = vec![
            archive(&[
                ("plugin.toml", tar::EntryType::Regular, MANIFEST),
                ("../evil", tar::EntryType::Regular, b"x"),
            ]),
            archive(&[
                ("plugin.toml", tar::EntryType::Regular, MANIFEST),
                ("/tmp/evil", tar::EntryType::Regular, b"x"),
            ]),
            archive(&[
                ("plugin.toml", tar::EntryType::Regular, MANIFEST),
                ("link", tar::EntryType::Symlink, b""),
            ]),
            archive(&[("run.sh", tar::EntryType::Regular, b"x")]),
            archive(&[("plugin.toml", tar::EntryType::Regular, b"id = \"other\"\ncommand = [\"x\"]\n")]),
            b"not a tar archive at all".repeat(40),
        ];
        for (n, bad) in cases.iter().enumerate() {
            assert!(matches!(install(bad, "p", dir.path()), Err(BundleError::Invalid(_))), "case {n}");
        }
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert!(left.is_empty(), "nothing half-written: {left:?}");
    }
}
