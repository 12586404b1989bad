//! `recueil serve`: the JSON API and the web pages on one address.
use std::path::Path;
use std::process::ExitCode;

use crate::server::{self, listen, AppState, Limits};
use crate::{Error, Result};

pub fn serve(index_dir: &Path, addr: &str) -> Result<ExitCode> {
    let addr: std::net::SocketAddr = addr
        .parse()
        .map_err(|_| Error::InvalidParameter { name: "addr", reason: "expected ip:port, e.g. 127.0.0.1:8080".into() })?;
    let runtime = tokio::runtime::Runtime::new().map_err(|e| Error::io("tokio runtime", e))?;
    runtime.block_on(async {
        let limits = Limits::default();
        let dir = index_dir.to_path_buf();
        let state = tokio::task::spawn_blocking(move || AppState::for_index_dir(dir, limits))
            .await
            .map_err(|e| Error::Index(format!("opening the index failed: {e}")))??;
        state.spawn_reloader();
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| Error::io(addr.to_string(), e))?;
        eprintln!("serving {} decisions (generation {}) on http://{addr}", "the", state.generation());
        let opts = listen::ServeOptions { header_read_timeout: state.limits.header_read_timeout, shutdown_grace: state.limits.shutdown_grace };
        listen::serve(listener, server::app(state), opts, shutdown_signal()).await;
        eprintln!("stopped");
        Ok(ExitCode::SUCCESS)
    })
}

/// Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
