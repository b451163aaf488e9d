//! Hot swap under load: a restart of a running plugin fails no invocation.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use serde_json::json;

use crate::harness::daemon;

#[tokio::test(flavor = "multi_thread")]
async fn restart_under_a_stream_of_invocations_fails_none() {
    let d = daemon().plugin("p", &["serve"], "").start().await;
    d.client.start("p").await.unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let failures = Arc::new(AtomicU64::new(0));
    let ok = Arc::new(AtomicU64::new(0));
    let runs = Arc::new(parking_lot::Mutex::new(std::collections::BTreeSet::new()));
    let mut workers = Vec::new();
    for w in 0..8 {
        let (client, stop, failures, ok, runs) =
            (d.client.clone(), stop.clone(), failures.clone(), ok.clone(), runs.clone());
        workers.push(tokio::spawn(async move {
            let mut i = 0u64;
            while !stop.load(Ordering::Acquire) {
                // Alternate quick calls with calls that are in flight during the swap.
                let res = if i.is_multiple_of(3) {
                    client.invoke("p", "sleep", &json!({"ms": 20})).await
                } else {
                    client.invoke("p", "echo", &json!({"w": w, "i": i})).await
                };
                match res {
                    Ok(r) => {
                        ok.fetch_add(1, Ordering::Relaxed);
                        runs.lock().insert(r.run);
                    }
                    Err(e) => {
                        eprintln!("invocation failed during the swap: {e}");
                        failures.fetch_add(1, Ordering::Relaxed);
                    }
                }
                i += 1;
            }
        }));
    }
    for n in 0..5 {
        // Let traffic reach the current instance before swapping it.
        let before = ok.load(Ordering::Relaxed);
        crate::harness::wait_until("calls flow", || async { ok.load(Ordering::Relaxed) > before + 20 }).await;
        let r = d.client.restart("p").await.unwrap();
        assert_eq!(r.status.run, n + 2);
    }
    let before = ok.load(Ordering::Relaxed);
    crate::harness::wait_until("calls flow on the last instance", || async {
        ok.load(Ordering::Relaxed) > before + 20
    })
    .await;
    stop.store(true, Ordering::Release);
    for w in workers {
        w.await.unwrap();
    }
    assert_eq!(failures.load(Ordering::Relaxed), 0, "no invocation may fail during hot swaps");
    assert!(ok.load(Ordering::Relaxed) > 100);
    assert_eq!(runs.lock().len(), 6, "every instance served calls: {:?}", runs.lock());
}
