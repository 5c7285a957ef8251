//! `ApiError`: the server crate's one error type, and its JSON response.
//!
//! Every error answers `{"error": {"code": "...", "message": "...", "param": "..."}}` with the
//! status chosen in one `match` ([`ApiError::status`]). Internal errors say `internal error` and
//! are logged with their cause. [`body_bytes`] turns axum's rejection of a request body into
//! one of them.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A query parameter has a bad value.
    #[error("{message}")]
    InvalidParameter {
        /// The parameter.
        param: String,
        /// What is wrong.
        message: String,
    },
    /// A parameter is not valid UTF-8 after percent-decoding.
    #[error("parameter {param:?} is not valid UTF-8")]
    InvalidEncoding {
        /// The parameter.
        param: String,
    },
    /// The query string `q` is longer than allowed.
    #[error("query is longer than {limit} bytes")]
    QueryTooLong {
        /// The limit in bytes.
        limit: usize,
    },
    /// The query nests too deep or has too many clauses.
    #[error("{0}")]
    QueryTooComplex(String),
    /// The query cannot be parsed.
    #[error("{0}")]
    QuerySyntax(String),
    /// The query uses syntax we refuse (regexes, large fuzzy distances).
    #[error("{0}")]
    UnsupportedSyntax(String),
    /// A field scope that is not public.
    #[error("unknown field {0:?} (known: title, text, publisher, category, type, ground, judgement, language, year, id)")]
    UnknownField(String),
    /// A facet filter name or value is not acceptable.
    #[error("{message}")]
    InvalidFacet {
        /// The parameter.
        param: String,
        /// What is wrong.
        message: String,
    },
    /// `page × size` beyond the result window.
    #[error("page {page} with size {size} is beyond the first {limit} results")]
    ResultWindowTooLarge {
        /// Requested page.
        page: usize,
        /// Requested size.
        size: usize,
        /// The window.
        limit: usize,
    },
    /// No such document, page or route.
    #[error("{0}")]
    NotFound(String),
    /// Method not allowed on this route.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The document or publication was retracted (410 Gone; 409 on an upload of it).
    #[error("{message}")]
    Retracted {
        /// The tombstone's reason, as a sentence.
        message: String,
        /// An upload of a retracted id (409) rather than a read of one (410).
        conflict: bool,
    },
    /// An upload or bulk record names document ids that belong to another publication (409).
    #[error("{0}")]
    IdConflict(String),
    /// A document's file is withheld: it holds text under redaction boxes (403).
    #[error("{0}")]
    Withheld(String),
    /// Admin route without a valid bearer token (missing and wrong look the same).
    #[error("a valid bearer token is needed")]
    Unauthenticated,
    /// The token lacks the scope this route needs.
    #[error("{0}")]
    Forbidden(String),
    /// A request body that is not what the route accepts (bad JSON, unknown reason).
    #[error("{0}")]
    InvalidBody(String),
    /// An uploaded archive refused by its limits or contents.
    #[error("{0}")]
    ArchiveRejected(String),
    /// The request body exceeds the route's size limit.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// The request body did not arrive in time (it paused too long or took too long in all,
    /// e.g. shorter than its `Content-Length`).
    #[error("{0}")]
    RequestTimeout(String),
    /// A request body that is not valid JSON for the route.
    #[error("{0}")]
    InvalidJson(String),
    /// A request body in a media type the route does not take.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// Too many searches wait already (load shed; 503 with `Retry-After`).
    #[error("the server is busy: {waiting} searches are waiting already; try again in a moment")]
    Overloaded {
        /// The waiting limit.
        waiting: usize,
    },
    /// The search did not finish within the server's budget (503 with `Retry-After`).
    #[error("the search took longer than the server's budget of {budget_ms} ms; try again, or narrow the query")]
    SearchTimeout {
        /// The budget.
        budget_ms: u128,
    },
    /// Too many requests from one client (429 with `Retry-After`).
    #[error("too many requests from this address (at most {per_second} a second); try again in {retry_after_seconds} s")]
    RateLimited {
        /// The limit.
        per_second: u32,
        /// Seconds until a request is accepted again.
        retry_after_seconds: u64,
    },
    /// Anything that is our fault.
    #[error("internal error")]
    Internal(String),
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: ErrorDetail<'a>,
}

#[derive(Serialize)]
struct ErrorDetail<'a> {
    code: &'a str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    param: Option<&'a str>,
}

impl ApiError {
    /// Shorthand for [`ApiError::InvalidParameter`].
    pub fn invalid(param: &str, message: impl Into<String>) -> ApiError {
        ApiError::InvalidParameter {
            param: param.to_string(),
            message: message.into(),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::InvalidParameter { .. }
            | ApiError::InvalidEncoding { .. }
            | ApiError::QueryTooLong { .. }
            | ApiError::QueryTooComplex(_)
            | ApiError::QuerySyntax(_)
            | ApiError::UnsupportedSyntax(_)
            | ApiError::UnknownField(_)
            | ApiError::InvalidFacet { .. }
            | ApiError::ResultWindowTooLarge { .. } => StatusCode::BAD_REQUEST,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Retracted { conflict: true, .. } => StatusCode::CONFLICT,
            ApiError::Retracted {
                conflict: false, ..
            } => StatusCode::GONE,
            ApiError::IdConflict(_) => StatusCode::CONFLICT,
            ApiError::Withheld(_) => StatusCode::FORBIDDEN,
            ApiError::Unauthenticated => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::InvalidBody(_) => StatusCode::BAD_REQUEST,
            ApiError::ArchiveRejected(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            ApiError::InvalidJson(_) => StatusCode::BAD_REQUEST,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Overloaded { .. } | ApiError::SearchTimeout { .. } => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::InvalidParameter { .. } => "invalid_parameter",
            ApiError::InvalidEncoding { .. } => "invalid_encoding",
            ApiError::QueryTooLong { .. } => "query_too_long",
            ApiError::QueryTooComplex(_) => "query_too_complex",
            ApiError::QuerySyntax(_) => "query_syntax",
            ApiError::UnsupportedSyntax(_) => "unsupported_syntax",
            ApiError::UnknownField(_) => "unknown_field",
            ApiError::InvalidFacet { .. } => "invalid_facet",
            ApiError::ResultWindowTooLarge { .. } => "result_window_too_large",
            ApiError::NotFound(_) => "not_found",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::Retracted { .. } => "retracted",
            ApiError::IdConflict(_) => "id_conflict",
            ApiError::Withheld(_) => "withheld",
            ApiError::Unauthenticated => "unauthenticated",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::InvalidBody(_) => "invalid_body",
            ApiError::ArchiveRejected(_) => "archive_rejected",
            ApiError::PayloadTooLarge(_) => "payload_too_large",
            ApiError::RequestTimeout(_) => "request_timeout",
            ApiError::InvalidJson(_) => "invalid_json",
            ApiError::UnsupportedMediaType(_) => "unsupported_media_type",
            ApiError::Overloaded { .. } => "overloaded",
            ApiError::SearchTimeout { .. } => "search_timeout",
            ApiError::RateLimited { .. } => "rate_limited",
            ApiError::Internal(_) => "internal",
        }
    }

    fn param(&self) -> Option<&str> {
        match self {
            ApiError::InvalidParameter { param, .. }
            | ApiError::InvalidFacet { param, .. }
            | ApiError::InvalidEncoding { param } => Some(param),
            ApiError::QueryTooLong { .. }
            | ApiError::QueryTooComplex(_)
            | ApiError::QuerySyntax(_)
            | ApiError::UnsupportedSyntax(_)
            | ApiError::UnknownField(_) => Some("q"),
            ApiError::ResultWindowTooLarge { .. } => Some("page"),
            _ => None,
        }
    }

    /// Seconds after which a retry may succeed (the `Retry-After` header), for the 503s
    /// and the 429.
    pub fn retry_after_seconds(&self) -> Option<u64> {
        match self {
            ApiError::Overloaded { .. } | ApiError::SearchTimeout { .. } => Some(1),
            ApiError::RateLimited {
                retry_after_seconds,
                ..
            } => Some(*retry_after_seconds),
            _ => None,
        }
    }

    /// The JSON body of this error.
    pub fn body(&self) -> String {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code(),
                message: self.to_string(),
                param: self.param(),
            },
        };
        serde_json::to_string(&body).unwrap_or_else(|_| "{}".to_string())
    }
}

impl From<tantivy::TantivyError> for ApiError {
    fn from(error: tantivy::TantivyError) -> Self {
        ApiError::Internal(error.to_string())
    }
}

impl From<woo_core::CoreError> for ApiError {
    fn from(error: woo_core::CoreError) -> Self {
        ApiError::Internal(error.to_string())
    }
}

impl From<std::io::Error> for ApiError {
    fn from(error: std::io::Error) -> Self {
        ApiError::Internal(error.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(cause) = &self {
            tracing::error!("internal error: {cause}");
        }
        let mut response = (
            self.status(),
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            self.body(),
        )
            .into_response();
        // 405: axum's method router adds the route's own `Allow` header.
        if let Some(seconds) = self.retry_after_seconds() {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(seconds),
            );
        }
        if matches!(self, ApiError::Unauthenticated) {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}

/// Result with [`ApiError`].
pub type Result<T> = std::result::Result<T, ApiError>;

/// The request body, or a 413 with `too_large` when it exceeded the route's limit, a 408
/// when it did not arrive within the server's body read timeouts (see [`crate::server`]),
/// and a 400 when it could not be read.
pub(crate) fn body_bytes(
    body: std::result::Result<Bytes, BytesRejection>,
    too_large: String,
) -> Result<Bytes> {
    body.map_err(|error| {
        if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PayloadTooLarge(too_large)
        } else if is_body_timeout(&error) {
            ApiError::RequestTimeout(
                "the request body did not arrive in time (is it shorter than its Content-Length?)"
                    .to_string(),
            )
        } else {
            ApiError::InvalidBody(error.body_text())
        }
    })
}

/// Whether a body rejection was caused by one of the server's body read timeouts.
fn is_body_timeout(rejection: &BytesRejection) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(rejection);
    while let Some(error) = cause {
        if error.is::<tower_http::timeout::TimeoutError>() {
            return true;
        }
        cause = error.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_has_code_message_and_param() {
        let error = ApiError::invalid("size", "size must be between 1 and 100");
        let body: serde_json::Value = serde_json::from_str(&error.body()).unwrap();
        assert_eq!(body["error"]["code"], "invalid_parameter");
        assert_eq!(body["error"]["param"], "size");
        assert_eq!(error.status(), StatusCode::BAD_REQUEST);
    }

    #[test]
    fn internal_errors_hide_their_cause() {
        let error = ApiError::Internal("disk on fire at /secret/path".to_string());
        assert!(!error.body().contains("secret"));
        assert_eq!(error.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn load_errors_say_when_to_retry() {
        let overloaded = ApiError::Overloaded { waiting: 64 }.into_response();
        assert_eq!(overloaded.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(overloaded.headers()["retry-after"], "1");
        let limited = ApiError::RateLimited {
            per_second: 20,
            retry_after_seconds: 3,
        }
        .into_response();
        assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(limited.headers()["retry-after"], "3");
        assert!(ApiError::NotFound("x".to_string())
            .into_response()
            .headers()
            .get("retry-after")
            .is_none());
    }
}
