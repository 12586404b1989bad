use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("RECUEIL_LOG"))
        .with_writer(std::io::stderr)
        .init();
    let cli = recueil::cli::Cli::parse();
    match recueil::cli::run(cli).map_err(anyhow::Error::from) {
        Ok(code) => code,
        Err(e) => {
            // Errors quote paths and remote names: never print them raw.
            eprintln!("error: {}", recueil::escape::escaped(&format!("{e:#}")));
            ExitCode::FAILURE
        }
    }
}
