//! Embeddings against sentence-transformers' reference vectors.

use crate::common::{cosine, embedder, embedding_reference};

const MIN_COSINE: f64 = 0.99999;

#[test]
fn embeddings_match_sentence_transformers() {
    let reference = embedding_reference();
    assert!(reference.len() >= 10, "reference has {} sentences", reference.len());
    let texts: Vec<&str> = reference.iter().map(|r| r.text.as_str()).collect();
    let vectors = embedder().embed(&texts).expect("embeds");
    assert_eq!(vectors.len(), texts.len());
    for (item, vector) in reference.iter().zip(&vectors) {
        assert_eq!(vector.len(), 384);
        let c = cosine(vector, &item.embedding);
        assert!(c >= MIN_COSINE, "cosine {c} < {MIN_COSINE} for {:?}", item.text);
        let norm: f32 = vector.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-5, "norm {norm} for {:?}", item.text);
    }
}

/// Padding must not change a vector: each text alone equals its vector in a padded batch.
#[test]
fn batching_and_padding_do_not_change_vectors() {
    let reference = embedding_reference();
    let texts: Vec<&str> = reference.iter().map(|r| r.text.as_str()).collect();
    let batched = embedder().embed(&texts).expect("embeds");
    for (text, in_batch) in texts.iter().zip(&batched) {
        let alone = embedder().embed(&[*text]).expect("embeds");
        let c = cosine(&alone[0], in_batch);
        assert!(c >= MIN_COSINE, "cosine {c} between alone and batched for {text:?}");
    }
}

#[test]
fn model_facts_follow_its_config() {
    let e = embedder();
    assert_eq!(e.dimension(), 384);
    assert_eq!(e.max_seq_length(), 256);
    assert!(e.normalizes());
    assert_eq!(e.threads().count(), 1);
}

#[test]
fn empty_string_is_a_valid_text() {
    let v = embedder().embed(&[""]).expect("embeds an empty text");
    assert_eq!(v[0].len(), 384);
}
