//! The headers every response carries: a strict Content-Security-Policy, `nosniff`, the
//! referrer policy and a `Cache-Control`, set by tower-http's `SetResponseHeaderLayer`s
//! around the whole router (so errors, 404s, 429s and panics carry them too).
//!
//! A handler that sets one of them itself keeps its own (the layers only fill in what is
//! missing, except `X-Content-Type-Options`, which is always `nosniff`):
//! - the PDF file answers [`PDF_CONTENT_SECURITY_POLICY`] (`sandbox`: the PDF is a document
//!   of an opaque origin, so no script in it runs in ours);
//! - the search answers and exports say `no-store` themselves, the OpenAPI description and
//!   the style sheet [`PUBLIC_CACHE_CONTROL`].

use axum::http::{header, HeaderValue};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;

/// The Content-Security-Policy of every page and answer: nothing inline (no script at all,
/// styles only from our own style sheet), frames (the PDF beside the page text) and form
/// targets only from this origin, and no page of ours inside another site's frame.
/// `connect-src 'self'` lets a script that a user or a WebDriver (the browser test) runs on
/// the page fetch our own exports; no script can come from the page itself (`script-src`
/// falls back to `default-src 'none'`).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; \
img-src 'self'; frame-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; \
frame-ancestors 'none'";

/// The Content-Security-Policy of a served PDF: sandboxed (an opaque origin, no scripts, no
/// forms, no plugins of the page's origin), loading nothing, framed only by our own
/// document page. The `sandbox` comes from this header rather than from a `sandbox`
/// attribute on the page's iframe because Chromium refuses to show any PDF in an iframe
/// with that attribute (whatever its `allow-*` tokens); the header it honours.
pub const PDF_CONTENT_SECURITY_POLICY: &str = "sandbox; default-src 'none'; frame-ancestors 'self'";

/// The referrer policy: no searches (query strings) leak to the sites our pages link to.
pub const REFERRER_POLICY: &str = "no-referrer";

/// `Cache-Control` of answers that change with the index (search, documents, pages, files,
/// exports, the feed, errors): caches must not keep them, so a retraction shows at once.
pub const DEFAULT_CACHE_CONTROL: &str = "no-store";

/// `Cache-Control` of what changes only with a new release (the OpenAPI description, the
/// style sheet).
pub const PUBLIC_CACHE_CONTROL: &str = "public, max-age=3600";

/// Wraps `router` in the layers that give every response the headers above.
pub fn with_response_headers<S>(router: Router<S>) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    router
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static(REFERRER_POLICY),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static(DEFAULT_CACHE_CONTROL),
        ))
}
