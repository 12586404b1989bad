//! `recueil serve`: the JSON API and the web pages on one address.
use std::path::Path;
use std::process::ExitCode;

use crate::escape::escaped;
use crate::index::store::Store;
use crate::server::{self, listen, AppState, Limits, PublicUrl, Site};
use crate::{Error, Result};

/// Without `public_url`, feed links point at the bound address.
pub fn serve(index_dir: &Path, addr: &str, engine_queue: usize, public_url: Option<PublicUrl>) -> Result<ExitCode> {
    let addr: std::net::SocketAddr = addr.parse().map_err(|_| Error::InvalidParameter {
        name: "addr",
        reason: "expected ip:port, e.g. 127.0.0.1:8080".into(),
    })?;
    let runtime = tokio::runtime::Runtime::new().map_err(|e| Error::io("tokio runtime", e))?;
    runtime.block_on(async {
        let limits = Limits { engine_queue, ..Limits::default() };
        let dir = index_dir.to_path_buf();
        let state = tokio::task::spawn_blocking(move || {
            prepare(&dir)?;
            AppState::for_index_dir(dir, limits)
        })
        .await
        .map_err(|e| Error::Index(format!("opening the index failed: {e}")))??;
        state.spawn_reloader();
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| Error::io(addr.to_string(), e))?;
        let bound = listener.local_addr().map_err(|e| Error::io(addr.to_string(), e))?;
        let public_url = match public_url {
            Some(url) => url,
            None => format!("http://{bound}").parse().map_err(|reason| Error::InvalidParameter { name: "addr", reason })?,
        };
        eprintln!("serving generation {} on http://{bound}", state.generation());
        let opts = listen::ServeOptions::new(&state.limits);
        let site = Site { public_url, index_dir: Some(index_dir.to_path_buf()) };
        listen::serve(listener, server::app_with(state, site), opts, shutdown_signal()).await;
        eprintln!("stopped");
        Ok(ExitCode::SUCCESS)
    })
}

/// Builds the embedded corpus into an index directory that has no generation yet, so that
/// a first `recueil serve` shows something.
fn prepare(index_dir: &Path) -> Result<()> {
    if !index_dir.exists() {
        eprintln!(
            "warning: index directory {} does not exist (a mistyped --index-dir?): creating it and serving the embedded corpus",
            escaped(&index_dir.display().to_string())
        );
    }
    let store = Store::open(index_dir)?;
    // A `CURRENT` naming a missing generation is no empty store: an older one is served, or
    // the error says what is wrong.
    if store.readable()?.is_empty() && store.current()?.is_none() {
        let records = crate::ingest::embedded_corpus_records()?;
        eprintln!(
            "{} has no index yet: building the embedded corpus ({} decisions)",
            index_dir.display(),
            records.len()
        );
        crate::ingest::ingest_records(&store, records)?;
    }
    Ok(())
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
