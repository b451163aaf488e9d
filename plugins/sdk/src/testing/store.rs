//! `MemoryStore`: an in-memory stand-in for the daemon's document services, so a plugin's
//! `documents.*` and `collections.list` calls can be tested without a daemon. It follows the
//! contracts documented on `bkg_core::protocol::methods`: ids assigned when absent, paging in
//! id order with `after`/`limit`/`next`, embeddings only on request.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

use bkg_core::protocol::methods::{
    COLLECTIONS_LIST, CollectionInfo, CollectionsListResult, DOCUMENTS_DELETE, DOCUMENTS_LIST, DOCUMENTS_PUT,
    Document, DocumentsDelete, DocumentsDeleteResult, DocumentsList, DocumentsListResult, DocumentsPut,
    DocumentsPutResult,
};
use bkg_core::protocol::{ProtocolCode, ProtocolError};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

#[derive(Clone, Default)]
pub struct MemoryStore {
    inner: Arc<Mutex<Inner>>,
}

#[derive(Default)]
struct Inner {
    collections: BTreeMap<String, BTreeMap<String, Document>>,
    next_id: u64,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// Answers one daemon callback the way the daemon would.
    pub fn handle(&self, method: &str, params: Value) -> Result<Value, ProtocolError> {
        match method {
            DOCUMENTS_PUT => answer(self.put(parse(params)?)),
            DOCUMENTS_LIST => answer(self.list(parse(params)?)),
            DOCUMENTS_DELETE => answer(self.delete(parse(params)?)),
            COLLECTIONS_LIST => answer(self.collections()),
            other => Err(ProtocolError::new(
                ProtocolCode::UnknownMethod,
                format!("no daemon method named {other:?}"),
                true,
            )),
        }
    }

    /// The documents of a collection in id order, for assertions.
    pub fn documents(&self, collection: &str) -> Vec<Document> {
        self.lock()
            .collections
            .get(collection)
            .map(|docs| docs.values().cloned().collect())
            .unwrap_or_default()
    }

    fn put(&self, params: DocumentsPut) -> DocumentsPutResult {
        let mut inner = self.lock();
        let mut ids = Vec::with_capacity(params.documents.len());
        for mut doc in params.documents {
            let id = match doc.id.clone() {
                Some(id) => id,
                None => {
                    inner.next_id += 1;
                    format!("doc-{:06}", inner.next_id)
                }
            };
            doc.id = Some(id.clone());
            inner.collections.entry(params.collection.clone()).or_default().insert(id.clone(), doc);
            ids.push(id);
        }
        DocumentsPutResult { ids }
    }

    fn list(&self, params: DocumentsList) -> DocumentsListResult {
        let inner = self.lock();
        let Some(docs) = inner.collections.get(&params.collection) else {
            return DocumentsListResult { documents: Vec::new(), next: None };
        };
        let limit = params.limit.max(1) as usize;
        let mut page: Vec<Document> = docs
            .iter()
            .filter(|(id, _)| params.after.as_ref().is_none_or(|after| *id > after))
            .take(limit + 1)
            .map(|(_, doc)| doc.clone())
            .collect();
        let more = page.len() > limit;
        page.truncate(limit);
        if !params.with_embeddings {
            for doc in &mut page {
                doc.embedding = None;
            }
        }
        let next = if more { page.last().and_then(|d| d.id.clone()) } else { None };
        DocumentsListResult { documents: page, next }
    }

    fn delete(&self, params: DocumentsDelete) -> DocumentsDeleteResult {
        let mut inner = self.lock();
        let deleted = match params.ids {
            Some(ids) => match inner.collections.get_mut(&params.collection) {
                Some(docs) => ids.iter().filter(|id| docs.remove(*id).is_some()).count(),
                None => 0,
            },
            None => inner.collections.remove(&params.collection).map_or(0, |docs| docs.len()),
        };
        DocumentsDeleteResult { deleted: deleted as u64 }
    }

    fn collections(&self) -> CollectionsListResult {
        let inner = self.lock();
        CollectionsListResult {
            collections: inner
                .collections
                .iter()
                .map(|(name, docs)| CollectionInfo { collection: name.clone(), documents: docs.len() as u64 })
                .collect(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn parse<T: DeserializeOwned>(params: Value) -> Result<T, ProtocolError> {
    serde_json::from_value(params)
        .map_err(|e| ProtocolError::new(ProtocolCode::BadParams, e.to_string(), true))
}

fn answer<T: Serialize>(result: T) -> Result<Value, ProtocolError> {
    serde_json::to_value(result).map_err(|e| ProtocolError::new(ProtocolCode::Internal, e.to_string(), false))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn put_list_page_and_delete() {
        let store = MemoryStore::new();
        let put = store
            .handle(
                DOCUMENTS_PUT,
                json!({"collection": "c", "documents": [
                    {"text": "a", "embedding": [1.0]}, {"text": "b"}, {"id": "z", "text": "c"}
                ]}),
            )
            .unwrap();
        assert_eq!(put, json!({"ids": ["doc-000001", "doc-000002", "z"]}));
        let page = store.handle(DOCUMENTS_LIST, json!({"collection": "c", "limit": 2})).unwrap();
        assert_eq!(page["next"], "doc-000002");
        assert_eq!(page["documents"][0].get("embedding"), None);
        let rest = store.handle(DOCUMENTS_LIST, json!({"collection": "c", "after": "doc-000002"})).unwrap();
        assert_eq!(rest["documents"][0]["id"], "z");
        assert_eq!(rest["next"], Value::Null);
        let with = store.handle(DOCUMENTS_LIST, json!({"collection": "c", "with_embeddings": true})).unwrap();
        assert_eq!(with["documents"][0]["embedding"], json!([1.0]));
        let cols = store.handle(COLLECTIONS_LIST, json!({})).unwrap();
        assert_eq!(cols, json!({"collections": [{"collection": "c", "documents": 3}]}));
        let del = store.handle(DOCUMENTS_DELETE, json!({"collection": "c", "ids": ["z", "nope"]})).unwrap();
        assert_eq!(del, json!({"deleted": 1}));
        let all = store.handle(DOCUMENTS_DELETE, json!({"collection": "c"})).unwrap();
        assert_eq!(all, json!({"deleted": 2}));
        let err = store.handle("nope", json!({})).unwrap_err();
        assert!(err.client_error);
    }
}
