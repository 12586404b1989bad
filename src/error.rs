use std::path::PathBuf;

/// The one error type of the library. Messages are concise and lowercase; the server maps
/// each variant to an HTTP status and a stable `code` (see [`Error::code`]).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("io error on {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// An input that an adapter refuses (malformed, hostile, too large…).
    #[error("rejected {path}: {reason}")]
    Rejected { path: String, reason: String },
    /// A user query that does not parse or breaks a bound.
    #[error("invalid query: {0}")]
    InvalidQuery(String),
    /// A request parameter out of range (limit, cursor, offset…).
    #[error("invalid parameter {name}: {reason}")]
    InvalidParameter { name: &'static str, reason: String },
    /// A well-formed cursor made for an older generation of the index: the search must start
    /// again (a malformed cursor is an `InvalidParameter`).
    #[error("cursor expired: {0}")]
    CursorExpired(String),
    #[error("not found: {0}")]
    NotFound(String),
    /// The index or record store is missing, corrupt or inconsistent.
    #[error("index error: {0}")]
    Index(String),
    #[error("serialization error: {0}")]
    Serde(String),
    #[error("network error: {0}")]
    Network(String),
    #[error("overloaded: {0}")]
    Overloaded(String),
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }

    /// Stable machine-readable code, used in the API's `{code, message}` bodies.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Io { .. } => "io_error",
            Error::Rejected { .. } => "rejected",
            Error::InvalidQuery(_) => "invalid_query",
            Error::InvalidParameter { .. } => "invalid_parameter",
            Error::CursorExpired(_) => "cursor_expired",
            Error::NotFound(_) => "not_found",
            Error::Index(_) => "index_error",
            Error::Serde(_) => "serialization_error",
            Error::Network(_) => "network_error",
            Error::Overloaded(_) => "overloaded",
        }
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::Serde(e.to_string().to_lowercase())
    }
}

impl From<tantivy::TantivyError> for Error {
    fn from(e: tantivy::TantivyError) -> Self {
        Error::Index(e.to_string().to_lowercase())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
