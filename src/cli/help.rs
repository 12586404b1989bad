//! Long help texts: the query language (shown by `recueil search --help`) and the exit codes
//! and configuration (shown by `recueil --help`).

pub const QUERY_LANGUAGE: &str = "\
Query language (the same as the server's search box):
  cookies consent            either word; decisions with both, close together, rank first
  \"data breach\"              the exact phrase (case and accents ignored, no stemming)
  cookies AND google         both words          cookies OR traceurs   either word
  cookies -google            not the second word (also: cookies NOT google)
  +notification breach       must contain notification; breach only ranks
  (cookies OR traceurs) AND consent   parentheses group, up to 16 levels
  SAN-2019-001               that decision first (any number or CNILTEXT id)
Words match in the decision's language (French or English), with stemming and without
accents: securite finds « sécurité ».

Filters, combined with words and each other:
  article:33                 GDPR article 33 found breached (breached:\"GDPR:33\")
  breached:\"LIL:82\"          any provision: GDPR:N, LIL:N, CPCE:L34-5
  sector:\"Health Care\"       a sector, or part of its name (sector:health)
  kind:sanction              nature of the decision (nature: is a synonym)
  respondent:google          words of the respondent's name
  respondent_kind:company    company, individual, public_body, association
  measure:injunction         fine, injunction, penalty, reprimand, publication
  year:2020  year:2019..2021  date:2020-01-01..2021-06-30  date>=2022-01-01  year<2020
  fine>=10000  fine:10000..500000  fine<5000       total fine in euros
  added>=2026-11-01  modified:2026-12-01             when this store first held, last changed it
  number:SAN-2020-014  id:CNILTEXT000042675720     one decision
An empty query lists every decision (useful with --sort date or --sort fine).

Bounds: 512 characters, 16 levels of parentheses, 64 words, phrases and filters. A query
beyond them or with a syntax error exits 2 with a message naming the problem.

Paging: --limit 1..100 hits from --offset (offset + limit at most 10000); past that, pass the
`next page` cursor printed under the hits (`next_cursor` in --json) as --cursor.";

pub const EXIT_CODES: &str = "\
Exit codes: 0 success; 1 the command failed or refused something at run time (an input
rejected by ingest, an io or index error, a decision not found); 2 a usage error (bad flag
or value, bad configuration file) or an invalid query. Errors go to stderr, as
{\"code\", \"message\"} JSON when the command was given --json.

Configuration: flags override environment variables (RECUEIL_INDEX_DIR, RECUEIL_ADDR,
RECUEIL_PUBLIC_URL…), which override recueil.toml, which overrides the built-in defaults.
The file is --config FILE (or RECUEIL_CONFIG), else ./recueil.toml, else
$XDG_CONFIG_HOME/recueil/recueil.toml (~/.config/recueil/recueil.toml). Keys:
  index_dir = \"index\"
  [serve]   addr = \"127.0.0.1:8080\", engine_queue = 64, public_url = \"https://recueil.example\"
  [search]  limit = 10, sort = \"date\"";
