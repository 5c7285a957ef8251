//! Serving [`crate::app`] on a bound listener: HTTP/1.1 by hyper with the protocol limits of
//! [`ConnectionLimits`], a tokio accept loop, and graceful shutdown.
//!
//! - **Header read timeout**: a connection must deliver a request's whole header within
//!   [`ConnectionLimits::header_read_timeout`] of being ready for it (hyper's
//!   `header_read_timeout`). The clock starts when the connection opens and again after each
//!   answer, so the same limit closes idle keep-alive connections and connections that
//!   send nothing.
//! - **Body read timeouts**: the request body may pause at most
//!   [`ConnectionLimits::body_read_timeout`] between two pieces (tower-http's
//!   `RequestBodyTimeoutLayer`) and must be complete within
//!   [`ConnectionLimits::body_deadline`] (`RequestBodyDeadlineLayer`). A body shorter than
//!   its `Content-Length` hence ends in a 408 `request_timeout` (on the routes that read a
//!   body) and the connection is closed.
//! - **Open connections**: at most [`ConnectionLimits::max_connections`]; beyond it the accept
//!   loop waits for one to close (new clients queue in the listen backlog).
//! - **Shutdown**: when the `shutdown` future ends, the loop stops accepting, every
//!   connection finishes its request in flight and closes, and `serve_with_limits` returns.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};
use tower::ServiceExt;
use tower_http::timeout::{RequestBodyDeadlineLayer, RequestBodyTimeoutLayer};

use crate::app::{app, AppState};

/// The protocol limits of [`serve_with_limits`].
#[derive(Debug, Clone)]
pub struct ConnectionLimits {
    /// Time to deliver a request's whole header, from the moment the connection is ready
    /// for it (opened, or its last answer sent): also the idle keep-alive limit.
    pub header_read_timeout: Duration,
    /// Longest pause between two pieces of a request body.
    pub body_read_timeout: Duration,
    /// Longest time a request body may take in all.
    pub body_deadline: Duration,
    /// Most connections open at once.
    pub max_connections: usize,
}

/// Default of [`ConnectionLimits::header_read_timeout`].
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Default of [`ConnectionLimits::body_read_timeout`].
pub const DEFAULT_BODY_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Default of [`ConnectionLimits::body_deadline`] (an admin upload of a large archive over a
/// slow line may take minutes).
pub const DEFAULT_BODY_DEADLINE: Duration = Duration::from_secs(300);
/// Default of [`ConnectionLimits::max_connections`].
pub const DEFAULT_MAX_CONNECTIONS: usize = 1024;

impl Default for ConnectionLimits {
    fn default() -> Self {
        ConnectionLimits {
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
            body_read_timeout: DEFAULT_BODY_READ_TIMEOUT,
            body_deadline: DEFAULT_BODY_DEADLINE,
            max_connections: DEFAULT_MAX_CONNECTIONS,
        }
    }
}

/// Serves `app` on an already-bound listener with the default [`ConnectionLimits`] until
/// ctrl-c.
pub async fn serve(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    serve_with_limits(listener, state, ConnectionLimits::default(), ctrl_c).await
}

/// Serves `app` on an already-bound listener until `shutdown` ends, within `limits`; first
/// resumes the uploads an earlier run accepted and did not finish; every 2 s it reloads the
/// index when it changed and forgets idle clients of the rate limit.
pub async fn serve_with_limits(
    listener: TcpListener,
    state: AppState,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()> + Send,
) -> std::io::Result<()> {
    #[cfg(feature = "admin")]
    if let Some(admin) = &state.admin {
        crate::admin::resume_unfinished_uploads(admin.clone(), state.search.clone());
    }
    let maintenance = spawn_maintenance(&state);
    let router = app(state);
    let max_connections = limits
        .max_connections
        .clamp(1, Semaphore::MAX_PERMITS.min(u32::MAX as usize));
    let open_connections = Arc::new(Semaphore::new(max_connections));
    let (stop_sender, stop_receiver) = watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = open_connections.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors and the like: wait instead of spinning.
                    tracing::warn!("accept failed: {error}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let connection = Connection {
            stream,
            peer,
            router: router.clone(),
            limits: limits.clone(),
            stop: stop_receiver.clone(),
            _permit: permit,
        };
        tokio::spawn(serve_connection(connection));
    }
    maintenance.abort();
    // Every connection finishes its request in flight and closes; each holds a permit.
    let _ = stop_sender.send(true);
    let _ = open_connections.acquire_many(max_connections as u32).await;
    Ok(())
}

/// One accepted connection and what serving it needs.
struct Connection {
    stream: TcpStream,
    peer: SocketAddr,
    router: Router,
    limits: ConnectionLimits,
    stop: watch::Receiver<bool>,
    /// Its place among the open connections, given back when it closes.
    _permit: OwnedSemaphorePermit,
}

/// Serves the requests of one connection until it closes, an error or a timeout ends it, or
/// the server stops (then after the request in flight).
async fn serve_connection(mut connection: Connection) {
    let _ = connection.stream.set_nodelay(true);
    let peer = connection.peer;
    let service = tower::ServiceBuilder::new()
        .layer(RequestBodyDeadlineLayer::new(
            connection.limits.body_deadline,
        ))
        .layer(RequestBodyTimeoutLayer::new(
            connection.limits.body_read_timeout,
        ))
        .service(connection.router)
        .map_request(move |mut request: axum::http::Request<_>| {
            // The peer address: the rate limit's client key.
            request.extensions_mut().insert(ConnectInfo(peer));
            request
        });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(connection.limits.header_read_timeout)
        .keep_alive(true);
    let served = builder.serve_connection(
        TokioIo::new(connection.stream),
        TowerToHyperService::new(service),
    );
    tokio::pin!(served);
    let result = tokio::select! {
        result = served.as_mut() => result,
        _ = connection.stop.changed() => {
            served.as_mut().graceful_shutdown();
            served.as_mut().await
        }
    };
    if let Err(error) = result {
        tracing::debug!("connection from {peer} ended: {error}");
    }
}

/// Every 2 s: the index reloaded when it changed, idle clients of the rate limit forgotten.
fn spawn_maintenance(state: &AppState) -> tokio::task::JoinHandle<()> {
    let reloader = state.search.clone();
    let rate_limit = state.rate_limit.clone();
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(Duration::from_secs(2));
        loop {
            interval.tick().await;
            if let Some(rate_limit) = &rate_limit {
                rate_limit.forget_idle_clients();
            }
            let search = reloader.clone();
            let outcome = tokio::task::spawn_blocking(move || search.reload_if_changed()).await;
            if let Ok(Err(error)) = outcome {
                tracing::warn!("index reload failed: {error}");
            }
        }
    })
}
