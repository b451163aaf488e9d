//! Crash consistency: `kill -9` of bkgd during 100 concurrent key creations loses no
//! acknowledged key, and no key lacks its audit row.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use bkg_core::auth::{AuditQuery, CreateApiKey};

use crate::harness::{login_on_port as login, spawn_bkgd, wait_until};

#[tokio::test(flavor = "multi_thread")]
async fn kill_9_during_100_key_creations_loses_no_acknowledged_key() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut bkgd = spawn_bkgd(dir.path(), port, &[]);
    let client = login(port).await;

    let acked = Arc::new(parking_lot::Mutex::new(Vec::<String>::new()));
    let done = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = (0..100)
        .map(|i| {
            let (c, acked, done) = (client.clone(), acked.clone(), done.clone());
            tokio::spawn(async move {
                let res =
                    c.create_api_key(&CreateApiKey { name: format!("k{i}"), ..Default::default() }).await;
                if let Ok(k) = res {
                    acked.lock().push(k.key.id);
                }
                done.fetch_add(1, Ordering::AcqRel);
            })
        })
        .collect();
    // Kill once some creations were acknowledged and others are still in flight.
    wait_until("some keys are acknowledged", || async { acked.lock().len() >= 20 }).await;
    bkgd.kill().unwrap();
    bkgd.wait().unwrap();
    for t in tasks {
        t.await.unwrap();
    }
    let acked: BTreeSet<String> = acked.lock().iter().cloned().collect();
    assert!(acked.len() >= 20);

    let mut bkgd = spawn_bkgd(dir.path(), port, &[]);
    let client = login(port).await;
    let keys: BTreeSet<String> = client.api_keys().await.unwrap().keys.into_iter().map(|k| k.id).collect();
    let missing: Vec<_> = acked.difference(&keys).collect();
    assert!(missing.is_empty(), "acknowledged keys lost: {missing:?}");
    let audited: BTreeSet<String> = client
        .audit(&AuditQuery { action: Some("key.create".into()), limit: Some(1000), ..Default::default() })
        .await
        .unwrap()
        .events
        .into_iter()
        .filter_map(|e| e.target)
        .collect();
    let unaudited: Vec<_> = keys.difference(&audited).collect();
    assert!(unaudited.is_empty(), "keys without their audit row: {unaudited:?}");
    assert_eq!(keys, audited, "and no audit row without its key");
    let _ = bkgd.kill();
    let _ = bkgd.wait();
}
