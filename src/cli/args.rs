//! The command line's definitions (clap derive): the global options, one variant per command,
//! and the value types that map onto the library's own.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::search::{Order, SortBy};
use crate::server::PublicUrl;

use super::help;

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
        /// Only the queries, again, on the store and FTS5 database that an earlier run of the
        /// same --docs left in the index dir.
        #[arg(long)]
        queries_only: bool,
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
