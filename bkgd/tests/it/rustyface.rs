//! The rustyface plugin through the daemon's REST API, on dlib's real face models imported into
//! the registry and face_recognition's own test images: encodings equal to the plugin library's
//! (whose parity with face_recognition `plugins/rustyface/tests/parity.rs` checks), enrolment
//! that survives a restart of bkgd (on SQLite and on PostgreSQL), EXIF orientation, search, the caller's errors (each with its code), a batch
//! streamed per image, and a plugin killed mid-call that fails the call clearly and comes back.

use std::io::Cursor;
use std::path::PathBuf;

use base64::Engine as _;
use bkg_core::models::ImportRequest;
use bkg_core::plugin::{InvokeEvent, PluginState};
use futures_util::StreamExt;
use image::{ImageFormat, RgbImage};
use serde_json::{Value, json};

use crate::harness::{PgDatabase, TestDaemon, daemon, wait_until};
use crate::models::test_models;

const MODEL: &str = "ageitgey/face_recognition_models";

fn images() -> PathBuf {
    test_models().join("face-test-images")
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn file_b64(name: &str) -> String {
    b64(&std::fs::read(images().join(name)).unwrap())
}

fn png(img: &RgbImage) -> String {
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), ImageFormat::Png).unwrap();
    b64(&out)
}

/// obama.jpg and biden.jpg side by side: two faces (a JPEG, to stay under the daemon's 2 MiB
/// request limit; bigger photos go by path).
fn two_faces() -> String {
    let a = image::open(images().join("obama.jpg")).unwrap().into_rgb8();
    let b = image::open(images().join("biden.jpg")).unwrap().into_rgb8();
    let mut out = RgbImage::new(a.width() + b.width(), a.height().max(b.height()));
    image::imageops::replace(&mut out, &a, 0, 0);
    image::imageops::replace(&mut out, &b, i64::from(a.width()), 0);
    let mut jpeg = Vec::new();
    out.write_to(&mut Cursor::new(&mut jpeg), ImageFormat::Jpeg).unwrap();
    b64(&jpeg)
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for b in bytes {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A PNG whose header says 8000 x 6250 (50 megapixels); its pixel data is never reached.
fn fifty_megapixels() -> String {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = |kind: &[u8], data: &[u8]| {
        out.extend((data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend(data);
        out.extend(&body);
        out.extend(crc32(&body).to_be_bytes());
    };
    let mut ihdr = Vec::new();
    ihdr.extend(8000u32.to_be_bytes());
    ihdr.extend(6250u32.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    chunk(b"IHDR", &ihdr);
    chunk(b"IDAT", &[0x78, 0x9c, 0x03, 0x00]);
    chunk(b"IEND", &[]);
    b64(&out)
}

/// obama.jpg stored lying on its side (turned a quarter left) as a JPEG, with the EXIF tag
/// that says so (orientation 6: turn it a quarter right to show it), or without the tag.
fn sideways(with_exif: bool) -> String {
    let upright = image::open(images().join("obama.jpg")).unwrap().into_rgb8();
    let stored = image::imageops::rotate270(&upright);
    let mut jpeg = Vec::new();
    stored.write_to(&mut Cursor::new(&mut jpeg), ImageFormat::Jpeg).unwrap();
    if with_exif {
        // APP1 "Exif": a big-endian TIFF header and one IFD entry, Orientation (0x0112) = 6.
        let mut tiff = b"MM\x00\x2a\x00\x00\x00\x08\x00\x01".to_vec();
        tiff.extend([0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00]);
        tiff.extend([0, 0, 0, 0]);
        let mut app1 = b"Exif\x00\x00".to_vec();
        app1.extend(tiff);
        let mut segment = vec![0xFF, 0xE1];
        segment.extend(((app1.len() + 2) as u16).to_be_bytes());
        segment.extend(app1);
        jpeg.splice(2..2, segment);
    }
    b64(&jpeg)
}

async fn rustyface() -> TestDaemon {
    rustyface_on(None).await
}

async fn rustyface_on(database_url: Option<String>) -> TestDaemon {
    let exe = bkgd::supervisor::manifest::exe_dir().join("bkg-rustyface");
    assert!(exe.is_file(), "{} is missing: run the tests with `cargo test --workspace`", exe.display());
    let manifest = include_str!("../../../plugins/rustyface/plugin.toml")
        .replace("command = [\"./bkg-rustyface\"]", &format!("command = [{:?}]", exe.display().to_string()))
        .replace("threads = 0", "threads = 1");
    let allowed = vec![images()];
    let d = daemon()
        .config(move |c| {
            c.supervisor.allowed_paths.insert("rustyface".into(), allowed);
            if let Some(url) = database_url {
                c.database_url = url;
            }
        })
        .raw_manifest("rustyface.toml", &manifest)
        .start()
        .await;
    let req = ImportRequest {
        path: test_models().join("face-recognition-models").display().to_string(),
        repo: Some(MODEL.into()),
        revision: None,
    };
    d.client.import_model(&req).await.unwrap();
    d.client.start("rustyface").await.unwrap();
    d
}

async fn call(d: &TestDaemon, capability: &str, input: Value) -> Value {
    d.client
        .invoke("rustyface", capability, &input)
        .await
        .unwrap_or_else(|e| panic!("{capability}: {e}"))
        .output
}

/// The error of a call that must fail: (HTTP status, the plugin's code).
async fn refused(d: &TestDaemon, capability: &str, input: Value) -> (u16, String) {
    let e = d.client.invoke("rustyface", capability, &input).await.expect_err("the call is refused");
    let code = match &e {
        bkg_core::client::ClientError::Api { body, .. } => body
            .details
            .as_ref()
            .and_then(|d| d["pluginCode"].as_str())
            .map_or_else(|| body.code.as_str().to_string(), str::to_string),
        other => panic!("not an API error: {other}"),
    };
    (e.status().unwrap_or(0), code)
}

fn encoding(face: &Value) -> Vec<f32> {
    serde_json::from_value(face["encoding"].clone()).unwrap()
}

fn distance(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum::<f32>().sqrt()
}

#[tokio::test(flavor = "multi_thread")]
async fn encodes_enrolls_searches_and_survives_a_restart() {
    enroll_restart_search(None).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn enrolled_identities_live_in_postgres_too() {
    let Some(db) = PgDatabase::create().await else { return };
    enroll_restart_search(Some(db.url.clone())).await;
    db.drop().await;
}

async fn enroll_restart_search(database_url: Option<String>) {
    let mut d = rustyface_on(database_url).await;

    // One image, base64: one face with face_recognition's box (the parity test checks it to the
    // pixel) and a 128-d encoding; the same image by path gives the same encoding.
    let one = call(&d, "faces.encode", json!({"image": file_b64("obama.jpg")})).await;
    assert_eq!(one["detector"], "hog");
    assert_eq!(one["faces"].as_array().unwrap().len(), 1, "{one}");
    assert_eq!(one["faces"][0]["box"], json!({"top": 142, "right": 617, "bottom": 409, "left": 349}));
    assert_eq!(one["faces"][0]["landmarks"].as_array().unwrap().len(), 5);
    let obama = encoding(&one["faces"][0]);
    assert_eq!(obama.len(), 128);
    let by_path = call(&d, "faces.encode", json!({"path": images().join("obama.jpg")})).await;
    assert_eq!(encoding(&by_path["faces"][0]), obama);

    // EXIF orientation is honoured: the photo stored on its side is read upright, and its face
    // is found; without the tag the same pixels stay on their side.
    let turned = call(&d, "faces.encode", json!({"image": sideways(true)})).await;
    assert_eq!((turned["width"].as_u64(), turned["height"].as_u64()), (Some(910), Some(1137)), "{turned}");
    assert_eq!(turned["faces"].as_array().unwrap().len(), 1, "{turned}");
    assert!(distance(&encoding(&turned["faces"][0]), &obama) < 0.1);
    let raw = call(&d, "faces.encode", json!({"image": sideways(false)})).await;
    assert_eq!((raw["width"].as_u64(), raw["height"].as_u64()), (Some(1137), Some(910)));

    // Enroll two people; search a third photo of each.
    let enrolled = call(
        &d,
        "dataset.manage",
        json!({"action": "enroll", "identity": "obama", "images": [{"path": images().join("obama.jpg")}, {"image": file_b64("obama2.jpg")}]}),
    )
    .await;
    assert_eq!(enrolled["samples"], 2);
    call(
        &d,
        "dataset.manage",
        json!({"action": "enroll", "identity": "biden", "images": [{"path": images().join("biden.jpg")}]}),
    )
    .await;
    let list = call(&d, "dataset.manage", json!({"action": "list"})).await;
    assert_eq!(
        list["identities"],
        json!([{"identity": "biden", "samples": 1}, {"identity": "obama", "samples": 2}])
    );

    let search = json!({"path": images().join("obama3.jpg")});
    let found = call(&d, "faces.search", search.clone()).await;
    assert_eq!(found["faces"].as_array().unwrap().len(), 1);
    assert_eq!(found["faces"][0]["identity"], "obama", "{found}");
    assert!(found["faces"][0]["matches"][0]["distance"].as_f64().unwrap() < 0.6);
    // Biden is farther than the tolerance: not among the matches at all.
    assert_eq!(found["faces"][0]["matches"].as_array().unwrap().len(), 1, "{found}");
    // A stricter tolerance finds nobody.
    let strict =
        call(&d, "faces.search", json!({"path": images().join("obama3.jpg"), "tolerance": 0.1})).await;
    assert_eq!(strict["faces"][0]["identity"], Value::Null);
    // By encoding: the enrolled photo itself is at distance 0.
    let exact = call(&d, "faces.search", json!({"encoding": obama})).await;
    assert_eq!(exact["faces"][0]["identity"], "obama");
    assert!(exact["faces"][0]["matches"][0]["distance"].as_f64().unwrap() < 1e-6);

    // Rename, remove a sample, export, and import into a second collection by config.
    call(&d, "dataset.manage", json!({"action": "rename", "identity": "obama", "to": "Barack Obama"})).await;
    let samples = call(&d, "dataset.manage", json!({"action": "list", "identity": "Barack Obama"})).await;
    let first = samples["samples"][0]["id"].as_str().unwrap().to_string();
    let removed =
        call(&d, "dataset.manage", json!({"action": "remove", "identity": "Barack Obama", "sample": first}))
            .await;
    assert_eq!((removed["removed"].as_u64(), removed["samples"].as_u64()), (Some(1), Some(1)));
    let export = call(&d, "dataset.manage", json!({"action": "export"})).await;
    assert_eq!(export["identities"].as_array().unwrap().len(), 2);

    // bkgd restarts: the identities come back from its database, and the answer is the same.
    let before = call(&d, "faces.search", search.clone()).await;
    d.shutdown().await;
    d.restart().await;
    if d.client.plugin_status("rustyface").await.unwrap().status != PluginState::Running {
        d.client.start("rustyface").await.unwrap();
    }
    let after = call(&d, "faces.search", search.clone()).await;
    assert_eq!(after["faces"], before["faces"]);
    assert_eq!(after["faces"][0]["identity"], "Barack Obama");
    let list = call(&d, "dataset.manage", json!({"action": "list"})).await;
    assert_eq!(
        list["identities"],
        json!([{"identity": "Barack Obama", "samples": 1}, {"identity": "biden", "samples": 1}])
    );

    // Import the export after removing everyone: the same gallery again.
    for who in ["Barack Obama", "biden"] {
        call(&d, "dataset.manage", json!({"action": "remove", "identity": who})).await;
    }
    let empty = call(&d, "faces.search", search.clone()).await;
    assert_eq!(empty["faces"][0]["identity"], Value::Null);
    let imported = call(&d, "dataset.manage", json!({"action": "import", "data": export})).await;
    assert_eq!(imported["samples"], 2);
    let again = call(&d, "faces.search", search).await;
    assert_eq!(again["faces"][0]["identity"], "Barack Obama");

    // The dashboard's figures.
    let stats = call(&d, "stats", json!({})).await;
    assert_eq!((stats["identities"].as_u64(), stats["samples"].as_u64()), (Some(2), Some(2)));
    assert!(stats["facesEncoded"].as_u64().unwrap() >= 1);
    assert_eq!(stats["lastMatches"][0]["identity"], "Barack Obama");
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_input_is_refused_with_a_code_and_a_crash_mid_call_is_reported() {
    let d = rustyface().await;
    let cases = [
        ("faces.encode", json!({"image": b64(b"this is not an image")}), "bad_input"),
        ("faces.encode", json!({"image": "%%% not base64"}), "bad_input"),
        ("faces.encode", json!({"image": b64(b"\xff\xd8\xff\xe0 truncated jpeg")}), "bad_input"),
        ("faces.encode", json!({"image": fifty_megapixels()}), "image_too_large"),
        ("faces.encode", json!({"path": "/etc/passwd"}), "path_not_allowed"),
        ("faces.search", json!({"encoding": [0.5, 0.5, 0.5]}), "schema_violation"),
        (
            "dataset.manage",
            json!({"action": "enroll", "identity": "nobody", "images": [{"image": png(&RgbImage::from_pixel(64, 64, image::Rgb([200, 120, 40])))}]}),
            "no_face",
        ),
        (
            "dataset.manage",
            json!({"action": "enroll", "identity": "two", "images": [{"image": two_faces()}]}),
            "several_faces",
        ),
        ("dataset.manage", json!({"action": "rename", "identity": "ghost", "to": "x"}), "unknown_identity"),
        ("dataset.manage", json!({"action": "remove", "identity": "ghost"}), "unknown_identity"),
        ("dataset.manage", json!({"action": "list", "identity": "ghost"}), "unknown_identity"),
        (
            "dataset.manage",
            json!({"action": "import", "data": {"identities": [{"identity": "x", "samples": [{"encoding": [1.0]}]}]}}),
            "bad_input",
        ),
    ];
    for (capability, input, code) in cases {
        let (status, got) = refused(&d, capability, input).await;
        // The daemon's own checks: the input schema (400) and path confinement (403); the rest
        // are the plugin's, as invalid_input (422) with the plugin's code.
        let want = match code {
            "schema_violation" => 400,
            "path_not_allowed" => 403,
            _ => 422,
        };
        assert_eq!((status, got.as_str()), (want, code), "{capability} {code}");
    }
    // Nothing was enrolled by the refused calls, and the plugin is still the same process.
    let list = call(&d, "dataset.manage", json!({"action": "list"})).await;
    assert_eq!(list["identities"], json!([]));
    let pid = d.pid_of("rustyface").await;

    // A batch streams one result per image, in any order, each with its index; a bad image in
    // a batch is that image's error, not the batch's.
    let batch = json!({"images": [{"path": images().join("obama2.jpg")}, {"image": b64(b"junk")}, {"path": images().join("32bit.png")}]});
    let mut events = Box::pin(d.client.invoke_stream("rustyface", "faces.encode", &batch).await.unwrap());
    let (mut chunks, mut result) = (Vec::new(), None);
    while let Some(ev) = events.next().await {
        match ev.unwrap() {
            InvokeEvent::Chunk(c) => chunks.push(c),
            InvokeEvent::Result(r) => result = Some(r),
            InvokeEvent::Error(e) => panic!("{e:?}"),
        }
    }
    let result = result.expect("a result");
    assert_eq!(chunks.len(), 3);
    assert_eq!(
        (result["images"].as_u64(), result["faces"].as_u64(), result["failed"].as_u64()),
        (Some(3), Some(2), Some(1))
    );
    assert_eq!(result["results"][1]["error"]["code"], "bad_input");
    // obama2.jpg and 32bit.png are the same picture (JPEG and PNG): the same face.
    let (a, b) = (encoding(&result["results"][0]["faces"][0]), encoding(&result["results"][2]["faces"][0]));
    assert!(distance(&a, &b) < 0.1);
    assert_eq!(d.pid_of("rustyface").await, pid);

    // Killed mid-call: a long batch fails with a clear error once the process is gone, and the
    // supervisor starts it again (restart policy), which then answers.
    let long = json!({"images": vec![json!({"path": images().join("obama.jpg")}); 200]});
    let mut events = Box::pin(d.client.invoke_stream("rustyface", "faces.encode", &long).await.unwrap());
    let first = events.next().await.expect("an event").unwrap();
    assert!(matches!(first, InvokeEvent::Chunk(_)), "{first:?}");
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid as i32), nix::sys::signal::Signal::SIGKILL)
        .unwrap();
    let mut error = None;
    while let Some(ev) = events.next().await {
        match ev {
            Ok(InvokeEvent::Error(e)) => error = Some(e),
            Ok(InvokeEvent::Result(_)) => panic!("a killed call has no result"),
            Ok(InvokeEvent::Chunk(_)) => {}
            Err(e) => panic!("{e}"),
        }
    }
    let error = error.expect("the call ends with an error");
    assert_eq!(error.code.as_str(), "plugin_crashed", "{error:?}");
    wait_until("rustyface is restarted", || async {
        let s = d.client.plugin_status("rustyface").await.unwrap();
        s.status == PluginState::Running && s.pid.is_some_and(|p| p != pid)
    })
    .await;
    let one = call(&d, "faces.encode", json!({"path": images().join("obama.jpg")})).await;
    assert_eq!(one["faces"].as_array().unwrap().len(), 1);
}
