use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use salesdesk::cli::{self, Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.command.is_none() {
        return exit(cli::open_desk(&cli).and_then(salesdesk::tui::run));
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = cli::run(cli, &mut out);
    let _ = out.flush();
    exit(result)
}

fn exit(result: salesdesk::error::Result<()>) -> ExitCode {
    match result {
        Ok(()) | Err(salesdesk::error::Error::OutputClosed) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}
