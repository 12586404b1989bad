//! The one way commands write: reports on stdout, diagnostics and errors on stderr. A reader
//! that goes away (`recueil search … | head -c 10`) ends the output quietly, never a panic.

use std::io::{ErrorKind, Write};
use std::process::ExitCode;

use crate::{Error, Result};

/// Appends one line to a report being built (writing to a `String` cannot fail).
macro_rules! outln {
    ($o:ident, $($arg:tt)*) => {{
        let _ = std::fmt::Write::write_fmt(&mut $o, format_args!($($arg)*));
        $o.push('\n');
    }};
}
pub(crate) use outln;

/// Prints a command's whole output and ends it with success.
pub fn emit(o: &str) -> Result<ExitCode> {
    print(o)?;
    Ok(ExitCode::SUCCESS)
}

/// Stdout, line after line; once the reader has gone every further write is dropped.
pub struct Stdout {
    out: std::io::StdoutLock<'static>,
    closed: bool,
}

impl Stdout {
    pub fn new() -> Stdout {
        Stdout { out: std::io::stdout().lock(), closed: false }
    }

    /// Writes `text`; `Ok(false)` once the reader has gone, so that a long output can stop.
    pub fn write(&mut self, text: &str) -> Result<bool> {
        if self.closed {
            return Ok(false);
        }
        match self.out.write_all(text.as_bytes()).and_then(|()| self.out.flush()) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(false)
            }
            Err(e) => Err(Error::io("stdout", e)),
        }
    }
}

/// Prints a command's whole report.
pub fn print(text: &str) -> Result<()> {
    Stdout::new().write(text).map(drop)
}

/// A diagnostic line on stderr (a rejected input, a warning); a closed stderr is ignored.
pub fn diagnostic(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// What the process exits with: 2 when the command line or the query was wrong, 1 when the
/// command failed at run time.
pub fn exit_code(e: &Error) -> ExitCode {
    match e {
        Error::InvalidQuery(_) | Error::InvalidParameter { .. } => ExitCode::from(2),
        _ => ExitCode::FAILURE,
    }
}

/// Reports a failed command on stderr, as `{"code", "message"}` under `--json`, and gives its
/// exit code.
pub fn fail(e: &Error, json: bool) -> ExitCode {
    if json {
        let body = serde_json::json!({ "code": e.code(), "message": e.to_string() });
        diagnostic(&body.to_string());
    } else {
        // Errors quote paths and remote names: never print them raw.
        diagnostic(&format!("error: {}", crate::escape::escaped(&e.to_string())));
    }
    exit_code(e)
}
