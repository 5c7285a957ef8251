//! Per-client request rate limit (RELIABILITY.md §4.3): each client address may make
//! `per_second` requests a second, in bursts of twice that; beyond that the answer is 429
//! `rate_limited` with `Retry-After`. The admin API (bearer tokens, bulk loads) and
//! `/healthz` are not limited.
//!
//! The client address is the connection's peer address (the server must be served with
//! `into_make_service_with_connect_info`, as [`crate::serve`] does). Behind a reverse proxy
//! every request comes from the proxy: name the header the proxy sets
//! ([`RateLimit::client_address_header`], e.g. `X-Forwarded-For`) and the rightmost address
//! in it, the one the proxy appended, is the client's. A request without a known address
//! (in-process tests through `oneshot`) is not limited.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

use crate::error::ApiError;

/// Requests a second one client address may make by default.
pub const DEFAULT_REQUESTS_PER_SECOND: u32 = 20;

/// The request rate limit per client address.
pub struct RateLimit {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
    per_second: u32,
    /// The header naming the client address behind a trusted proxy (lowercase).
    client_address_header: Option<String>,
}

impl RateLimit {
    /// `per_second` requests a second per address, bursts of twice that; `None` for 0 (no
    /// limit).
    pub fn new(per_second: u32, client_address_header: Option<&str>) -> Option<RateLimit> {
        let rate = NonZeroU32::new(per_second)?;
        let burst = NonZeroU32::new(per_second.saturating_mul(2))?;
        Some(RateLimit {
            limiter: DefaultKeyedRateLimiter::keyed(Quota::per_second(rate).allow_burst(burst)),
            per_second,
            client_address_header: client_address_header.map(str::to_ascii_lowercase),
        })
    }

    /// The header naming the client address behind a proxy, if any.
    pub fn client_address_header(&self) -> Option<&str> {
        self.client_address_header.as_deref()
    }

    /// Counts one request from `address`: `Err` with the 429 when it is over the limit.
    pub fn check(&self, address: IpAddr) -> Result<(), ApiError> {
        let Err(not_until) = self.limiter.check_key(&address) else {
            return Ok(());
        };
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        Err(ApiError::RateLimited {
            per_second: self.per_second,
            // Whole seconds, rounded up: a client that waits that long is let through.
            retry_after_seconds: wait.as_secs() + u64::from(wait.subsec_nanos() > 0),
        })
    }

    /// Forgets addresses whose allowance is full again (bounds the memory the limiter
    /// holds; the server calls it every few seconds).
    pub fn forget_idle_clients(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
    }
}

/// The client address of a request: the rightmost valid address in the proxy header when
/// one is configured and present, else the peer address.
pub fn client_address(
    headers: &HeaderMap,
    peer: Option<SocketAddr>,
    proxy_header: Option<&str>,
) -> Option<IpAddr> {
    let from_header = proxy_header
        .and_then(|name| headers.get(name))
        .and_then(|value| value.to_str().ok())
        .and_then(|value| {
            value
                .rsplit(',')
                .find_map(|part| part.trim().parse::<IpAddr>().ok())
        });
    from_header.or(peer.map(|address| address.ip()))
}

/// Whether requests to `path` count against the rate limit.
fn is_limited_path(path: &str) -> bool {
    path != "/healthz" && !path.starts_with("/api/admin/")
}

/// Middleware: answers 429 when the client is over its limit (`None`: no limit).
pub async fn limit_requests(
    State(rate_limit): State<Option<Arc<RateLimit>>>,
    request: Request,
    next: Next,
) -> Response {
    let Some(rate_limit) = &rate_limit else {
        return next.run(request).await;
    };
    if !is_limited_path(request.uri().path()) {
        return next.run(request).await;
    }
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0);
    let address = client_address(request.headers(), peer, rate_limit.client_address_header());
    if let Some(address) = address {
        if let Err(error) = rate_limit.check(address) {
            return refusal(&request, error);
        }
    }
    next.run(request).await
}

/// The 429: JSON for the API, the search page with the message for a browser.
fn refusal(request: &Request, error: ApiError) -> Response {
    if request.uri().path().starts_with("/api/") {
        return error.into_response();
    }
    let pairs =
        crate::params::decode_pairs(request.uri().query().unwrap_or("")).unwrap_or_default();
    crate::html::error_page_response(&pairs, &error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_is_allowed_then_the_client_waits() {
        let limit = RateLimit::new(5, None).unwrap();
        let client: IpAddr = "192.0.2.1".parse().unwrap();
        let other: IpAddr = "192.0.2.2".parse().unwrap();
        for _ in 0..10 {
            assert!(limit.check(client).is_ok());
        }
        let Err(ApiError::RateLimited {
            per_second,
            retry_after_seconds,
        }) = limit.check(client)
        else {
            panic!("the 11th request of a burst of 10 is refused");
        };
        assert_eq!(per_second, 5);
        assert_eq!(retry_after_seconds, 1);
        assert!(
            limit.check(other).is_ok(),
            "another address has its own allowance"
        );
    }

    #[test]
    fn zero_means_no_limit() {
        assert!(RateLimit::new(0, None).is_none());
    }

    #[test]
    fn the_proxy_header_names_the_client_else_the_peer_does() {
        let peer: SocketAddr = "10.0.0.1:4000".parse().unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "203.0.113.9, 198.51.100.7".parse().unwrap(),
        );
        let via_proxy = client_address(&headers, Some(peer), Some("x-forwarded-for"));
        assert_eq!(via_proxy, Some("198.51.100.7".parse().unwrap()));
        let without_header = client_address(&HeaderMap::new(), Some(peer), Some("x-forwarded-for"));
        assert_eq!(without_header, Some(peer.ip()));
        let header_not_trusted = client_address(&headers, Some(peer), None);
        assert_eq!(header_not_trusted, Some(peer.ip()));
        headers.insert("x-forwarded-for", "garbage".parse().unwrap());
        assert_eq!(
            client_address(&headers, Some(peer), Some("x-forwarded-for")),
            Some(peer.ip())
        );
    }

    #[test]
    fn health_and_admin_are_not_limited() {
        assert!(!is_limited_path("/healthz"));
        assert!(!is_limited_path("/api/admin/bulk"));
        assert!(is_limited_path("/api/search"));
        assert!(is_limited_path("/"));
    }
}
