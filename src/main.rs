use std::process::ExitCode;

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("RECUEIL_LOG"))
        .with_writer(std::io::stderr)
        .init();
    let cli = match recueil::cli::parse(std::env::args_os()) {
        Ok(cli) => cli,
        Err(e) => return recueil::cli::fail(&e, false),
    };
    let json = cli.command.json();
    // The error's own message already carries its cause (an io error names the os error),
    // so it is printed alone, once.
    recueil::cli::run(cli).unwrap_or_else(|e| recueil::cli::fail(&e, json))
}
