use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use salesdesk::cli::{self, Cli};
use salesdesk::inert::{self, Inert};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_exit(&e),
    };
    if cli.command.is_none() {
        return exit(cli::open_desk(&cli).and_then(salesdesk::tui::run));
    }
    // Stdout is line-buffered: unbuffered, `today` on a large book made one write(2) per
    // line, more time than the query. Nothing reads the output interactively mid-command.
    // The buffer sits above the inert filter, so it sees 64 KiB at a time.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, Inert::new(std::io::stdout().lock()));
    let result = cli::run(cli, &mut out);
    // A failed final write (a full disk behind a redirect) is an error like any other.
    let flushed = out
        .into_inner()
        .map_err(|e| e.into_error())
        .and_then(|mut inert| inert.finish())
        .map_err(salesdesk::error::Error::from);
    exit(result.and(flushed))
}

/// Clap's own messages echo what was typed (`invalid value '…'`): they take the same path.
fn clap_exit(e: &clap::Error) -> ExitCode {
    let text = e.render().to_string();
    if e.use_stderr() {
        let body = text
            .trim_end()
            .strip_prefix("error: ")
            .unwrap_or(text.trim_end());
        inert::say("error", body);
    } else {
        let mut out = Inert::new(std::io::stdout().lock());
        let _ = out.write_all(text.as_bytes()).and_then(|()| out.finish());
    }
    ExitCode::from(e.exit_code().clamp(0, 255) as u8)
}

fn exit(result: salesdesk::error::Result<()>) -> ExitCode {
    match result {
        Ok(()) | Err(salesdesk::error::Error::OutputClosed) => ExitCode::SUCCESS,
        Err(e) => {
            inert::say("error", &e.to_string());
            ExitCode::from(e.exit_code() as u8)
        }
    }
}
