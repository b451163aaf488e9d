//! `Json`: how every handler answers with a JSON body.
//!
//! axum's `Json` serializes into a buffer that starts at 128 bytes and grows by reallocation
//! (four times for the plugin list), and the middleware then grows the answer's header map
//! twice more. Under concurrent requests each `realloc` takes glibc's arena lock, which the
//! runtime's workers contend for (a block allocated on one worker is often freed or grown on
//! the other): about one `futex` call per request. This one serializes into a buffer the
//! thread keeps, copies the result into one allocation of its exact size, and sizes the header
//! map once for every header the middleware adds.

use std::cell::RefCell;

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;

use super::error::ApiError;

/// A JSON answer (`Content-Type: application/json`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

/// A body larger than this is handed over rather than copied, and the thread's buffer starts
/// again empty: one large answer does not keep a large buffer per worker.
const KEEP: usize = 64 * 1024;

/// Room for the headers of an answer once the middleware is done: `Content-Type`, the four of
/// the rate limit, CORS's and the security headers (14 today). The rate limit reserves as much
/// for answers that do not come from here.
pub(super) const HEADERS: usize = 16;

thread_local! {
    static BUF: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

impl<T: serde::Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        let body = BUF.with(|buf| {
            let mut buf = buf.borrow_mut();
            buf.clear();
            serde_json::to_writer(&mut *buf, &self.0)?;
            Ok::<_, serde_json::Error>(if buf.len() > KEEP {
                Bytes::from(std::mem::take(&mut *buf))
            } else {
                Bytes::copy_from_slice(&buf)
            })
        });
        match body {
            Ok(body) => {
                let mut resp = Response::new(Body::from(body));
                let mut headers = HeaderMap::with_capacity(HEADERS);
                headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
                *resp.headers_mut() = headers;
                resp
            }
            Err(e) => ApiError::internal(anyhow::anyhow!("cannot serialize the answer: {e}")).into_response(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn body(resp: Response) -> Vec<u8> {
        axum::body::to_bytes(resp.into_body(), usize::MAX).await.unwrap().to_vec()
    }

    /// The same bytes and content type as axum's `Json`, for small and large answers, one after
    /// the other on one thread (the buffer is reused, then handed over).
    #[tokio::test]
    async fn answers_as_axum_json_does() {
        let small = serde_json::json!({"plugins": [{"id": "p\"1", "name": "ünï"}]});
        let large: Vec<String> = (0..10_000).map(|i| format!("line {i}")).collect();
        for _ in 0..2 {
            for value in [small.clone(), serde_json::json!(large), small.clone()] {
                let ours = Json(&value).into_response();
                let axums = axum::Json(&value).into_response();
                assert_eq!(ours.status(), axums.status());
                assert_eq!(
                    ours.headers().get(header::CONTENT_TYPE),
                    axums.headers().get(header::CONTENT_TYPE)
                );
                assert_eq!(body(ours).await, body(axums).await);
            }
        }
        assert!(BUF.with(|b| b.borrow().capacity()) <= KEEP * 2, "a large answer was handed over");
    }

    /// A value serde cannot write (a map with non-string keys) is a 500 with bkg's error body.
    #[tokio::test]
    async fn a_value_that_cannot_be_written_is_an_internal_error() {
        let bad: std::collections::HashMap<(u8, u8), u8> = [((1, 2), 3)].into();
        let resp = Json(bad).into_response();
        assert_eq!(resp.status(), 500);
        let err: bkg_core::ErrorBody = serde_json::from_slice(&body(resp).await).unwrap();
        assert_eq!(err.code, bkg_core::ErrorCode::Internal);
    }
}
