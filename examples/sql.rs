//! Runs SQL statements on a book with the same bundled SQLite as salesdesk and prints the
//! rows, tab-separated: the floor that salesdesk's own commands are measured against. Several
//! statements run in turn on one connection, as a command that runs several queries does.
//!
//!     cargo run --release --example sql -- BOOK "SELECT count(*) FROM follow_ups" [SQL…]

use std::process::ExitCode;

use rusqlite::types::ValueRef;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [db, sqls @ ..] = args.as_slice() else {
        eprintln!("usage: sql BOOK \"SQL\" [\"SQL\"…]");
        return ExitCode::from(2);
    };
    if sqls.is_empty() {
        eprintln!("usage: sql BOOK \"SQL\" [\"SQL\"…]");
        return ExitCode::from(2);
    }
    match run(db, sqls) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn run(db: &str, sqls: &[String]) -> rusqlite::Result<()> {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let mut out = String::new();
    for sql in sqls {
        query(&conn, sql, &mut out)?;
    }
    print!("{out}");
    Ok(())
}

fn query(conn: &rusqlite::Connection, sql: &str, out: &mut String) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare(sql)?;
    let n = stmt.column_count();
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        for i in 0..n {
            if i > 0 {
                out.push('\t');
            }
            match r.get_ref(i)? {
                ValueRef::Null => {}
                ValueRef::Integer(v) => out.push_str(&v.to_string()),
                ValueRef::Real(v) => out.push_str(&v.to_string()),
                ValueRef::Text(t) => out.push_str(&String::from_utf8_lossy(t)),
                ValueRef::Blob(b) => out.push_str(&format!("<{} bytes>", b.len())),
            }
        }
        out.push('\n');
    }
    Ok(())
}
