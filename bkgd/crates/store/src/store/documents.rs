//! Documents and their embeddings, stored on behalf of plugins (through protocol callbacks;
//! plugins never open the database). A document belongs to a collection; its embedding, when
//! given, is stored beside it as little-endian f32 bytes.

use bkg_core::protocol::methods::{CollectionInfo, Document};
use serde_json::Value;

use super::{Store, StoreResult, now_ms, on_pool};

#[derive(sqlx::FromRow)]
struct DocRow {
    id: String,
    text: String,
    metadata: String,
    vector: Option<Vec<u8>>,
}

#[derive(sqlx::FromRow)]
struct CollectionRow {
    collection: String,
    documents: i64,
}

fn vector_bytes(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

fn bytes_vector(b: &[u8]) -> Vec<f32> {
    b.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect()
}

impl Store {
    /// Inserts or replaces documents (and their embeddings) in one transaction; returns their
    /// ids, assigning fresh ones where none were given.
    pub async fn put_documents(
        &self,
        collection: &str,
        model: Option<&str>,
        docs: &[Document],
    ) -> StoreResult<Vec<String>> {
        let now = now_ms();
        let ids: Vec<String> = docs
            .iter()
            .map(|d| d.id.clone().unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string()))
            .collect();
        let model = model.unwrap_or("");
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            for (doc, id) in docs.iter().zip(&ids) {
                let metadata = if doc.metadata.is_null() { "{}".to_string() } else { doc.metadata.to_string() };
                sqlx::query(
                    "INSERT INTO documents (collection, id, text, metadata, created_at) VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (collection, id) DO UPDATE SET text = excluded.text, metadata = excluded.metadata",
                )
                .bind(collection)
                .bind(id)
                .bind(&doc.text)
                .bind(metadata)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                match &doc.embedding {
                    Some(v) => {
                        sqlx::query(
                            "INSERT INTO embeddings (collection, document_id, model, dim, vector) VALUES ($1, $2, $3, $4, $5)
                             ON CONFLICT (collection, document_id)
                             DO UPDATE SET model = excluded.model, dim = excluded.dim, vector = excluded.vector",
                        )
                        .bind(collection)
                        .bind(id)
                        .bind(model)
                        .bind(v.len() as i32)
                        .bind(vector_bytes(v))
                        .execute(&mut *tx)
                        .await?;
                    }
                    None => {
                        sqlx::query("DELETE FROM embeddings WHERE collection = $1 AND document_id = $2")
                            .bind(collection)
                            .bind(id)
                            .execute(&mut *tx)
                            .await?;
                    }
                }
            }
            tx.commit().await?;
        });
        Ok(ids)
    }

    /// One page of a collection in id order, after `after`.
    pub async fn list_documents(
        &self,
        collection: &str,
        after: Option<&str>,
        limit: u32,
        with_embeddings: bool,
    ) -> StoreResult<(Vec<Document>, Option<String>)> {
        let limit = limit.clamp(1, 10_000) as i64;
        let rows: Vec<DocRow> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT d.id, d.text, d.metadata, e.vector FROM documents d
                 LEFT JOIN embeddings e ON e.collection = d.collection AND e.document_id = d.id
                 WHERE d.collection = $1 AND d.id > $2 ORDER BY d.id LIMIT $3",
            )
            .bind(collection)
            .bind(after.unwrap_or(""))
            .bind(limit + 1)
            .fetch_all(pool)
            .await?
        });
        let more = rows.len() as i64 > limit;
        let docs: Vec<Document> = rows
            .into_iter()
            .take(limit as usize)
            .map(|r| Document {
                id: Some(r.id),
                text: r.text,
                metadata: serde_json::from_str(&r.metadata).unwrap_or(Value::Null),
                embedding: if with_embeddings { r.vector.as_deref().map(bytes_vector) } else { None },
            })
            .collect();
        let next = if more { docs.last().and_then(|d| d.id.clone()) } else { None };
        Ok((docs, next))
    }

    /// Deletes the given documents, or the whole collection when `ids` is `None`.
    pub async fn delete_documents(&self, collection: &str, ids: Option<&[String]>) -> StoreResult<u64> {
        on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let mut deleted = 0;
            match ids {
                None => {
                    sqlx::query("DELETE FROM embeddings WHERE collection = $1").bind(collection).execute(&mut *tx).await?;
                    deleted = sqlx::query("DELETE FROM documents WHERE collection = $1")
                        .bind(collection)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                }
                Some(ids) => {
                    for id in ids {
                        sqlx::query("DELETE FROM embeddings WHERE collection = $1 AND document_id = $2")
                            .bind(collection)
                            .bind(id)
                            .execute(&mut *tx)
                            .await?;
                        deleted += sqlx::query("DELETE FROM documents WHERE collection = $1 AND id = $2")
                            .bind(collection)
                            .bind(id)
                            .execute(&mut *tx)
                            .await?
                            .rows_affected();
                    }
                }
            }
            tx.commit().await?;
            Ok(deleted)
        })
    }

    pub async fn collections(&self) -> StoreResult<Vec<CollectionInfo>> {
        let rows: Vec<CollectionRow> = on_pool!(self, pool => {
            sqlx::query_as(
                "SELECT collection, COUNT(*) AS documents FROM documents GROUP BY collection ORDER BY collection",
            )
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|r| CollectionInfo { collection: r.collection, documents: r.documents as u64 })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::testing::backends;
    use serde_json::json;

    fn doc(id: Option<&str>, text: &str, embedding: Option<Vec<f32>>) -> Document {
        Document { id: id.map(Into::into), text: text.into(), metadata: json!({"n": text.len()}), embedding }
    }

    #[tokio::test]
    async fn documents_round_trip_with_paging_and_embeddings() {
        for t in backends().await {
            let s = &t.store;
            let ids = s
                .put_documents(
                    "c1",
                    Some("minilm"),
                    &[
                        doc(Some("a"), "alpha", Some(vec![0.5, -1.25])),
                        doc(Some("b"), "beta", None),
                        doc(None, "gamma", None),
                    ],
                )
                .await
                .unwrap();
            assert_eq!(ids.len(), 3);
            assert_eq!(&ids[..2], &["a".to_string(), "b".to_string()]);
            s.put_documents("c2", None, &[doc(Some("a"), "other", None)]).await.unwrap();
            // Replace keeps one row.
            s.put_documents("c1", Some("minilm"), &[doc(Some("a"), "alpha2", Some(vec![1.0, 2.0]))])
                .await
                .unwrap();

            let (page1, next) = s.list_documents("c1", None, 2, true).await.unwrap();
            assert_eq!(page1.len(), 2, "{}", s.backend());
            let (page2, end) = s.list_documents("c1", next.as_deref(), 2, true).await.unwrap();
            assert_eq!(page2.len(), 1);
            assert!(end.is_none());
            let all: Vec<Document> = page1.into_iter().chain(page2).collect();
            let mut ids: Vec<&str> = all.iter().map(|d| d.id.as_deref().unwrap()).collect();
            assert!(ids.windows(2).all(|w| w[0] < w[1]), "pages come in id order: {ids:?}");
            ids.sort_unstable();
            assert_eq!(ids.len(), 3);
            let a = all.iter().find(|d| d.id.as_deref() == Some("a")).unwrap();
            assert_eq!(a.text, "alpha2");
            assert_eq!(a.embedding, Some(vec![1.0, 2.0]));
            assert_eq!(a.metadata, json!({"n": 6}));
            assert_eq!(all.iter().find(|d| d.id.as_deref() == Some("b")).unwrap().embedding, None);

            let cols = s.collections().await.unwrap();
            assert_eq!(
                cols.iter().map(|c| (c.collection.as_str(), c.documents)).collect::<Vec<_>>(),
                vec![("c1", 3), ("c2", 1)]
            );

            assert_eq!(s.delete_documents("c1", Some(&["a".into(), "zz".into()])).await.unwrap(), 1);
            assert_eq!(s.delete_documents("c1", None).await.unwrap(), 2);
            assert_eq!(s.collections().await.unwrap().len(), 1);
            t.drop_db().await;
        }
    }
}
