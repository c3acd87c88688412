//! Search over contacts, companies, deals and notes, with FTS5 (on a server: tsvector
//! documents and pg_trgm, ranked by FTS5's bm25 computed the same way: [`server_bm25`] and
//! the server schema's migration 0004).
//!
//! Both engines break ties of score by id (SQLite's `ORDER BY bm25(…)` alone leaves them in
//! no set order), so equal books list equal hits in one order.
//!
//! User text never reaches FTS5 (or `to_tsquery`) as syntax: it is folded, cut into words,
//! and each word is quoted as a prefix term. Substrings of names, emails and phones come from
//! a trigram index.

use crate::storage::sql;
use std::collections::HashMap;

use crate::storage::sql::params;

use crate::error::Result;
use crate::storage::Snapshot;
use crate::text::fold;

use crate::domain::search::{Hit, HitKind};

/// How many of the newest matching notes are ranked. A word in a third of millions of notes
/// would otherwise rank every one of them; the best hits of the recent window come first, and
/// a rare word has all its notes inside the window anyway.
const NOTE_WINDOW: i64 = 2000;

/// The longest word a server's text search takes in a query, in bytes (its limit is 2,047,
/// less than that with the prefix marker).
const MAX_SERVER_WORD: usize = 2046;

/// The words of a query, folded, as FTS5 sees them.
pub fn words(q: &str) -> Vec<String> {
    fold(q)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Each word a quoted prefix term, all required: `"jose"* "acm"*`.
pub fn fts_query(words: &[String]) -> String {
    words
        .iter()
        .map(|w| format!("\"{}\"*", w.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The query as the engine takes it: FTS5's quoted prefix terms, or for a server the folded
/// words (its `salesdesk_prefix_query` quotes them).
fn engine_query(conn: &Snapshot, ws: &[String]) -> String {
    if conn.on_server() {
        // A word past the server's longest (2,046 bytes) is in no document there, and
        // `to_tsquery` refuses it: every word being required, the query finds nothing (an
        // empty one matches no row).
        if ws.iter().any(|w| w.len() > MAX_SERVER_WORD) {
            return String::new();
        }
        ws.join(" ")
    } else {
        fts_query(ws)
    }
}

/// Column weights of bm25 on a server, by a document's weight letters A, B, C, D.
#[derive(Clone, Copy)]
enum Weights {
    /// Contacts' 10, 4, 2, 2, 1, 1 (name A, company B, title and emails C, phones and tags D)
    /// and deals' 10, 2, 2 (title A, contact and company C).
    Columns,
    /// Every column 1: bm25 without weights (FTS5's `rank`, companies, notes).
    None,
}

/// A server row's bm25 (lower better) for a query of `n` words, as FTS5's fts5Bm25Function
/// computes it, the same operations in the same order in double precision: `doc` and `len`
/// are the row's document and tokens, `k` the query's `salesdesk_bm25_stats` (its words as
/// prefix queries, their IDF, the table's average length; migration 0004). A word's weighted
/// hits f are what ts_rank_cd adds up for it without normalisation, each hit its position's
/// weight: with weights that are powers of two (exact, as are their inverses) 16 × (A/2 +
/// B/4 + C/8 + D/16) + 2 × A = 10A + 4B + 2C + D, in whole numbers.
fn server_bm25(n: usize, doc: &str, len: &str, weights: Weights) -> String {
    let terms: Vec<String> = (1..=n)
        .map(|i| {
            let f = match weights {
                Weights::Columns => format!(
                    "(16::float8 * ts_rank_cd('{{0.0625, 0.125, 0.25, 0.5}}', {doc}, k.terms[{i}], 0)::float8 \
                     + 2::float8 * ts_rank_cd('{{0, 0, 0, 1}}', {doc}, k.terms[{i}], 0)::float8)"
                ),
                Weights::None => {
                    format!("ts_rank_cd('{{1, 1, 1, 1}}', {doc}, k.terms[{i}], 0)::float8")
                }
            };
            format!(
                "k.idf[{i}] * (({f} * (1.2::float8 + 1.0::float8)) / ({f} + 1.2::float8 \
                 * (1.0::float8 - 0.75::float8 + 0.75::float8 * ({len})::float8 / k.avgdl)))"
            )
        })
        .collect();
    format!("-({})", terms.join(" + "))
}

/// Contacts matching `q` by words (prefix) or by substrings of name, email and phone.
pub fn contact_ids(conn: &Snapshot, q: &str, limit: i64) -> Result<Vec<i64>> {
    let ws = words(q);
    if ws.is_empty() {
        return Ok(Vec::new());
    }
    let mut ids: Vec<i64> = Vec::new();
    // `rank` is bm25 without column weights.
    let pg = format!(
        "SELECT s.contact_id FROM salesdesk_bm25_stats('contacts', ?1) k, contact_search s
         WHERE s.doc @@ salesdesk_prefix_query(?1) ORDER BY {}, s.contact_id LIMIT ?2",
        server_bm25(ws.len(), "s.doc", "s.len", Weights::None)
    );
    let mut stmt = conn.prepare_cached(conn.pick(
        "SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?1 ORDER BY rank, rowid LIMIT ?2",
        &pg,
    ))?;
    for id in stmt.query_map(params![engine_query(conn, &ws), limit], |r| r.get(0))? {
        ids.push(id?);
    }
    for id in substring_ids(conn, &ws, limit)? {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// Trigram matches need three characters a word; shorter words fall back to LIKE on names.
fn substring_ids(conn: &Snapshot, ws: &[String], limit: i64) -> Result<Vec<i64>> {
    if ws.iter().all(|w| w.chars().count() >= 3) && conn.on_server() {
        let mut sql = String::from("SELECT contact_id FROM contact_search WHERE 1 = 1");
        for i in 1..=ws.len() {
            sql.push_str(&format!(" AND subs LIKE ?{i}"));
        }
        sql.push_str(&format!(" ORDER BY contact_id LIMIT {limit}"));
        // Words are letters and digits only (see `words`): nothing in them LIKE reads.
        let likes = ws.iter().map(|w| format!("%{w}%"));
        let ids = conn
            .prepare(&sql)?
            .query_map(sql::params_from_iter(likes), |r| r.get(0))?
            .collect::<sql::Result<_>>()?;
        return Ok(ids);
    }
    if ws.iter().all(|w| w.chars().count() >= 3) {
        let q = ws
            .iter()
            .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(" ");
        let mut stmt = conn.prepare_cached(
            "SELECT rowid FROM contacts_tri WHERE contacts_tri MATCH ?1 LIMIT ?2",
        )?;
        let ids = stmt
            .query_map(params![q, limit], |r| r.get(0))?
            .collect::<sql::Result<_>>()?;
        return Ok(ids);
    }
    let mut sql = String::from("SELECT id FROM contacts WHERE 1 = 1");
    for i in 1..=ws.len() {
        sql.push_str(&format!(" AND instr(name_key, ?{i}) > 0"));
    }
    sql.push_str(&format!(" ORDER BY id LIMIT {limit}"));
    let mut stmt = conn.prepare(&sql)?;
    let ids = stmt
        .query_map(sql::params_from_iter(ws.iter()), |r| r.get(0))?
        .collect::<sql::Result<_>>()?;
    Ok(ids)
}

/// How well the query matches an item's title: 0 when it is the whole title ("acme" for
/// Acme), 1 when every word starts a word of it, 2 otherwise (matched elsewhere).
fn title_tier(title: &str, ws: &[String]) -> u8 {
    let tw = words(title);
    if tw == ws {
        0
    } else if ws
        .iter()
        .all(|w| tw.iter().any(|t| t.starts_with(w.as_str())))
    {
        1
    } else {
        2
    }
}

pub fn search(conn: &Snapshot, q: &str, limit: usize) -> Result<Vec<Hit>> {
    let ws = words(q);
    if ws.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let fq = engine_query(conn, &ws);
    let lim = limit as i64;
    let mut hits: Vec<Hit> = Vec::new();
    contact_hits(conn, &ws, &fq, lim, &mut hits)?;
    company_hits(conn, &ws, &fq, lim, &mut hits)?;
    deal_hits(conn, &ws, &fq, lim, &mut hits)?;
    note_hits(conn, &ws, &fq, limit, &mut hits)?;
    // Tier, then score, then id; hits of different kinds with all three equal stay in the
    // order pushed above (a stable sort): contacts, companies, deals, notes.
    hits.sort_by(|a, b| {
        a.score
            .0
            .cmp(&b.score.0)
            .then(a.score.1.total_cmp(&b.score.1))
            .then(a.id.cmp(&b.id))
    });
    hits.truncate(limit);
    Ok(hits)
}

/// Contacts: word matches ranked by bm25, then substring matches after them.
fn contact_hits(
    conn: &Snapshot,
    ws: &[String],
    fq: &str,
    lim: i64,
    hits: &mut Vec<Hit>,
) -> Result<()> {
    let mut contact_rank: HashMap<i64, f64> = HashMap::new();
    {
        let pg = format!(
            "SELECT s.contact_id, {} AS r
             FROM salesdesk_bm25_stats('contacts', ?1) k, contact_search s
             WHERE s.doc @@ salesdesk_prefix_query(?1)
             ORDER BY r, s.contact_id LIMIT ?2",
            server_bm25(ws.len(), "s.doc", "s.len", Weights::Columns)
        );
        let mut stmt = conn.prepare_cached(conn.pick(
            "SELECT rowid, bm25(contacts_fts, 10.0, 4.0, 2.0, 2.0, 1.0, 1.0) AS r FROM contacts_fts
             WHERE contacts_fts MATCH ?1 ORDER BY r, rowid LIMIT ?2",
            &pg,
        ))?;
        for row in stmt.query_map(params![fq, lim], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, f64>(1)?))
        })? {
            let (id, rank) = row?;
            contact_rank.insert(id, rank);
        }
        for id in substring_ids(conn, ws, lim)? {
            contact_rank.entry(id).or_insert(0.0);
        }
    }
    {
        let mut stmt = conn.prepare_cached(
            "SELECT c.name, co.name, c.emails, c.phones FROM contacts c
             LEFT JOIN companies co ON co.id = c.company_id WHERE c.id = ?1",
        )?;
        for (id, rank) in contact_rank {
            let (name, company, emails, phones): (String, Option<String>, String, String) =
                stmt.query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
            let emails: Vec<String> = serde_json::from_str(&emails).unwrap_or_default();
            let phones: Vec<String> = serde_json::from_str(&phones).unwrap_or_default();
            let snippet = company
                .into_iter()
                .chain(emails)
                .chain(phones)
                .collect::<Vec<_>>()
                .join(" · ");
            let tier = title_tier(&name, ws);
            hits.push(Hit {
                kind: HitKind::Contact,
                id,
                title: name,
                snippet,
                contact_id: Some(id),
                score: (tier, rank),
            });
        }
    }
    Ok(())
}

fn company_hits(
    conn: &Snapshot,
    ws: &[String],
    fq: &str,
    lim: i64,
    hits: &mut Vec<Hit>,
) -> Result<()> {
    let pg = format!(
        "SELECT co.id, co.name, {} AS r,
            (SELECT count(*) FROM contacts c WHERE c.company_id = co.id)
         FROM salesdesk_bm25_stats('companies', ?1) k, companies co
         WHERE salesdesk_doc(co.name) @@ salesdesk_prefix_query(?1)
         ORDER BY r, co.id LIMIT ?2",
        server_bm25(
            ws.len(),
            "salesdesk_doc(co.name)",
            "salesdesk_doc_length(salesdesk_doc(co.name))",
            Weights::None
        )
    );
    let mut stmt = conn.prepare_cached(conn.pick(
        "SELECT co.id, co.name, bm25(companies_fts) AS r,
            (SELECT count(*) FROM contacts c WHERE c.company_id = co.id)
         FROM companies_fts JOIN companies co ON co.id = companies_fts.rowid
         WHERE companies_fts MATCH ?1 ORDER BY r, co.id LIMIT ?2",
        &pg,
    ))?;
    for row in stmt.query_map(params![fq, lim], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, f64>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })? {
        let (id, name, rank, n) = row?;
        let snippet = format!("{n} contact{}", if n == 1 { "" } else { "s" });
        let tier = title_tier(&name, ws);
        hits.push(Hit {
            kind: HitKind::Company,
            id,
            title: name,
            snippet,
            contact_id: None,
            score: (tier, rank),
        });
    }
    Ok(())
}

fn deal_hits(
    conn: &Snapshot,
    ws: &[String],
    fq: &str,
    lim: i64,
    hits: &mut Vec<Hit>,
) -> Result<()> {
    let pg = format!(
        "SELECT d.id, d.title, d.contact_id, c.name, d.stage, d.status, d.value_cents, d.currency,
            {} AS r
         FROM salesdesk_bm25_stats('deals', ?1) k, deal_search s
         JOIN deals d ON d.id = s.deal_id JOIN contacts c ON c.id = d.contact_id
         WHERE s.doc @@ salesdesk_prefix_query(?1) ORDER BY r, d.id LIMIT ?2",
        server_bm25(ws.len(), "s.doc", "s.len", Weights::Columns)
    );
    let mut stmt = conn.prepare_cached(conn.pick(
        "SELECT d.id, d.title, d.contact_id, c.name, d.stage, d.status, d.value_cents, d.currency,
            bm25(deals_fts, 10.0, 2.0, 2.0) AS r
         FROM deals_fts JOIN deals d ON d.id = deals_fts.rowid JOIN contacts c ON c.id = d.contact_id
         WHERE deals_fts MATCH ?1 ORDER BY r, d.id LIMIT ?2",
        &pg,
    ))?;
    for row in stmt.query_map(params![fq, lim], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, i64>(6)?,
            r.get::<_, String>(7)?,
            r.get::<_, f64>(8)?,
        ))
    })? {
        let (id, title, contact_id, contact, stage, status, cents, cur, rank) = row?;
        let where_ = if status == "open" { stage } else { status };
        let snippet = format!(
            "{contact} · {where_} · {}",
            crate::domain::money::format(cents, &cur)
        );
        let tier = title_tier(&title, ws);
        hits.push(Hit {
            kind: HitKind::Deal,
            id,
            title,
            snippet,
            contact_id: Some(contact_id),
            score: (tier, rank),
        });
    }
    Ok(())
}

/// How many of the newest notes a server reads first for a word's newest matches.
const NOTE_SCAN: i64 = 20 * NOTE_WINDOW;

/// A server's newest window of notes matching, with their bm25, as FTS5's `ORDER BY rowid DESC
/// LIMIT` gives it. A common word (a third of two million notes hold `pricing`) has its window
/// among the newest notes: they are read newest first, and when they hold a whole window it is
/// the window; when they hold part of one, further back as far as their density says a window
/// is (`pricing contract`); a rarer query's matches come through the words' index instead, all
/// of them read (server migrations 5 and 7, `salesdesk_note_matches`).
fn server_note_window(conn: &Snapshot, ws: &[String], fq: &str) -> Result<Vec<(i64, f64)>> {
    // Through salesdesk_note_matches (migration 5): row-level security would otherwise keep
    // the words' index from serving anyone it holds.
    let sql = format!(
        "SELECT m.note_id, {} FROM salesdesk_note_matches(salesdesk_prefix_query(?1), ?3, ?2) m,
           salesdesk_bm25_stats('notes', ?1) k
         ORDER BY m.note_id DESC",
        server_bm25(ws.len(), "m.doc", "m.len", Weights::None)
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_map(params![fq, NOTE_WINDOW, NOTE_SCAN], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
        .collect::<sql::Result<_>>()?)
}

/// Notes: the newest window of matches, ranked by bm25 within it.
fn note_hits(
    conn: &Snapshot,
    ws: &[String],
    fq: &str,
    limit: usize,
    hits: &mut Vec<Hit>,
) -> Result<()> {
    let mut window = if conn.on_server() {
        server_note_window(conn, ws, fq)?
    } else {
        let mut stmt = conn.prepare_cached(
            "SELECT rowid, bm25(notes_fts) FROM notes_fts WHERE notes_fts MATCH ?1
             ORDER BY rowid DESC LIMIT ?2",
        )?;
        stmt.query_map(params![fq, NOTE_WINDOW], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<sql::Result<Vec<(i64, f64)>>>()?
    };
    window.sort_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
    window.truncate(limit);
    // FTS5's snippet() with `rowid = ?` re-runs the whole match per hit (25 ms for a word
    // in 600,000 notes), so the snippet is cut from the body here instead.
    let mut meta = conn.prepare_cached(
        "SELECT n.contact_id, c.name, n.kind, n.created_at, n.body FROM notes n
         JOIN contacts c ON c.id = n.contact_id WHERE n.id = ?1",
    )?;
    for (id, rank) in window {
        let (contact_id, name, kind, at, body): (i64, String, String, String, String) = meta
            .query_row([id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?;
        let snippet = snippet(&body, ws, 12);
        let date = crate::clock::parse_stamp(&at)
            .map(|t| t.format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        let title = format!("{kind} with {name}, {date}");
        hits.push(Hit {
            kind: HitKind::Note,
            id,
            title,
            snippet: crate::text::printable(&snippet),
            contact_id: Some(contact_id),
            score: (3, rank),
        });
    }
    Ok(())
}

/// About `width` words of `body` around the first word a query word starts, with `…` where
/// it is cut.
pub fn snippet(body: &str, ws: &[String], width: usize) -> String {
    let words: Vec<&str> = body.split_whitespace().collect();
    let hit = words
        .iter()
        .position(|w| {
            let f = fold(w);
            let f = f.trim_matches(|c: char| !c.is_alphanumeric());
            ws.iter().any(|q| f.starts_with(q.as_str()))
        })
        .unwrap_or(0);
    let start = hit.saturating_sub(width / 3);
    let end = (start + width).min(words.len());
    let mut out = words[start..end].join(" ");
    if start > 0 {
        out.insert(0, '…');
    }
    if end < words.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_centre_on_the_first_hit() {
        let body =
            "one two three four five six seven eight nine ten Pricing eleven twelve thirteen";
        assert_eq!(
            snippet(body, &words("pric"), 6),
            "…nine ten Pricing eleven twelve thirteen"
        );
        assert_eq!(snippet("José called", &words("jose"), 6), "José called");
        assert_eq!(snippet("a b c d e f g h", &words("zzz"), 3), "a b c…");
    }

    #[test]
    fn hostile_input_becomes_quoted_words() {
        assert_eq!(fts_query(&words("José acm")), "\"jose\"* \"acm\"*");
        assert_eq!(
            fts_query(&words("re: \"quote, NEAR( *")),
            "\"re\"* \"quote\"* \"near\"*"
        );
        assert!(words("*** \"").is_empty());
    }
}
