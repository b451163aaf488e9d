//! Needs the models API. `models import|ls|show|validate|rm` on a tiny safetensors model made
//! here, in table and JSON output, by id and by repo name; validation failing after the file
//! changed on disk exits 1.

use std::path::Path;

use crate::harness::{Cli, daemon};

/// A one-tensor safetensors file (8-byte header length, JSON header, data) and a config.
pub fn tiny_model(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let header = br#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#;
    let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
    bytes.extend_from_slice(header);
    bytes.extend_from_slice(&1.5f32.to_le_bytes());
    bytes.extend_from_slice(&2.5f32.to_le_bytes());
    std::fs::write(dir.join("model.safetensors"), bytes).unwrap();
    std::fs::write(dir.join("config.json"), "{\"model_type\": \"tiny\"}\n").unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn import_list_show_validate_remove() {
    let d = daemon().start().await;
    let cli = Cli::new(&d);
    let folder = d.root.join("tiny");
    tiny_model(&folder);

    let model = cli.json(&["models", "import", folder.to_str().unwrap(), "--repo", "local/tiny"]).await;
    assert_eq!(model["repo"], "local/tiny");
    assert_eq!(model["source"], "import");
    assert_eq!(model["status"], "ready");
    assert!(model["files"].as_array().unwrap().iter().any(|f| f["path"] == "model.safetensors"));
    let id = model["id"].as_str().unwrap().to_string();

    let list = cli.json(&["models", "ls"]).await;
    assert!(list["models"].as_array().unwrap().iter().any(|m| m["id"] == id.as_str()));
    let table = cli.table(&["models", "ls"]).await;
    assert!(
        table.starts_with("ID") && table.lines().any(|l| l.contains("local/tiny") && l.contains("ready")),
        "{table}"
    );
    assert!(cli.table(&["models", "ls", "-q"]).await.lines().any(|l| l == id));

    assert_eq!(cli.json(&["models", "show", &id]).await["repo"], "local/tiny");
    let table = cli.table(&["models", "show", "local/tiny"]).await;
    assert!(table.contains("REPO:") && table.contains("model.safetensors"), "{table}");

    let report = cli.json(&["models", "validate", &id]).await;
    assert_eq!(report["ok"], true);
    assert!(cli.table(&["models", "validate", "local/tiny"]).await.contains(": valid"));

    // Change the weights on disk: validation finds it and exits 1.
    let path = Path::new(model["path"].as_str().expect("a ready model has a path"));
    let file = path.join("model.safetensors");
    let mut bytes = std::fs::read(&file).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&file, bytes).unwrap();
    let out = cli.run(&["models", "validate", &id, "-o", "json"]).await.expect(1);
    let report = out.json();
    assert_eq!(report["ok"], false);
    assert!(!report["problems"].as_array().unwrap().is_empty());

    // Table output of import and rm, on a second model.
    let second = d.root.join("tiny2");
    tiny_model(&second);
    let table = cli.table(&["models", "import", second.to_str().unwrap(), "--repo", "local/tiny2"]).await;
    assert!(table.contains("REPO:") && table.contains("local/tiny2") && table.contains("FILE"), "{table}");
    assert_eq!(cli.table(&["models", "rm", "local/tiny2"]).await.lines().count(), 1);

    assert_eq!(cli.json(&["models", "rm", &id]).await, serde_json::json!({"id": id, "deleted": true}));
    cli.run(&["models", "show", &id]).await.expect(4);
    cli.run(&["models", "rm", &id]).await.expect(4);
    cli.run(&["models", "show", "no/such"]).await.expect(4);
    let out = cli.run(&["models", "import", "/no/such/folder"]).await;
    assert!(out.code != 0, "{out:?}");
}
