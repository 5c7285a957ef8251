//! `ApiError`: the server crate's one error type, and its JSON response.
//!
//! Every error answers `{"error": {"code": "...", "message": "...", "param": "..."}}` with the
//! status chosen in one `match` ([`ApiError::status`]). Internal errors say `internal error` and
//! are logged with their cause.

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
            ApiError::Unauthenticated => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::InvalidBody(_) => StatusCode::BAD_REQUEST,
            ApiError::ArchiveRejected(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
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
            ApiError::Unauthenticated => "unauthenticated",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::InvalidBody(_) => "invalid_body",
            ApiError::ArchiveRejected(_) => "archive_rejected",
            ApiError::PayloadTooLarge(_) => "payload_too_large",
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

impl From<woo_indexer::IndexerError> for ApiError {
    fn from(error: woo_indexer::IndexerError) -> Self {
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
        if matches!(self, ApiError::MethodNotAllowed) {
            response.headers_mut().insert(
                axum::http::header::ALLOW,
                axum::http::HeaderValue::from_static("GET, HEAD"),
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
}
