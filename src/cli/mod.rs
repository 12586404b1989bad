//! Command-line front end: argument definitions (clap derive) and one module per command.
//! `main.rs` only parses and reports errors.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod bench;
mod extract;
mod ingest;
mod search;
mod serve;
mod sync;

use crate::search::SortBy;
use crate::Result;

#[derive(Debug, Parser)]
#[command(name = "recueil", version, about = "Search CNIL sanction decisions: ingest, extract, index, serve")]
pub struct Cli {
    /// Where records and the search index are stored.
    #[arg(long, global = true, env = "RECUEIL_INDEX_DIR", default_value = "index")]
    pub index_dir: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Ingest DILA XML (files, folders, .tar.gz), GDPRhub HTML, Markdown records and text files.
    Ingest {
        /// Print the report as one JSON object.
        #[arg(long)]
        json: bool,
        /// Files, folders or archives to ingest.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Print one stored record by id (CNILTEXT…) or decision number (SAN-2020-014).
    Show {
        #[arg(long)]
        json: bool,
        id_or_number: String,
    },
    /// Extract the facts of one file without touching the index.
    Extract {
        #[arg(long)]
        json: bool,
        file: PathBuf,
    },
    /// Measure extraction against gold facts (per-field accuracy and misses).
    Eval {
        /// The gold file; its `text_file` entries are read relative to it.
        #[arg(long)]
        gold: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Search the index.
    Search {
        #[arg(long)]
        json: bool,
        /// Number of hits (1..=100).
        #[arg(long, default_value_t = 10)]
        limit: usize,
        #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
        sort: SortArg,
        /// The query (see README for the query language).
        query: String,
    },
    /// Measure ranking on judged queries (success@5 and MRR), by default over a fresh index of
    /// the shared data's GDPRhub pages and DILA texts (no embedded corpus).
    EvalSearch {
        /// Judged query files (JSON lines); by default the shared data's `eval/queries.jsonl`
        /// and `eval/queries-crosslingual.jsonl`.
        #[arg(long)]
        queries: Vec<PathBuf>,
        /// The shared data set, whose `gdprhub/` and `dila/` are indexed into a temporary directory.
        #[arg(long, default_value = "../shared/data")]
        data: PathBuf,
        /// Evaluate the index at --index-dir instead of building one.
        #[arg(long)]
        existing: bool,
        #[arg(long)]
        json: bool,
    },
    /// Serve the JSON API and the web UI (builds the embedded corpus if the index is empty).
    Serve {
        /// Address to bind; loopback unless told otherwise.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: String,
        /// Searches allowed to wait for the engine; beyond, 503 with Retry-After.
        #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u16).range(1..=10_000))]
        engine_queue: u16,
    },
    /// Benchmark ingest and search against SQLite FTS5 on a synthetic corpus.
    Bench {
        /// Number of synthetic decisions.
        #[arg(long, default_value_t = 10_000)]
        docs: usize,
        /// Timed runs of each query on each engine (1..=200); fewer at larger scales by default.
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..=200))]
        reps: Option<u16>,
        /// Also write the results as JSON to this file.
        #[arg(long)]
        json: Option<PathBuf>,
    },
    /// Bring the knowledge base up to date from the DILA open-data server.
    Sync {
        /// Directory listing of DILA's CNIL fund.
        #[arg(long, default_value = "https://echanges.dila.gouv.fr/OPENDATA/CNIL/")]
        from: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum SortArg {
    Relevance,
    Date,
    Fine,
}

impl From<SortArg> for SortBy {
    fn from(s: SortArg) -> Self {
        match s {
            SortArg::Relevance => SortBy::Relevance,
            SortArg::Date => SortBy::Date,
            SortArg::Fine => SortBy::Fine,
        }
    }
}

/// Runs one command; the exit code follows each command's contract (ingest: 1 when some
/// input was rejected).
pub fn run(cli: Cli) -> Result<ExitCode> {
    let index_dir = cli.index_dir;
    match cli.command {
        Command::Ingest { json, paths } => ingest::ingest(&index_dir, &paths, json),
        Command::Show { json, id_or_number } => ingest::show(&index_dir, &id_or_number, json),
        Command::Extract { json, file } => extract::extract(&file, json),
        Command::Eval { gold, json } => extract::eval(&gold, json),
        Command::Search { json, limit, sort, query } => search::search(&index_dir, &query, limit, sort.into(), json),
        Command::EvalSearch { queries, data, existing, json } => {
            let index_dir = existing.then_some(index_dir.as_path());
            search::eval_search(index_dir, &data, &queries, json)
        }
        Command::Serve { addr, engine_queue } => serve::serve(&index_dir, &addr, usize::from(engine_queue)),
        Command::Bench { docs, reps, json } => bench::bench(&index_dir, docs, reps.map(usize::from), json.as_deref()),
        Command::Sync { from, json } => sync::sync(&index_dir, &from, json),
    }
}
