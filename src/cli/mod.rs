//! Command-line front end: argument definitions (`args`), the configuration file, the output
//! helper, and one module per command. `main.rs` only parses and reports errors.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

mod args;
mod bench;
pub mod config;
mod export;
mod eval;
mod extract;
mod help;
mod ingest;
pub mod opensearch;
pub mod output;
mod progress;
mod search;
mod serve;
mod sync;

use crate::Result;

pub use args::{Cli, Command};
pub use output::fail;

/// Parses the command line over the defaults of the configuration file. Usage errors end the
/// process through clap (exit 2, `--help` and `--version` exit 0); a configuration file that
/// cannot be read is an error.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Cli> {
    let args: Vec<OsString> = args.into_iter().collect();
    // A first lenient pass only to learn `--config`.
    let explicit = Cli::command()
        .ignore_errors(true)
        .try_get_matches_from(&args)
        .ok()
        .and_then(|m| m.get_one::<PathBuf>("config").cloned());
    let mut cmd = Cli::command();
    if let Some(path) = config::Config::locate(explicit.as_deref()) {
        cmd = config::Config::load(&path)?.apply(cmd);
    }
    let matches = cmd.clone().try_get_matches_from(&args).unwrap_or_else(|e| e.exit());
    Ok(Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.format(&mut cmd).exit()))
}

/// Runs one command; the exit code follows each command's contract (ingest: 1 when some
/// input was rejected).
pub fn run(cli: Cli) -> Result<ExitCode> {
    let index_dir = cli.index_dir;
    match cli.command {
        Command::Ingest { json, paths } => ingest::ingest(&index_dir, &paths, json),
        Command::Show { json, id_or_number } => ingest::show(&index_dir, &id_or_number, json),
        Command::Extract { json, file } => extract::extract(&file, json),
        Command::Eval { gold, json } => eval::eval(&gold, json),
        Command::Search { json, limit, offset, cursor, sort, order, added_since, modified_since, query } => {
            let req = crate::search::SearchRequest {
                query,
                sort: sort.into(),
                order: order.into(),
                added_since,
                modified_since,
                limit: usize::from(limit),
                offset: usize::from(offset),
                cursor,
                snippets: true,
                passages: 1,
            };
            search::search(&index_dir, &req, json)
        }
        Command::EvalSearch { queries, data, existing, json } => {
            let index_dir = existing.then_some(index_dir.as_path());
            search::eval_search(index_dir, &data, &queries, json)
        }
        Command::Serve { addr, engine_queue, public_url } => {
            serve::serve(&index_dir, &addr, usize::from(engine_queue), public_url)
        }
        Command::Export { mapping: true, .. } => export::mapping(),
        Command::Export { index_name, .. } => export::ndjson(&index_dir, &index_name),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "recueil", &mut script);
            output::print(&String::from_utf8_lossy(&script))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench { docs, reps, json, queries_only } => {
            bench::bench(&index_dir, docs, reps.map(usize::from), json.as_deref(), queries_only)
        }
        Command::Sync { from, json } => sync::sync(&index_dir, &from, json),
    }
}
