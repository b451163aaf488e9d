//! OpenAI-compatible routes: `POST /v1/chat/completions` (JSON, or server-sent events with
//! `stream: true`), `POST /v1/embeddings` and `GET /v1/models`, answered by the plugin named in `[openai] plugin`
//! (`llmserver`) through its `chat` and `embeddings` capabilities, so OpenAI clients work
//! against bkg with an API key as their key. Permission: `plugins:invoke`.

use std::convert::Infallible;
use std::sync::Arc;

use super::json::Json;
use axum::response::sse::{Event as SseEvent, Sse};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use bkg_core::ErrorCode;
use bkg_core::openai::{
    ChatChoice, ChatChunkChoice, ChatCompletion, ChatCompletionChunk, ChatCompletionRequest, ChatDelta,
    ChatMessage, Embedding, EmbeddingRequest, EmbeddingResponse, EmbeddingVector, ModelList, ModelObject,
    OpenAiError, Usage,
};
use bkg_core::plugin::InvokeEvent;
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiError, ApiResult};
use super::extract::ApiJson;
use super::invoke::Replies;
use super::principal::{ClientIp, Require, perm};
use super::{AppState, State};

pub fn router() -> OpenApiRouter<Arc<AppState>> {
    OpenApiRouter::new().routes(routes!(chat_completions)).routes(routes!(embeddings)).routes(routes!(models))
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn count(v: &Value, key: &str) -> u64 {
    v.get(key).and_then(Value::as_u64).unwrap_or(0)
}

/// The plugin's `chat` input for an OpenAI request.
fn chat_input(req: &ChatCompletionRequest) -> ApiResult<Value> {
    if req.n.is_some_and(|n| n != 1) {
        return Err(ApiError::bad_request("n: only one choice per request is supported"));
    }
    if req.messages.is_empty() {
        return Err(ApiError::bad_request("messages: give at least one message"));
    }
    let mut input = json!({
        "messages": req.messages,
        "temperature": req.temperature.unwrap_or(1.0),
    });
    if let Some(max) = req.max_completion_tokens.or(req.max_tokens) {
        input["max_tokens"] = json!(max);
    }
    if let Some(p) = req.top_p {
        input["top_p"] = json!(p);
    }
    if let Some(stop) = req.stop.clone() {
        input["stop"] = json!(stop.into_vec());
    }
    if let Some(seed) = req.seed {
        input["seed"] = json!(seed);
    }
    Ok(input)
}

/// A chat completion: the whole answer, or (`stream: true`) `chat.completion.chunk` events
/// ending with `data: [DONE]`.
#[utoipa::path(post, path = "/v1/chat/completions", tag = "openai", security(("bearer" = [])),
    request_body = ChatCompletionRequest,
    responses((status = 200, body = ChatCompletion, description = "With stream: true, text/event-stream of ChatCompletionChunk"),
        (status = 400, body = OpenAiError), (status = 401, body = OpenAiError), (status = 403, body = OpenAiError),
        (status = 404, body = OpenAiError), (status = 409, body = OpenAiError), (status = 422, body = OpenAiError),
        (status = 502, body = OpenAiError)))]
async fn chat_completions(
    state: State,
    who: Require<perm::PluginsInvoke>,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<ChatCompletionRequest>,
) -> ApiResult<Response> {
    let input = chat_input(&req)?;
    let replies =
        Replies::start(&state, who.principal(), ip, &state.config.openai.plugin, "chat", input).await?;
    let id = format!("chatcmpl-{}", uuid::Uuid::new_v4().simple());
    let created = now();
    let model = req.model.clone();
    if !req.stream {
        let out = replies.collect().await?.output;
        let (prompt, completion) = (count(&out, "promptTokens"), count(&out, "completionTokens"));
        return Ok(Json(ChatCompletion {
            id,
            object: "chat.completion".into(),
            created,
            model,
            choices: vec![ChatChoice {
                index: 0,
                message: ChatMessage {
                    role: "assistant".into(),
                    content: out["text"].as_str().unwrap_or_default().to_string(),
                },
                finish_reason: out["finishReason"].as_str().unwrap_or("stop").to_string(),
            }],
            usage: Usage {
                prompt_tokens: prompt,
                completion_tokens: completion,
                total_tokens: prompt + completion,
            },
        })
        .into_response());
    }
    let maker = Chunks { id, created, model };
    let events = futures_util::stream::unfold(Stream::First(replies, maker), |st| async move {
        match st {
            Stream::First(r, m) => {
                let first =
                    m.chunk(ChatDelta { role: Some("assistant".into()), content: Some(String::new()) }, None);
                Some((data(&first), Stream::Deltas(r, m)))
            }
            Stream::Deltas(mut r, m) => match r.next_event().await {
                Some(InvokeEvent::Chunk(v)) => {
                    let delta = v["delta"].as_str().unwrap_or_default().to_string();
                    let event = data(&m.chunk(ChatDelta { role: None, content: Some(delta) }, None));
                    Some((event, Stream::Deltas(r, m)))
                }
                Some(InvokeEvent::Result(out)) => {
                    let finish = out["finishReason"].as_str().unwrap_or("stop").to_string();
                    Some((data(&m.chunk(ChatDelta::default(), Some(finish))), Stream::Done))
                }
                Some(InvokeEvent::Error(e)) => {
                    // Headers are gone: the error goes in the stream, as OpenAI's server does.
                    let error = OpenAiError::new(e.code.http_status(), Some(e.code.to_string()), e.message);
                    Some((data(&error), Stream::Done))
                }
                None => None,
            },
            Stream::Done => Some((Ok(SseEvent::default().data("[DONE]")), Stream::End)),
            Stream::End => None,
        }
    });
    Ok(Sse::new(events).into_response())
}

/// Where a streamed completion is: the role chunk, the deltas, `[DONE]`.
enum Stream {
    First(Replies, Chunks),
    Deltas(Replies, Chunks),
    Done,
    End,
}

/// Makes the chunks of one completion.
struct Chunks {
    id: String,
    created: i64,
    model: String,
}

impl Chunks {
    fn chunk(&self, delta: ChatDelta, finish: Option<String>) -> ChatCompletionChunk {
        ChatCompletionChunk {
            id: self.id.clone(),
            object: "chat.completion.chunk".into(),
            created: self.created,
            model: self.model.clone(),
            choices: vec![ChatChunkChoice { index: 0, delta, finish_reason: finish }],
        }
    }
}

fn data<T: serde::Serialize>(v: &T) -> Result<SseEvent, Infallible> {
    Ok(SseEvent::default().data(serde_json::to_string(v).unwrap_or_default()))
}

/// Sentence embeddings, as floats or (`encoding_format: base64`) base64 of little-endian f32.
#[utoipa::path(post, path = "/v1/embeddings", tag = "openai", security(("bearer" = [])),
    request_body = EmbeddingRequest,
    responses((status = 200, body = EmbeddingResponse), (status = 400, body = OpenAiError), (status = 401, body = OpenAiError),
        (status = 403, body = OpenAiError), (status = 404, body = OpenAiError), (status = 409, body = OpenAiError),
        (status = 422, body = OpenAiError), (status = 502, body = OpenAiError)))]
async fn embeddings(
    state: State,
    who: Require<perm::PluginsInvoke>,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<EmbeddingRequest>,
) -> ApiResult<Json<EmbeddingResponse>> {
    let base64 = match req.encoding_format.as_deref() {
        None | Some("float") => false,
        Some("base64") => true,
        Some(other) => {
            return Err(ApiError::bad_request(format!("encoding_format {other:?}: use float or base64")));
        }
    };
    let texts = req.input.into_vec();
    if texts.is_empty() {
        return Err(ApiError::bad_request("input: give at least one text"));
    }
    let input = json!({"input": texts});
    let replies =
        Replies::start(&state, who.principal(), ip, &state.config.openai.plugin, "embeddings", input).await?;
    let out = replies.collect().await?.output;
    let vectors: Vec<Vec<f32>> = serde_json::from_value(out["embeddings"].clone()).map_err(|e| {
        ApiError::new(ErrorCode::PluginError, format!("the plugin's embeddings are malformed: {e}"))
    })?;
    let data = vectors
        .into_iter()
        .enumerate()
        .map(|(i, v)| Embedding {
            object: "embedding".into(),
            index: i as u32,
            embedding: if base64 {
                let bytes: Vec<u8> = v.iter().flat_map(|x| x.to_le_bytes()).collect();
                EmbeddingVector::Base64(base64::engine::general_purpose::STANDARD.encode(bytes))
            } else {
                EmbeddingVector::Float(v)
            },
        })
        .collect();
    let tokens = count(&out, "promptTokens");
    Ok(Json(EmbeddingResponse {
        object: "list".into(),
        data,
        model: req.model,
        usage: Usage { prompt_tokens: tokens, completion_tokens: 0, total_tokens: tokens },
    }))
}

/// The models the OpenAI routes answer with: the `[openai] plugin`'s configured `chatModel` and
/// `embeddingModel`, where the registry holds them ready. Clients that list models before they
/// chat (Open WebUI, LangChain) find them here; a request's `model` is echoed back, the
/// configured model answers.
#[utoipa::path(get, path = "/v1/models", tag = "openai", security(("bearer" = [])),
    responses((status = 200, body = ModelList), (status = 401, body = OpenAiError), (status = 403, body = OpenAiError),
        (status = 404, body = OpenAiError)))]
async fn models(state: State, _: Require<perm::PluginsInvoke>) -> ApiResult<Json<ModelList>> {
    let config = state.plugin(&state.config.openai.plugin)?.config();
    let rows = state.store.models().await?;
    let data = ["chatModel", "embeddingModel"]
        .iter()
        .filter_map(|key| config[key].as_str())
        .filter_map(|name| {
            crate::models::ready_row(&rows, name).map(|r| ModelObject {
                id: name.to_string(),
                object: "model".into(),
                created: r.created_at / 1000,
                owned_by: "bkg".into(),
            })
        })
        .collect();
    Ok(Json(ModelList { object: "list".into(), data }))
}
