//! Files and folders only the daemon's user can read. The data dir holds password and key
//! hashes, the audit log, the JWT signing key and plugin logs; the cache holds models users
//! may not share. So every folder bkgd creates there is `0700` and every file `0600`,
//! whatever the process umask, and folders and database files of an existing install are
//! tightened at start-up.

use std::fs::{DirBuilder, OpenOptions, Permissions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

use anyhow::Context;

pub const DIR_MODE: u32 = 0o700;
pub const FILE_MODE: u32 = 0o600;

/// Creates `path` (and missing parents) as `0700` folders, and makes an existing `path` `0700`.
pub fn dir(path: &Path) -> anyhow::Result<()> {
    DirBuilder::new()
        .recursive(true)
        .mode(DIR_MODE)
        .create(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    std::fs::set_permissions(path, Permissions::from_mode(DIR_MODE))
        .with_context(|| format!("cannot make {} private (chmod 0700)", path.display()))
}

/// Options that create files as `0600` (the umask can only take bits away).
pub fn file_options() -> OpenOptions {
    let mut o = OpenOptions::new();
    o.mode(FILE_MODE);
    o
}

/// Writes `bytes` to a new `0600` file at `path` (which must not exist yet) and syncs it;
/// for secrets.
pub fn write_new(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        dir(parent)?;
    }
    let mut f = file_options()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    f.write_all(bytes)?;
    f.sync_all()?;
    Ok(())
}

/// Makes a SQLite database file and its companions private before sqlx opens it: SQLite
/// creates the `-wal` and `-shm` files with the mode of the database file, so a `0600`
/// database keeps them `0600` too.
pub fn sqlite_files(db: &Path) -> anyhow::Result<()> {
    if let Some(parent) = db.parent() {
        dir(parent)?;
    }
    file_options()
        .write(true)
        .create(true)
        .truncate(false)
        .open(db)
        .with_context(|| format!("cannot create {}", db.display()))?;
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        let path = Path::new(&name);
        if path.exists() {
            std::fs::set_permissions(path, Permissions::from_mode(FILE_MODE))
                .with_context(|| format!("cannot make {} private (chmod 0600)", path.display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn folders_and_files_are_private_and_existing_ones_are_tightened() {
        let root = tempfile::tempdir().unwrap();
        let nested = root.path().join("a/b");
        dir(&nested).unwrap();
        assert_eq!(mode(&root.path().join("a")), 0o700);
        assert_eq!(mode(&nested), 0o700);

        std::fs::set_permissions(&nested, Permissions::from_mode(0o755)).unwrap();
        dir(&nested).unwrap();
        assert_eq!(mode(&nested), 0o700, "an existing folder is tightened");

        let secret = nested.join("s/key");
        write_new(&secret, b"x").unwrap();
        assert_eq!(mode(&secret), 0o600);
        assert!(write_new(&secret, b"y").is_err(), "a secret is never overwritten");

        let db = root.path().join("db/bkg.db");
        sqlite_files(&db).unwrap();
        std::fs::write(format!("{}-wal", db.display()), b"").unwrap();
        std::fs::set_permissions(&db, Permissions::from_mode(0o644)).unwrap();
        sqlite_files(&db).unwrap();
        assert_eq!(mode(&db), 0o600);
        assert_eq!(mode(Path::new(&format!("{}-wal", db.display()))), 0o600);
    }
}
