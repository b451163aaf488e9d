//! `plugins install <dir|id>` and `plugins reload`: a plugin folder uploaded to the daemon and
//! its Python runtime installed with pip's output on stderr, then started and used; a folder
//! without a manifest is a usage error; a reload reports what it found.

use serde_json::json;

use crate::harness::{Cli, daemon, testplugin};

#[tokio::test(flavor = "multi_thread")]
async fn install_uploads_a_folder_and_its_runtime_and_reload_reports() {
    let d = daemon().start().await;
    let cli = Cli::new(&d);
    let src = d.root.join("src/greeter");
    std::fs::create_dir_all(src.join("node_modules/junk")).unwrap();
    std::fs::write(src.join("node_modules/junk/big.js"), "left out of the bundle").unwrap();
    std::fs::write(src.join("requirements.txt"), "six==1.16.0\n").unwrap();
    std::fs::write(
        src.join("greeter.py"),
        "import six\nfrom bkg_plugin import Plugin\np = Plugin('greeter', '1.0')\n\
         @p.capability('greet', input_schema={'type': 'object'})\ndef greet(ctx, data):\n    \
         return {'hello': data.get('name', 'world'), 'six': six.__version__}\np.main()\n",
    )
    .unwrap();
    std::fs::write(
        src.join("plugin.toml"),
        "id = \"greeter\"\ncommand = [\"python3\", \"greeter.py\"]\n[runtime]\nkind = \"python\"\n",
    )
    .unwrap();

    let out = cli.run(&["plugins", "install", src.to_str().unwrap(), "-o", "json"]).await.expect(0);
    assert!(
        out.stderr.contains("uploading") && out.stderr.contains("pip"),
        "progress on stderr:\n{}",
        out.stderr
    );
    assert!(out.stderr.contains("Successfully installed six"), "{}", out.stderr);
    let status = out.json();
    assert_eq!((status["kind"].as_str(), status["state"].as_str()), (Some("python"), Some("installed")));
    assert!(!d.root.join("plugins/greeter/node_modules").exists(), "dependencies are never uploaded");

    cli.run(&["plugins", "start", "greeter"]).await.expect(0);
    let greeted = cli.json(&["plugins", "invoke", "greeter", "greet", r#"{"name": "bkg"}"#]).await;
    assert_eq!(greeted["output"], json!({"hello": "bkg", "six": "1.16.0"}));
    let table = cli.table(&["plugins", "show", "greeter"]).await;
    assert!(table.contains("RUNTIME:") && table.contains("python: installed"), "{table}");

    // A folder without a manifest is the caller's mistake; an unknown id is not found.
    let empty = d.root.join("src/empty");
    std::fs::create_dir_all(&empty).unwrap();
    cli.run(&["plugins", "install", empty.to_str().unwrap()]).await.expect(2);
    cli.run(&["plugins", "install", "no-such-plugin"]).await.expect(4);

    std::fs::write(
        d.root.join("plugins/extra.toml"),
        format!("id = \"extra\"\ncommand = [{:?}, \"serve\"]\n", testplugin().display().to_string()),
    )
    .unwrap();
    let report = cli.json(&["plugins", "reload"]).await;
    assert_eq!(report["added"], json!(["extra"]));
    assert_eq!(report["unchanged"], json!(["greeter"]));
    let table = cli.table(&["plugins", "reload"]).await;
    assert!(table.contains("UNCHANGED:") && table.contains("extra"), "{table}");
}
