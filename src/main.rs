use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use salesdesk::cli::{self, Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    if cli.command.is_none() {
        return exit(cli::open_desk(&cli).and_then(salesdesk::tui::run));
    }
    // Stdout is line-buffered: unbuffered, `today` on a large book made one write(2) per
    // line, more time than the query. Nothing reads the output interactively mid-command.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let result = cli::run(cli, &mut out);
    // A failed final write (a full disk behind a redirect) is an error like any other.
    let flushed = out.flush().map_err(salesdesk::error::Error::from);
    exit(result.and(flushed))
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
