//! `team add|list|remove` on a book on the PostgreSQL test server: logins made with a
//! password from stdin that then work the book, only managers changing the team (refused by
//! the server too), the last manager kept, names quoted and never read as SQL, and the
//! password never shown. Skipped without a test server (see `support::server`); a file book
//! refuses every `team` command.

use serde_json::Value;

use crate::support::Book;
use crate::support::team::{add_with_stdin, as_login, book_as, server_book};

#[test]
fn a_rep_added_with_a_password_from_stdin_logs_in_and_works_the_book() {
    let Some((logins, b)) = server_book() else {
        return;
    };
    let rep = logins.unique("rita");
    let password = "Pw-for-rita 'quoted' \"and\" spaced";
    let (code, out, err) = add_with_stdin(
        &b,
        &[
            &rep,
            "--role",
            "rep",
            "--password-stdin",
            "--display-name",
            "Rita Rep",
        ],
        &format!("{password}\n"),
    );
    logins.keep_groups(&b);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains(&format!("added {rep} to the team as a rep")),
        "{out}"
    );
    assert!(out.contains("a new PostgreSQL login"), "{out}");
    // The server keeps a SCRAM verifier: the password itself was never sent.
    let stored = b.rows(&format!(
        "SELECT rolpassword LIKE 'SCRAM-SHA-256$%' FROM pg_authid WHERE rolname = '{rep}'"
    ));
    assert_eq!(stored, vec![vec![rusqlite::types::Value::Integer(1)]]);

    // db init made its login the first manager; the list says who is who, in text and JSON.
    let list = b.ok(&["team", "list"]);
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 2, "{list}");
    assert!(
        lines[0].starts_with("postgres ") && lines[0].ends_with("manager"),
        "{list}"
    );
    assert!(
        lines[1].starts_with(&rep) && lines[1].contains(" rep ") && lines[1].ends_with("Rita Rep"),
        "{list}"
    );
    let json = b.json(&["team", "list"]);
    assert_eq!(
        json,
        serde_json::json!([
            {"login": "postgres", "role": "manager", "name": null},
            {"login": rep, "role": "rep", "name": "Rita Rep"},
        ])
    );

    // The rep logs in with the password and works the book.
    b.ok(&["contact", "add", "--name", "Ana Souza"]);
    let as_rep = book_as(&b, &rep, password);
    let today = as_rep.ok(&["today"]);
    assert!(!today.contains(password), "{today}");
    as_rep.ok(&["contact", "add", "--name", "Bo Rep"]);
    as_rep.ok(&["note", "Ana Souza", "called about pricing"]);
    // An import and its undo: the rights on the sequences and search triggers are had too.
    let csv = as_rep.file("leads.csv");
    std::fs::write(&csv, "Name,Email\nCy Lead,cy@example.com\n").expect("csv written");
    let (code, out, err) = as_rep.import(&csv, &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(as_rep.ok(&["undo"]).contains("undid the import"));
    let names: Vec<Value> = as_rep.contacts();
    assert_eq!(names.len(), 2, "{names:?}");
    // A wrong password is turned away.
    let wrong = book_as(&b, &rep, "not-it");
    let e = wrong.fails(&["today"], 1);
    assert!(!e.contains("not-it"), "{e}");

    // Adding again is refused, and says nothing of the password either.
    let (code, out, err) = add_with_stdin(
        &b,
        &[&rep, "--role", "rep", "--password-stdin"],
        &format!("{password}\n"),
    );
    assert_eq!(code, 2, "{out}{err}");
    assert!(err.contains("already on the team, as a rep"), "{err}");
    for text in [&out, &err, &list] {
        assert!(!text.contains(password), "{text}");
    }
}

#[test]
fn only_a_manager_changes_the_team_and_the_server_refuses_a_rep_too() {
    let Some((logins, b)) = server_book() else {
        return;
    };
    let rep = logins.unique("ravi");
    let (code, _, err) = add_with_stdin(
        &b,
        &[&rep, "--role", "rep", "--password-stdin"],
        "ravi-pw\n",
    );
    logins.keep_groups(&b);
    assert_eq!(code, 0, "{err}");
    let as_rep = book_as(&b, &rep, "ravi-pw");
    let other = logins.unique("other");
    let e = as_rep.fails(&["team", "add", &other, "--role", "rep"], 2);
    assert!(
        e.contains("only a manager") && e.contains("is a rep"),
        "{e}"
    );
    let e = as_rep.fails(&["team", "remove", "postgres"], 2);
    assert!(e.contains("only a manager"), "{e}");
    // The rep reads the team, but the server refuses them a change to it.
    let list = as_rep.ok(&["team", "list"]);
    assert!(list.contains(&rep), "{list}");
    let mut c = salesdesk::storage::pg::connect::connect(&as_login(
        &b.db.to_string_lossy(),
        &rep,
        "ravi-pw",
    ))
    .expect("the rep connects");
    let refused = c
        .batch_execute(&format!(
            "UPDATE users SET role = 'manager' WHERE login = '{rep}'"
        ))
        .expect_err("a rep cannot make themselves a manager");
    assert_eq!(
        refused.code(),
        Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE),
        "{refused:?}"
    );
    assert_eq!(
        b.rows(&format!("SELECT role FROM users WHERE login = '{rep}'")),
        vec![vec![rusqlite::types::Value::Text("rep".into())]]
    );
    assert!(
        b.rows(&format!("SELECT 1 FROM pg_roles WHERE rolname = '{other}'"))
            .is_empty()
    );
}

#[test]
fn remove_keeps_the_login_and_never_the_last_manager() {
    let Some((logins, b)) = server_book() else {
        return;
    };
    let e = b.fails(&["team", "remove", "postgres"], 2);
    assert!(e.contains("last manager"), "{e}");
    let e = b.fails(&["team", "remove", "nobody_here"], 2);
    assert!(e.contains("not on the team"), "{e}");

    let rep = logins.unique("rosa");
    let (code, _, err) = add_with_stdin(
        &b,
        &[&rep, "--role", "rep", "--password-stdin"],
        "rosa-pw\n",
    );
    logins.keep_groups(&b);
    assert_eq!(code, 0, "{err}");
    let as_rep = book_as(&b, &rep, "rosa-pw");
    as_rep.ok(&["today"]);
    let out = b.ok(&["team", "remove", &rep]);
    assert!(
        out.contains(&format!("removed {rep} from the team")),
        "{out}"
    );
    assert!(out.contains("is kept"), "{out}");
    // Off the team and out of the book's group, but the login is still the server's.
    assert!(!b.ok(&["team", "list"]).contains(&rep));
    assert_eq!(
        b.rows(&format!("SELECT 1 FROM pg_roles WHERE rolname = '{rep}'"))
            .len(),
        1
    );
    let member = b.rows(&format!(
        "SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member WHERE r.rolname = '{rep}'"
    ));
    assert!(member.is_empty(), "{member:?}");
    let e = as_rep.fails(&["today"], 1);
    assert!(
        e.contains("has no rights on the book") && e.contains("team add"),
        "{e}"
    );

    // With a second manager, the first may go; then they can change the team no more.
    let second = logins.unique("mona");
    let (code, _, err) = add_with_stdin(&b, &[&second, "--role", "manager"], "");
    assert_eq!(code, 0, "{err}");
    b.ok(&["team", "remove", "postgres"]);
    let e = b.fails(&["team", "add", &logins.unique("late"), "--role", "rep"], 2);
    assert!(
        e.contains("only a manager") && e.contains("not on the team"),
        "{e}"
    );
}

#[test]
fn names_are_quoted_by_the_server_and_never_read_as_sql() {
    let Some((logins, b)) = server_book() else {
        return;
    };
    b.ok(&["contact", "add", "--name", "Ana Souza"]);
    let suffix = logins.unique("n");
    let nasty = [
        format!("x; DROP TABLE contacts; -- {suffix}"),
        format!("o'brien \"jr\" {suffix}"),
    ];
    for name in &nasty {
        logins.keep(name);
        let out = b.ok(&["team", "add", name, "--role", "rep"]);
        assert!(out.contains(name.as_str()), "{out}");
    }
    logins.keep_groups(&b);
    assert_eq!(b.contacts().len(), 1, "contacts is intact");
    for name in &nasty {
        let q = name.replace('\'', "''");
        let found = b.rows(&format!(
            "SELECT rolcanlogin FROM pg_roles WHERE rolname = '{q}'"
        ));
        assert_eq!(
            found,
            vec![vec![rusqlite::types::Value::Integer(1)]],
            "{name}"
        );
    }
    let json = b.json(&["team", "list"]);
    let listed: Vec<&str> = json
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|m| m["login"].as_str())
        .collect();
    for name in &nasty {
        assert!(listed.contains(&name.as_str()), "{listed:?}");
    }
    // Names PostgreSQL would cut short or keeps for itself are refused before anything.
    for bad in ["pg_sneaky", &"a".repeat(64), ""] {
        let e = b.fails(&["team", "add", bad, "--role", "rep"], 2);
        assert!(!e.is_empty());
    }
}

#[test]
fn without_createrole_the_error_says_what_is_needed() {
    let Some((logins, b)) = server_book() else {
        return;
    };
    let mgr = logins.unique("mgr");
    let (code, _, err) = add_with_stdin(
        &b,
        &[&mgr, "--role", "manager", "--password-stdin"],
        "mgr-pw\n",
    );
    logins.keep_groups(&b);
    assert_eq!(code, 0, "{err}");
    let as_mgr = book_as(&b, &mgr, "mgr-pw");
    let rep = logins.unique("rep");
    let e = as_mgr.fails(&["team", "add", &rep, "--role", "rep"], 1);
    assert!(
        e.contains("CREATEROLE") && e.contains(&format!("ALTER ROLE {mgr} CREATEROLE")),
        "{e}"
    );
    assert_eq!(e.trim_end().lines().count(), 1, "{e}");
    // Given it, a manager who does not own the book adds a rep, who works it.
    b.sql(&format!("ALTER ROLE {mgr} CREATEROLE"));
    let (code, _, err) = add_with_stdin(
        &as_mgr,
        &[&rep, "--role", "rep", "--password-stdin"],
        "rep-pw\n",
    );
    assert_eq!(code, 0, "{err}");
    book_as(&b, &rep, "rep-pw").ok(&["contact", "add", "--name", "Cy"]);
}

#[test]
fn a_login_the_server_has_joins_the_team_as_it_is() {
    let Some((logins, b)) = server_book() else {
        return;
    };
    let old = logins.unique("olga");
    b.sql(&format!("CREATE ROLE {old} LOGIN PASSWORD 'olga-own-pw'"));
    let (code, _, err) =
        add_with_stdin(&b, &[&old, "--role", "rep", "--password-stdin"], "new-pw\n");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("keeps its own password"), "{err}");
    let out = b.ok(&["team", "add", &old, "--role", "rep"]);
    logins.keep_groups(&b);
    assert!(out.contains("the PostgreSQL login that was there"), "{out}");
    book_as(&b, &old, "olga-own-pw").ok(&["today"]);
    // A group without its rights on the book (as one left by a dropped database whose number
    // this one reuses) is given them again by the next `team add`.
    b.sql(
        "DO $$ BEGIN EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM %I', \
         salesdesk_team_group('team')); END $$",
    );
    book_as(&b, &old, "olga-own-pw").fails(&["today"], 1);
    b.ok(&["team", "add", &logins.unique("later"), "--role", "rep"]);
    book_as(&b, &old, "olga-own-pw").ok(&["today"]);
    let group = logins.unique("grp");
    b.sql(&format!("CREATE ROLE {group} NOLOGIN"));
    let e = b.fails(&["team", "add", &group, "--role", "rep"], 2);
    assert!(e.contains("cannot log in"), "{e}");
}

#[test]
fn team_commands_on_a_file_book_are_refused() {
    let b = Book::new();
    for cmd in [
        &["team", "list"][..],
        &["team", "add", "ana", "--role", "rep"],
        &["team", "remove", "ana"],
    ] {
        let e = b.fails(cmd, 2);
        assert!(
            e.contains("teams need a book on a PostgreSQL server"),
            "{cmd:?}: {e}"
        );
    }
    assert!(!b.db.exists(), "no book was made");
}

#[test]
fn a_book_of_schema_1_upgrades_with_its_migrator_as_the_first_manager() {
    let Some(b) = Book::server() else {
        return;
    };
    b.ok(&["contact", "add", "--name", "Ana Souza"]);
    // What 0011 to 0002 did, undone: the book as schema 1 had it (0008 only changed an
    // index; 0009's go with the owner and author columns; the two functions 0010 dropped are
    // not put back, and its DROP … IF EXISTS finds them gone).
    b.sql(
        "ALTER TABLE follow_ups DROP COLUMN text_head; DROP STATISTICS follow_ups_status_due;
         DELETE FROM schema_migrations WHERE version = 11;
         DELETE FROM schema_migrations WHERE version = 10;
         DELETE FROM schema_migrations WHERE version = 9;
         DELETE FROM schema_migrations WHERE version = 8;
         DELETE FROM schema_migrations WHERE version = 7;
         DROP FUNCTION salesdesk_word_estimate; DELETE FROM schema_migrations WHERE version = 6;
         DROP FUNCTION salesdesk_note_matches;
         DELETE FROM schema_migrations WHERE version = 5;
         DROP FUNCTION search_totals_added, search_totals_removed, search_totals_changed,
           companies_totals_ai, companies_totals_ad, companies_totals_au CASCADE;
         DROP TABLE search_totals, search_totals_pending; DROP FUNCTION search_totals_flush;
         ALTER TABLE contact_search DROP COLUMN len; ALTER TABLE deal_search DROP COLUMN len;
         ALTER TABLE note_search DROP COLUMN len;
         DROP FUNCTION salesdesk_bm25_stats, salesdesk_totals_add,
           salesdesk_totals_pending, salesdesk_doc_length, salesdesk_totals_mismatches;
         DELETE FROM schema_migrations WHERE version = 4;
         DO $$ DECLARE p record; BEGIN
           FOR p IN SELECT tablename, policyname FROM pg_policies
                    WHERE schemaname = current_schema() LOOP
             EXECUTE format('DROP POLICY %I ON %I', p.policyname, p.tablename);
           END LOOP;
         END $$;
         DROP FUNCTION salesdesk_may_change(text); DROP FUNCTION salesdesk_is_manager();
         DROP FUNCTION salesdesk_forget_undo();
         DROP TRIGGER notes_privacy_au ON notes; DROP FUNCTION notes_privacy_au();
         ALTER TABLE note_search DROP COLUMN private, DROP COLUMN author;
         ALTER TABLE contacts DROP COLUMN owner; ALTER TABLE deals DROP COLUMN owner;
         ALTER TABLE follow_ups DROP COLUMN owner; ALTER TABLE notes DROP COLUMN author;
         ALTER TABLE notes DROP COLUMN private; ALTER TABLE deal_events DROP COLUMN by_user;
         ALTER TABLE undo_log DROP COLUMN by_user;
         DROP TABLE reassignments;
         DELETE FROM schema_migrations WHERE version = 3;
         DROP TABLE users; DROP FUNCTION salesdesk_team_setup();
         DROP FUNCTION salesdesk_team_group(text); DELETE FROM schema_migrations WHERE version = 2",
    );
    let e = b.fails(&["team", "list"], 1);
    assert!(e.contains("db migrate"), "{e}");
    let out = b.ok(&["db", "migrate"]);
    assert!(out.contains("from schema 1 to"), "{out}");
    assert_eq!(
        b.json(&["team", "list"]),
        serde_json::json!([{"login": "postgres", "role": "manager", "name": null}])
    );
    assert_eq!(b.contacts().len(), 1);
}
