//! The JSON error contract `{"code", "message"}`: library errors, parameter errors and the
//! responses that axum and the tower layers produce on their own (405, 413, timeouts,
//! panics, load shedding) all leave the server in this one shape.

use axum::body::Body;
use axum::http::{header, HeaderValue, Response, StatusCode};
use axum::response::IntoResponse;
use serde::Serialize;

use crate::Error;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code (`invalid_parameter`, `not_found`, `overloaded`…).
    pub code: String,
    /// Short human-readable explanation; never a stack trace or a file path.
    pub message: String,
}

/// An error on its way to becoming an HTTP response.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

/// Seconds a client is asked to wait after a 503.
pub const RETRY_AFTER_SECS: u64 = 1;

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError { status, code, message: message.into() }
    }

    pub fn not_found(what: impl Into<String>) -> Self {
        Error::NotFound(what.into()).into()
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        let status = match &e {
            Error::InvalidQuery(_)
            | Error::InvalidParameter { .. }
            | Error::CursorExpired(_)
            | Error::Rejected { .. } => StatusCode::BAD_REQUEST,
            Error::NotFound(_) => StatusCode::NOT_FOUND,
            Error::Overloaded(_) => StatusCode::SERVICE_UNAVAILABLE,
            Error::Io { .. } | Error::Index(_) | Error::Serde(_) | Error::Network(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let message = if status.is_server_error() && status != StatusCode::SERVICE_UNAVAILABLE {
            // Internal messages may carry paths and engine details: log them, answer plainly.
            tracing::error!("internal error: {e}");
            "internal error".to_string()
        } else {
            e.to_string()
        };
        ApiError { status, code: e.code(), message }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> axum::response::Response {
        json_error(self.status, self.code, &self.message)
    }
}

pub fn json_error(status: StatusCode, code: &str, message: &str) -> Response<Body> {
    let body = serde_json::to_vec(&ErrorBody { code: code.to_string(), message: message.to_string() })
        .unwrap_or_else(|_| b"{\"code\":\"internal_error\",\"message\":\"internal error\"}".to_vec());
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = status;
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if status == StatusCode::SERVICE_UNAVAILABLE {
        resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECS));
    }
    resp
}

/// Code and message for an error status produced without a body of ours (by axum or a
/// tower layer). Their own bodies are plain text that may echo request details, so they
/// are replaced.
pub fn generic(status: StatusCode) -> (&'static str, &'static str) {
    match status {
        StatusCode::BAD_REQUEST => ("invalid_parameter", "malformed request"),
        StatusCode::NOT_FOUND => ("not_found", "no such page"),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "method not allowed"),
        StatusCode::PAYLOAD_TOO_LARGE => ("payload_too_large", "request body too large"),
        StatusCode::URI_TOO_LONG => ("uri_too_long", "request uri too long"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported_media_type", "unsupported media type"),
        StatusCode::REQUEST_TIMEOUT | StatusCode::SERVICE_UNAVAILABLE => ("overloaded", "server busy, retry later"),
        s if s.is_client_error() => ("bad_request", "bad request"),
        _ => ("internal_error", "internal error"),
    }
}
