//! Daemon-owned services that plugins reach through `call` messages (see
//! `bkg_core::protocol::methods`). This is how a plugin stores documents and embeddings without
//! ever touching the database.

use bkg_core::protocol::methods::{
    COLLECTIONS_LIST, CollectionsListResult, DOCUMENTS_DELETE, DOCUMENTS_LIST, DOCUMENTS_PUT,
    DocumentsDelete, DocumentsDeleteResult, DocumentsList, DocumentsListResult, DocumentsPut,
    DocumentsPutResult, MODELS_RESOLVE, ModelsResolve, PLUGINS_INVOKE,
};
use bkg_core::protocol::{ProtocolCode, ProtocolError};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use std::sync::Arc;

use super::Ctx;
use super::instance::Instance;

/// Largest collection name; longer ones are a plugin bug.
const MAX_COLLECTION: usize = 200;

pub async fn handle(caller: &Arc<Instance>, method: &str, params: Value) -> Result<Value, ProtocolError> {
    let ctx: &Ctx = caller.ctx();
    let (plugin, run) = (&*caller.plugin_id, caller.run);
    let store = &ctx.store;
    match method {
        PLUGINS_INVOKE => super::calls::invoke(ctx, caller, parse(params)?).await,
        MODELS_RESOLVE => {
            let p: ModelsResolve = parse(params)?;
            let resolved = ctx.models.resolve(&p.model, plugin, run).await.map_err(|(code, message)| {
                ProtocolError::new(code, message, code != ProtocolCode::Internal)
            })?;
            to_value(resolved)
        }
        DOCUMENTS_PUT => {
            let p: DocumentsPut = parse(params)?;
            check_collection(&p.collection)?;
            if let Some(bad) = p
                .documents
                .iter()
                .find(|d| d.embedding.as_ref().is_some_and(|e| e.iter().any(|x| !x.is_finite())))
            {
                return Err(bad_params(format!("embedding of document {:?} has a non-finite value", bad.id)));
            }
            let ids = store
                .put_documents(&p.collection, p.model.as_deref(), &p.documents)
                .await
                .map_err(internal)?;
            to_value(DocumentsPutResult { ids })
        }
        DOCUMENTS_LIST => {
            let p: DocumentsList = parse(params)?;
            check_collection(&p.collection)?;
            let (documents, next) = store
                .list_documents(&p.collection, p.after.as_deref(), p.limit, p.with_embeddings)
                .await
                .map_err(internal)?;
            to_value(DocumentsListResult { documents, next })
        }
        DOCUMENTS_DELETE => {
            let p: DocumentsDelete = parse(params)?;
            check_collection(&p.collection)?;
            let deleted = store.delete_documents(&p.collection, p.ids.as_deref()).await.map_err(internal)?;
            to_value(DocumentsDeleteResult { deleted })
        }
        COLLECTIONS_LIST => {
            let collections = store.collections().await.map_err(internal)?;
            to_value(CollectionsListResult { collections })
        }
        other => Err(ProtocolError::new(
            ProtocolCode::UnknownMethod,
            format!("the daemon offers no method {other:?}"),
            true,
        )),
    }
}

fn parse<T: DeserializeOwned>(params: Value) -> Result<T, ProtocolError> {
    serde_json::from_value(params).map_err(|e| bad_params(e.to_string()))
}

fn to_value<T: Serialize>(v: T) -> Result<Value, ProtocolError> {
    serde_json::to_value(v).map_err(|e| internal(e.to_string()))
}

fn check_collection(c: &str) -> Result<(), ProtocolError> {
    if c.is_empty() || c.len() > MAX_COLLECTION {
        return Err(bad_params(format!("collection names are 1 to {MAX_COLLECTION} bytes")));
    }
    Ok(())
}

fn bad_params(message: String) -> ProtocolError {
    ProtocolError::new(ProtocolCode::BadParams, message, true)
}

fn internal(e: impl std::fmt::Display) -> ProtocolError {
    tracing::error!(error = %e, "plugin callback failed");
    ProtocolError::new(ProtocolCode::Internal, "the daemon could not complete the call", false)
}
