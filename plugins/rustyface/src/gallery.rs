//! The enrolled identities: one document per sample in bkgd's `documents` and `embeddings`
//! tables (collection `config.collection`, text = the identity's name, metadata
//! `{"identity", "enrolledAt", "source"}`, the 128-d encoding as the embedding), written through
//! the daemon's `documents.*` callbacks, so they survive restarts and live in whichever database
//! bkgd uses. The plugin keeps a copy in memory, loaded on first use, for searching.

use std::collections::{BTreeMap, HashMap};

use bkg_plugin_sdk::methods::{Document, DocumentsDelete, DocumentsPut};
use bkg_plugin_sdk::{PluginError, Session};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

pub const MODEL: &str = "ageitgey/face_recognition_models";
pub const DIM: usize = 128;

/// One enrolled face.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Sample {
    pub id: String,
    pub identity: String,
    #[serde(default)]
    pub enrolled_at: Option<i64>,
    #[serde(default)]
    pub source: Option<String>,
    pub encoding: Vec<f32>,
}

impl Sample {
    fn document(&self) -> Document {
        Document {
            id: Some(self.id.clone()).filter(|i| !i.is_empty()),
            text: self.identity.clone(),
            metadata: json!({"identity": self.identity, "enrolledAt": self.enrolled_at, "source": self.source}),
            embedding: Some(self.encoding.clone()),
        }
    }
}

/// A match: an identity and its nearest sample's distance.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Match {
    pub identity: String,
    pub distance: f32,
    pub sample: String,
}

/// Euclidean distance, as face_recognition's `face_distance`.
pub fn distance(a: &[f32], b: &[f32]) -> f32 {
    squared_distance(a, b).sqrt()
}

/// The squared distance, summed in 8 lanes so the compiler vectorises it (a plain `sum()` must
/// add in order and stays scalar: 4x slower over a 10,000-sample gallery).
pub fn squared_distance(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let mut rest = 0f32;
    for (x, y) in ca.remainder().iter().zip(cb.remainder()) {
        rest += (x - y) * (x - y);
    }
    for (x, y) in ca.zip(cb) {
        for i in 0..8 {
            let d = x[i] - y[i];
            lanes[i] += d * d;
        }
    }
    lanes.iter().sum::<f32>() + rest
}

pub fn check_encoding(e: &[f32]) -> Result<(), PluginError> {
    if e.len() != DIM || e.iter().any(|x| !x.is_finite()) {
        return Err(PluginError::bad_input(format!("an encoding is {DIM} finite numbers (got {})", e.len())));
    }
    Ok(())
}

pub fn check_identity(name: &str) -> Result<(), PluginError> {
    if name.trim().is_empty() || name.len() > 200 || name.chars().any(char::is_control) {
        return Err(PluginError::bad_input(
            "an identity is a name of 1 to 200 bytes without control characters",
        ));
    }
    Ok(())
}

pub fn unknown(identity: &str) -> PluginError {
    PluginError::new(
        "unknown_identity",
        format!("no identity {identity:?} is enrolled; `dataset.manage` with action list shows them"),
    )
    .client()
}

/// The samples in memory.
#[derive(Default)]
pub struct Gallery {
    pub samples: Vec<Sample>,
}

impl Gallery {
    /// Every sample of `collection`, from the daemon.
    pub async fn load(session: &Session, collection: &str) -> Result<Self, PluginError> {
        let docs = session.documents_all(collection, true).await?;
        let samples = docs
            .into_iter()
            .filter_map(|d| {
                let (id, encoding) = (d.id?, d.embedding.filter(|e| e.len() == DIM)?);
                let meta = &d.metadata;
                Some(Sample {
                    id,
                    identity: meta["identity"].as_str().map_or(d.text.clone(), str::to_string),
                    enrolled_at: meta["enrolledAt"].as_i64(),
                    source: meta["source"].as_str().map(str::to_string),
                    encoding,
                })
            })
            .collect();
        Ok(Self { samples })
    }

    /// Identities with their sample counts, by name.
    pub fn identities(&self) -> BTreeMap<&str, usize> {
        let mut out = BTreeMap::new();
        for s in &self.samples {
            *out.entry(s.identity.as_str()).or_default() += 1;
        }
        out
    }

    pub fn has(&self, identity: &str) -> bool {
        self.samples.iter().any(|s| s.identity == identity)
    }

    /// The `k` nearest identities within `tolerance` of `q` (each by its nearest sample). One
    /// pass over squared distances; only samples within the tolerance are grouped.
    pub fn search(&self, q: &[f32], tolerance: f32, k: usize) -> Vec<Match> {
        let limit = tolerance * tolerance;
        let mut best: HashMap<&str, (f32, &str)> = HashMap::new();
        for s in &self.samples {
            let d2 = squared_distance(q, &s.encoding);
            if d2 > limit {
                continue;
            }
            let e = best.entry(&s.identity).or_insert((f32::INFINITY, ""));
            if d2 < e.0 {
                *e = (d2, &s.id);
            }
        }
        let mut out: Vec<Match> = best
            .into_iter()
            .map(|(identity, (d2, sample))| Match {
                identity: identity.into(),
                distance: d2.sqrt(),
                sample: sample.into(),
            })
            .collect();
        out.sort_by(|a, b| a.distance.total_cmp(&b.distance).then_with(|| a.identity.cmp(&b.identity)));
        out.truncate(k);
        out
    }
}

/// Stores `samples` (ids assigned by the daemon where empty) and returns them with their ids.
pub async fn put(
    session: &Session,
    collection: &str,
    mut samples: Vec<Sample>,
) -> Result<Vec<Sample>, PluginError> {
    for chunk in samples.chunks_mut(1000) {
        let put = session
            .documents_put(&DocumentsPut {
                collection: collection.into(),
                model: Some(MODEL.into()),
                documents: chunk.iter().map(Sample::document).collect(),
            })
            .await?;
        for (s, id) in chunk.iter_mut().zip(put.ids) {
            s.id = id;
        }
    }
    Ok(samples)
}

pub async fn delete(session: &Session, collection: &str, ids: Vec<String>) -> Result<u64, PluginError> {
    let mut deleted = 0;
    for chunk in ids.chunks(1000) {
        deleted += session
            .documents_delete(&DocumentsDelete { collection: collection.into(), ids: Some(chunk.to_vec()) })
            .await?
            .deleted;
    }
    Ok(deleted)
}

/// The export format: identities with their samples' encodings.
pub fn export(samples: &[Sample]) -> Value {
    let mut by: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    for s in samples {
        by.entry(&s.identity).or_default().push(json!({
            "id": s.id, "enrolledAt": s.enrolled_at, "source": s.source, "encoding": s.encoding,
        }));
    }
    let identities: Vec<Value> =
        by.into_iter().map(|(name, samples)| json!({"identity": name, "samples": samples})).collect();
    json!({"format": "rustyface-gallery", "version": 1, "model": MODEL, "identities": identities})
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportDoc {
    #[serde(default)]
    format: Option<String>,
    /// Accepted and not read: version 1 is the only one.
    #[serde(default, rename = "version")]
    _version: Option<u32>,
    #[serde(default)]
    model: Option<String>,
    identities: Vec<ImportIdentity>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportIdentity {
    identity: String,
    samples: Vec<ImportSample>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ImportSample {
    /// Accepted and not read: imported samples get new ids.
    #[serde(default, rename = "id")]
    _id: Option<String>,
    #[serde(default)]
    enrolled_at: Option<i64>,
    #[serde(default)]
    source: Option<String>,
    encoding: Vec<f32>,
}

/// Parses and checks an export; every problem is the caller's, and nothing is stored on one.
pub fn parse_import(v: Value) -> Result<Vec<Sample>, PluginError> {
    let doc: ImportDoc = serde_json::from_value(v)
        .map_err(|e| PluginError::bad_input(format!("not a rustyface gallery export: {e}")))?;
    if doc.format.as_deref().is_some_and(|f| f != "rustyface-gallery") {
        return Err(PluginError::bad_input("not a rustyface gallery export (format)"));
    }
    if doc.model.as_deref().is_some_and(|m| m != MODEL) {
        return Err(PluginError::bad_input(format!(
            "the export's encodings come from another model than {MODEL}"
        )));
    }
    let mut out = Vec::new();
    for i in doc.identities {
        check_identity(&i.identity)?;
        for s in i.samples {
            check_encoding(&s.encoding)?;
            out.push(Sample {
                id: String::new(),
                identity: i.identity.clone(),
                enrolled_at: s.enrolled_at,
                source: s.source,
                encoding: s.encoding,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(id: &str, who: &str, x: f32) -> Sample {
        let mut encoding = vec![0.0; DIM];
        encoding[0] = x;
        Sample { id: id.into(), identity: who.into(), enrolled_at: None, source: None, encoding }
    }

    #[test]
    fn search_ranks_identities_by_their_nearest_sample_within_tolerance() {
        let g =
            Gallery { samples: vec![s("1", "a", 0.5), s("2", "a", 0.1), s("3", "b", 0.3), s("4", "c", 0.9)] };
        let mut q = vec![0.0; DIM];
        q[0] = 0.0;
        let m = g.search(&q, 0.6, 5);
        assert_eq!(
            m.iter().map(|m| (m.identity.as_str(), m.sample.as_str())).collect::<Vec<_>>(),
            [("a", "2"), ("b", "3")]
        );
        assert!((m[0].distance - 0.1).abs() < 1e-6);
        assert_eq!(g.search(&q, 0.6, 1).len(), 1);
    }

    #[test]
    fn an_export_imports_back_and_a_bad_one_is_refused() {
        let samples = vec![s("1", "a", 0.5), s("2", "b", 0.1)];
        let back = parse_import(export(&samples)).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back[1].identity, "b");
        assert_eq!(back[1].encoding, samples[1].encoding);
        let mut bad = export(&samples);
        bad["identities"][0]["samples"][0]["encoding"] = json!([1.0]);
        assert!(parse_import(bad).is_err());
        assert!(parse_import(json!({"identities": [{"identity": "", "samples": []}]})).is_err());
    }
}
