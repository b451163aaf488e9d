//! Files bkgd ships inside its binary and writes to the data dir at start, so one binary is a
//! whole install:
//! - the plugin SDKs for Python and Node.js (`<data_dir>/sdk/`), put on every plugin's
//!   `PYTHONPATH` and `NODE_PATH`, so a Python plugin can `import bkg_plugin` and a Node plugin
//!   `require('@bkg/plugin-sdk')` with nothing installed, always in the version that speaks
//!   this daemon's protocol;
//! - the scripts of the built-in plugins written in those languages
//!   (`<data_dir>/builtin/<id>/`), their manifests' folder.
//!
//! The sources live in `plugins/`; a test keeps these lists complete.

use std::path::{Path, PathBuf};

macro_rules! files {
    ($root:literal: $($file:literal),* $(,)?) => {
        &[$(($file, include_str!(concat!("../../../../../plugins/", $root, "/", $file)))),*]
    };
}

const PYTHON: &[(&str, &str)] = files!("sdk-python":
    "bkg_plugin/__init__.py",
    "bkg_plugin/errors.py",
    "bkg_plugin/log.py",
    "bkg_plugin/paths.py",
    "bkg_plugin/plugin.py",
    "bkg_plugin/session.py",
    "bkg_plugin/testing.py",
);

/// The built-in plugins whose code is scripts, by id: their files, manifest included.
pub const BUILTIN_SCRIPTS: &[(&str, &[(&str, &str)])] = &[
    (
        "apikeys",
        files!("apikeys":
            "apikeys.js",
            "lib/api.js",
            "lib/policy.js",
            "plugin.toml",
        ),
    ),
    (
        "repoagent",
        files!("repoagent":
            "plugin.toml",
            "repoagent.py",
            "repoagent_lib/__init__.py",
            "repoagent_lib/analyze.py",
            "repoagent_lib/files.py",
            "repoagent_lib/gitfacts.py",
            "repoagent_lib/languages.py",
            "repoagent_lib/search.py",
            "repoagent_lib/semantic.py",
            "requirements.txt",
        ),
    ),
];

const NODE: &[(&str, &str)] = files!("sdk-node":
    "package.json",
    "src/errors.js",
    "src/index.d.ts",
    "src/index.js",
    "src/log.js",
    "src/paths.js",
    "src/plugin.js",
    "src/session.js",
    "src/testing.d.ts",
    "src/testing.js",
);

/// Where the SDKs were written: the entries for `PYTHONPATH` and `NODE_PATH`.
#[derive(Debug, Clone)]
pub struct SdkPaths {
    pub python: PathBuf,
    pub node: PathBuf,
}

impl SdkPaths {
    /// `PYTHONPATH` and `NODE_PATH` for a plugin, after whatever its manifest sets.
    pub fn env(&self, manifest_env: &[(String, String)]) -> Vec<(String, String)> {
        let join = |key: &str, ours: &Path| {
            let ours = ours.display().to_string();
            match manifest_env.iter().find(|(k, _)| k == key) {
                Some((_, theirs)) if !theirs.is_empty() => format!("{theirs}:{ours}"),
                _ => ours,
            }
        };
        vec![
            ("PYTHONPATH".into(), join("PYTHONPATH", &self.python)),
            ("NODE_PATH".into(), join("NODE_PATH", &self.node)),
        ]
    }
}

/// Writes the SDKs under `root` (only files whose content changed), private like the rest of
/// the data dir.
pub fn install(root: &Path) -> anyhow::Result<SdkPaths> {
    let python = root.join("python");
    let node = root.join("node").join("node_modules");
    write(&python, PYTHON)?;
    write(&node.join("@bkg").join("plugin-sdk"), NODE)?;
    Ok(SdkPaths { python, node })
}

/// Writes the built-in script plugins' folders under `root` (`<root>/<id>/`).
pub fn install_builtin_scripts(root: &Path) -> anyhow::Result<()> {
    for (id, files) in BUILTIN_SCRIPTS {
        write(&root.join(id), files)?;
    }
    Ok(())
}

fn write(base: &Path, files: &[(&str, &str)]) -> anyhow::Result<()> {
    for (name, text) in files {
        let path = base.join(name);
        if std::fs::read(&path).is_ok_and(|old| old == text.as_bytes()) {
            continue;
        }
        if let Some(parent) = path.parent() {
            crate::private_fs::dir(parent)?;
        }
        let tmp = path.with_extension("bkg-tmp");
        let _ = std::fs::remove_file(&tmp);
        crate::private_fs::write_new(&tmp, text.as_bytes())?;
        std::fs::rename(&tmp, &path)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every source file of the SDKs is shipped (tests and examples are not).
    #[test]
    fn the_shipped_list_is_complete() {
        let plugins = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../plugins");
        let listed = |files: &[(&str, &str)]| files.iter().map(|(n, _)| n.to_string()).collect::<Vec<_>>();
        let mut python: Vec<String> = std::fs::read_dir(plugins.join("sdk-python/bkg_plugin"))
            .unwrap()
            .map(|e| format!("bkg_plugin/{}", e.unwrap().file_name().to_string_lossy()))
            .filter(|n| n.ends_with(".py"))
            .collect();
        python.sort();
        assert_eq!(listed(PYTHON), python);
        let mut node: Vec<String> = std::fs::read_dir(plugins.join("sdk-node/src"))
            .unwrap()
            .map(|e| format!("src/{}", e.unwrap().file_name().to_string_lossy()))
            .collect();
        node.push("package.json".into());
        node.sort();
        assert_eq!(listed(NODE), node);

        // A script plugin ships everything but its tests.
        for (id, files) in BUILTIN_SCRIPTS {
            let root = plugins.join(id);
            let mut on_disk = Vec::new();
            let mut stack = vec![std::path::PathBuf::new()];
            while let Some(rel) = stack.pop() {
                for e in std::fs::read_dir(root.join(&rel)).unwrap().flatten() {
                    let name = rel.join(e.file_name());
                    if e.file_type().unwrap().is_dir() {
                        if !["test", "tests", "node_modules", "__pycache__"]
                            .iter()
                            .any(|s| e.file_name() == *s)
                        {
                            stack.push(name);
                        }
                    } else {
                        on_disk.push(name.display().to_string());
                    }
                }
            }
            on_disk.sort();
            assert_eq!(listed(files), on_disk, "{id}");
        }
    }

    #[test]
    fn installs_once_and_keeps_manifest_paths_first() {
        let dir = tempfile::tempdir().unwrap();
        let paths = install(dir.path()).unwrap();
        assert!(paths.python.join("bkg_plugin/plugin.py").is_file());
        assert!(paths.node.join("@bkg/plugin-sdk/src/index.js").is_file());
        install(dir.path()).unwrap();
        let env = paths.env(&[("PYTHONPATH".into(), "/opt/mine".into())]);
        assert_eq!(env[0].1, format!("/opt/mine:{}", paths.python.display()));
        assert_eq!(env[1].1, paths.node.display().to_string());
    }
}
