//! Command-line front end: argument definitions (clap derive), the configuration file, the
//! output helper, and one module per command. `main.rs` only parses and reports errors.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

/// Appends one line to an output buffer (writing to a `String` cannot fail).
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

use crate::search::{Order, SortBy};
use crate::server::PublicUrl;
use crate::Result;

pub use output::fail;

#[derive(Debug, Parser)]
#[command(
    name = "recueil",
    version,
    about = "Search CNIL sanction decisions: ingest, extract, index, serve",
    after_long_help = help::EXIT_CODES
)]
pub struct Cli {
    /// Where records and the search index are stored.
    #[arg(long, global = true, env = "RECUEIL_INDEX_DIR", default_value = "index")]
    pub index_dir: PathBuf,
    /// Configuration file (default: ./recueil.toml, then ~/.config/recueil/recueil.toml).
    #[arg(long, global = true, env = "RECUEIL_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Ingest DILA XML (files, folders, .tar.gz), GDPRhub HTML, Markdown records and text files.
    ///
    /// Folders are walked in name order. Hidden files, README*, LICENSE*/LICENCE*, CHANGELOG*
    /// and CONTRIBUTING* files, files of extensions no adapter reads, and whatever a folder's
    /// `.recueilignore` names (one glob per line, relative to that folder: `*` within a name,
    /// `**` across folders, `#` comments) are skipped; a file named on the command line is read.
    /// Rejected inputs are listed on stderr; exit 1 when there were any (the rest is stored).
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
    /// Search the index (the query language is described below).
    #[command(after_long_help = help::QUERY_LANGUAGE)]
    Search {
        #[arg(long)]
        json: bool,
        /// Number of hits (1..=100).
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=100))]
        limit: u16,
        /// Hits to skip; offset + limit at most 10000 (page further with --cursor).
        #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u16).range(0..=10_000), conflicts_with = "cursor")]
        offset: u16,
        /// The next page after a previous search: its `next_cursor`, with the same query and sort.
        #[arg(long)]
        cursor: Option<String>,
        #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
        sort: SortArg,
        /// desc: each sort's natural order (most relevant, newest, largest, last changed first);
        /// asc reverses all but relevance.
        #[arg(long, value_enum, default_value_t = OrderArg::Desc)]
        order: OrderArg,
        /// Only decisions first stored at or after this RFC 3339 date-time or date.
        #[arg(long, value_parser = instant)]
        added_since: Option<chrono::DateTime<chrono::Utc>>,
        /// Only decisions last changed at or after this RFC 3339 date-time or date.
        #[arg(long, value_parser = instant)]
        modified_since: Option<chrono::DateTime<chrono::Utc>>,
        /// The query; see "Query language" in `recueil search --help`.
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
        #[arg(long, env = "RECUEIL_ADDR", default_value = "127.0.0.1:8080")]
        addr: String,
        /// Searches allowed to wait for the engine; beyond, 503 with Retry-After.
        #[arg(long, default_value_t = 512, value_parser = clap::value_parser!(u16).range(1..=10_000))]
        engine_queue: u16,
        /// Public origin of the site (`https://recueil.example`), used for the Atom feed's ids and
        /// links; default: http:// and the bound address. The Host header is never used.
        #[arg(long, env = "RECUEIL_PUBLIC_URL")]
        public_url: Option<PublicUrl>,
    },
    /// Write every stored decision for OpenSearch: the `_bulk` body, or the index mapping.
    ///
    /// `recueil export --mapping > mapping.json` then `recueil export --ndjson > bulk.ndjson`;
    /// see docs/scale-out.md for the two requests that load them.
    Export {
        /// The `_bulk` body: an action line and a document line per decision.
        #[arg(long, required_unless_present = "mapping", conflicts_with = "mapping")]
        ndjson: bool,
        /// The index body (settings and mappings), generated from the exported document's schema.
        #[arg(long)]
        mapping: bool,
        /// Index named in the action lines.
        #[arg(long, default_value = "recueil")]
        index_name: String,
    },
    /// Print a shell completion script (`recueil completions bash > /etc/bash_completion.d/recueil`).
    Completions { shell: clap_complete::Shell },
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

impl Command {
    /// Whether errors are to be reported as JSON.
    pub fn json(&self) -> bool {
        match self {
            Command::Ingest { json, .. }
            | Command::Show { json, .. }
            | Command::Extract { json, .. }
            | Command::Eval { json, .. }
            | Command::Search { json, .. }
            | Command::EvalSearch { json, .. }
            | Command::Sync { json, .. } => *json,
            Command::Export { ndjson, .. } => *ndjson,
            Command::Serve { .. } | Command::Completions { .. } | Command::Bench { .. } => false,
        }
    }
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum SortArg {
    Relevance,
    Date,
    Fine,
    /// When the store last changed the decision.
    Modified,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum OrderArg {
    Asc,
    Desc,
}

impl From<OrderArg> for Order {
    fn from(o: OrderArg) -> Self {
        match o {
            OrderArg::Asc => Order::Asc,
            OrderArg::Desc => Order::Desc,
        }
    }
}

fn instant(raw: &str) -> std::result::Result<chrono::DateTime<chrono::Utc>, String> {
    crate::search::parse_instant(raw).ok_or_else(|| "expected an RFC 3339 date or date-time (2026-01-31)".into())
}

impl From<SortArg> for SortBy {
    fn from(s: SortArg) -> Self {
        match s {
            SortArg::Relevance => SortBy::Relevance,
            SortArg::Date => SortBy::Date,
            SortArg::Fine => SortBy::Fine,
            SortArg::Modified => SortBy::Modified,
        }
    }
}

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
        Command::Bench { docs, reps, json } => bench::bench(&index_dir, docs, reps.map(usize::from), json.as_deref()),
        Command::Sync { from, json } => sync::sync(&index_dir, &from, json),
    }
}
