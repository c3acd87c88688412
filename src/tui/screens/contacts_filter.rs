//! The Contacts filter: what the whole book holds for it (names, and the company, emails,
//! phones, tags, status and temperature of each contact, folded once on the worker) and the
//! matcher that runs on every keystroke.
//!
//! A query is words. `#vip` keeps contacts with a tag starting `vip`; `is:lead` (or
//! `status:lead`) one status; `hot`, `warm`, `cold` (or `temp:hot`) a temperature. The other
//! words match the name fuzzily (best first), or else each word is found somewhere in the
//! name, company, emails or phones, as `contact list --search` finds them (those come after
//! the name matches, in the table's order). As there, the other fields need words of three
//! letters or more: one or two letters are in nearly every email, and would only slow the
//! first keystrokes, which score the whole book.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32String};

use crate::domain::contact::IndexRow;
use crate::domain::contact::{Status, Temperature};
use crate::text::fold;

/// Separates the name, the other fields and each tag in the folded text: a query word never
/// holds it, so a word cannot match across two fields.
const SEP: char = '\u{1}';

/// The whole book's contacts, as much as the filter needs.
#[derive(Default)]
pub struct NameIndex {
    pub ids: Vec<i64>,
    pub names: Vec<String>,
    folded: Vec<Utf32String>,
    /// Each contact's folded name, company, emails, phones (and the phones' digits), SEP
    /// after each field, one after the other in one buffer: a keystroke that reads them all
    /// reads memory in order rather than 200,000 allocations.
    hay: String,
    /// Where each contact's text starts in `hay`; one more at the end.
    hay_at: Vec<u32>,
    /// Folded tags, each after a SEP.
    tags: Vec<Box<str>>,
    status: Vec<u8>,
    /// 0 for none, then hot, warm, cold.
    temp: Vec<u8>,
    /// Each contact's owner, as a position in `owners` (a team has a few; the book 200,000 rows).
    owner: Vec<u16>,
    pub owners: Vec<String>,
}

impl std::fmt::Debug for NameIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NameIndex({} names)", self.ids.len())
    }
}

const STATUSES: [Status; 4] = [
    Status::Lead,
    Status::Prospect,
    Status::Customer,
    Status::Repeat,
];
const TEMPS: [Temperature; 3] = [Temperature::Hot, Temperature::Warm, Temperature::Cold];

impl NameIndex {
    pub fn new<R: Into<IndexRow>>(rows: Vec<R>) -> Self {
        let n = rows.len();
        let mut ix = NameIndex {
            ids: Vec::with_capacity(n),
            names: Vec::with_capacity(n),
            folded: Vec::with_capacity(n),
            hay: String::with_capacity(n * 64),
            hay_at: Vec::with_capacity(n + 1),
            tags: Vec::with_capacity(n),
            status: Vec::with_capacity(n),
            temp: Vec::with_capacity(n),
            owner: Vec::with_capacity(n),
            owners: Vec::new(),
        };
        let mut owner_at: std::collections::HashMap<String, usize> = Default::default();
        for r in rows {
            let r: IndexRow = r.into();
            let name = fold(&r.name);
            ix.hay_at.push(ix.hay.len() as u32);
            let hay = &mut ix.hay;
            hay.push_str(&name);
            hay.push(SEP);
            for f in r.company.iter().chain(&r.emails).chain(&r.phones) {
                hay.push_str(&fold(f));
                hay.push(SEP);
            }
            for p in &r.phones {
                hay.extend(p.chars().filter(char::is_ascii_digit));
                hay.push(SEP);
            }
            let mut tags = String::new();
            for t in &r.tags {
                tags.push(SEP);
                tags.push_str(&fold(t));
            }
            ix.tags.push(tags.into());
            ix.status
                .push(STATUSES.iter().position(|s| *s == r.status).unwrap_or(0) as u8);
            ix.temp.push(
                r.temperature
                    .and_then(|t| TEMPS.iter().position(|x| *x == t))
                    .map_or(0, |i| i as u8 + 1),
            );
            let next = ix.owners.len();
            let owner = *owner_at.entry(r.owner).or_insert(next);
            if owner == next {
                ix.owners.push(String::new());
            }
            ix.owner.push(u16::try_from(owner).unwrap_or(u16::MAX));
            ix.ids.push(r.id);
            ix.names.push(r.name);
        }
        ix.hay_at.push(ix.hay.len() as u32);
        for (name, at) in owner_at {
            if let Some(o) = ix.owners.get_mut(at) {
                *o = name;
            }
        }
        // The names the matcher scores on every keystroke, made one after the other once the
        // rest is built: side by side in memory, not between the other fields' allocations.
        for i in 0..ix.ids.len() {
            let hay = ix.hay(i);
            let end = hay
                .iter()
                .position(|b| *b == SEP as u8)
                .unwrap_or(hay.len());
            let name = std::str::from_utf8(&hay[..end]).unwrap_or_default();
            ix.folded.push(Utf32String::from(name));
        }
        ix
    }

    /// Contact `i`'s folded fields.
    fn hay(&self, i: usize) -> &[u8] {
        match (self.hay_at.get(i), self.hay_at.get(i + 1)) {
            (Some(&a), Some(&b)) => self
                .hay
                .as_bytes()
                .get(a as usize..b as usize)
                .unwrap_or(&[]),
            _ => &[],
        }
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether contact `i` is `owner`'s.
    pub fn owned_by(&self, i: usize, owner: &str) -> bool {
        let at = self.owner.get(i).map(|o| usize::from(*o));
        at.and_then(|o| self.owners.get(o))
            .is_some_and(|o| o == owner)
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

impl From<(i64, String)> for IndexRow {
    fn from((id, name): (i64, String)) -> Self {
        IndexRow {
            id,
            name,
            company: None,
            emails: Vec::new(),
            phones: Vec::new(),
            tags: Vec::new(),
            status: Status::Lead,
            temperature: None,
            owner: crate::domain::team::LOCAL_USER.into(),
        }
    }
}

/// What a query word is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Free,
    Tag,
    Status,
    Temp,
}

fn kind_of(w: &str) -> (Kind, &str) {
    if let Some(t) = w.strip_prefix('#') {
        return (Kind::Tag, t);
    }
    for p in ["is:", "status:"] {
        if let Some(s) = w.strip_prefix(p) {
            return (Kind::Status, s);
        }
    }
    for p in ["temp:", "temperature:"] {
        if let Some(s) = w.strip_prefix(p) {
            return (Kind::Temp, s);
        }
    }
    if TEMPS.iter().any(|t| t.to_string() == w) {
        return (Kind::Temp, w);
    }
    (Kind::Free, w)
}

/// Words this long or longer are looked for in the company, emails and phones too.
const FIELD_WORD: usize = 3;

/// A folded query, read.
#[derive(Debug, Default)]
struct Query {
    free: Vec<String>,
    /// Every free word is long enough to look in the other fields.
    fields: bool,
    tags: Vec<String>,
    /// Bit i: STATUSES[i] is wanted; 0 when no word asks.
    statuses: u8,
    /// Bit i: temperature code i (0 none, 1 hot, …) is wanted.
    temps: u8,
    /// A status or temperature word that names none: nothing matches.
    none: bool,
}

impl Query {
    fn parse(q: &str) -> Query {
        let mut out = Query::default();
        for w in q.split_whitespace() {
            match kind_of(w) {
                (Kind::Free, w) => out.free.push(w.to_string()),
                (Kind::Tag, t) => out.tags.push(format!("{SEP}{t}")),
                (Kind::Status, s) => {
                    let m = STATUSES
                        .iter()
                        .enumerate()
                        .filter(|(_, x)| x.to_string().starts_with(s))
                        .fold(0u8, |m, (i, _)| m | 1 << i);
                    out.none |= m == 0;
                    out.statuses |= m;
                }
                (Kind::Temp, s) => {
                    let m = TEMPS
                        .iter()
                        .enumerate()
                        .filter(|(_, x)| x.to_string().starts_with(s))
                        .fold(0u8, |m, (i, _)| m | 1 << (i + 1));
                    out.none |= m == 0;
                    out.temps |= m;
                }
            }
        }
        out.fields =
            !out.free.is_empty() && out.free.iter().all(|w| w.chars().count() >= FIELD_WORD);
        out
    }

    /// Whether contact `i` passes the tag, status and temperature words.
    fn keeps(&self, ix: &NameIndex, i: usize) -> bool {
        (self.statuses == 0
            || ix
                .status
                .get(i)
                .is_some_and(|s| self.statuses & 1 << s != 0))
            && (self.temps == 0 || ix.temp.get(i).is_some_and(|t| self.temps & 1 << t != 0))
            && self
                .tags
                .iter()
                .all(|t| ix.tags.get(i).is_some_and(|have| have.contains(t.as_str())))
    }
}

/// Typing on from `old` to `new` can only narrow the matches: the text grows at the end and
/// every word of `old` is still the same kind of word (`ho` → `hot` turns a name into a
/// temperature, and must look at the whole book again).
fn narrows(old: &str, new: &str) -> bool {
    // From names only to the other fields too, more can match.
    let widens = !Query::parse(old).fields && Query::parse(new).fields;
    !widens
        && new.starts_with(old)
        && old
            .split_whitespace()
            .zip(new.split_whitespace())
            .all(|(a, b)| kind_of(a).0 == kind_of(b).0)
}

/// The fuzzy filter: positions in the index that match, best first (ties keep the index
/// order, i.e. the chosen sort). Typing on at the end only rescores the previous matches;
/// taking a letter back restores the answer kept for that shorter query.
pub struct Filter {
    matchers: [Matcher; 2],
    /// Earlier answers, each query a prefix of the next: (query, matches in index order,
    /// matches best first).
    kept: Vec<(String, Vec<u32>, Vec<u32>)>,
    /// The answer: positions best first.
    pub ranked: Vec<u32>,
}

/// Below this many candidates one thread scores them all; above, two share the work.
const SPLIT_AT: usize = 32_768;
/// How many earlier answers are kept for Backspace.
const KEEP: usize = 24;

impl std::fmt::Debug for Filter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Filter({:?}, {} hits)", self.query(), self.ranked.len())
    }
}

impl Default for Filter {
    fn default() -> Self {
        Filter {
            matchers: [Matcher::new(Config::DEFAULT), Matcher::new(Config::DEFAULT)],
            kept: Vec::new(),
            ranked: Vec::new(),
        }
    }
}

/// `(position, rank)`: a name match ranks by its score plus one, a match elsewhere 0.
fn score(
    index: &NameIndex,
    q: &Query,
    pattern: Option<&Pattern>,
    words: &[&[u8]],
    candidates: &[u32],
    m: &mut Matcher,
) -> Vec<(u32, u32)> {
    let mut out = Vec::with_capacity(candidates.len().min(4096));
    for &i in candidates {
        let at = i as usize;
        if !q.keeps(index, at) {
            continue;
        }
        let Some(pattern) = pattern else {
            out.push((i, 0));
            continue;
        };
        if let Some(hay) = index.folded.get(at)
            && let Some(s) = pattern.score(hay.slice(..), m)
        {
            out.push((i, s.saturating_add(1)));
        } else if q.fields && words.iter().all(|w| holds(index.hay(at), w)) {
            out.push((i, 0));
        }
    }
    out
}

/// Whether `hay` holds `word`. A contact's fields are a few dozen bytes: memchr jumps to each
/// place the first byte is (most words' first byte is not there at all), which is quicker on
/// text this short than a substring search's setup.
fn holds(hay: &[u8], word: &[u8]) -> bool {
    let Some((&first, rest)) = word.split_first() else {
        return true;
    };
    let mut from = 0;
    while let Some(i) = hay.get(from..).and_then(|h| memchr::memchr(first, h)) {
        from += i + 1;
        if hay.get(from..).is_some_and(|h| h.starts_with(rest)) {
            return true;
        }
    }
    false
}

impl Filter {
    /// The folded query the answer is for ("" when none).
    pub fn query(&self) -> &str {
        self.kept.last().map_or("", |k| k.0.as_str())
    }

    /// Matches `query` (folded) against the index; `ranked` holds the result. An empty
    /// query matches everything, in index order.
    pub fn apply(&mut self, index: &NameIndex, query: &str) {
        let q = fold(query);
        if q.is_empty() {
            self.kept.clear();
            self.ranked = (0..index.len() as u32).collect();
            return;
        }
        while self.kept.last().is_some_and(|k| !narrows(&k.0, &q)) {
            self.kept.pop();
        }
        if let Some(k) = self.kept.last()
            && k.0 == q
        {
            self.ranked = k.2.clone();
            return;
        }
        let parsed = Query::parse(&q);
        let pattern = (!parsed.free.is_empty()).then(|| {
            Pattern::parse(
                &parsed.free.join(" "),
                CaseMatching::Ignore,
                Normalization::Smart,
            )
        });
        let all: Vec<u32>;
        let candidates: &[u32] = match self.kept.last() {
            _ if parsed.none => &[],
            Some(k) => &k.1,
            None => {
                all = (0..index.len() as u32).collect();
                &all
            }
        };
        let [m0, m1] = &mut self.matchers;
        let p = pattern.as_ref();
        let words: Vec<&[u8]> = parsed.free.iter().map(|w| w.as_bytes()).collect();
        let words = words.as_slice();
        let mut scored = if candidates.len() < SPLIT_AT {
            score(index, &parsed, p, words, candidates, m0)
        } else {
            let (a, b) = candidates.split_at(candidates.len() / 2);
            let parsed = &parsed;
            std::thread::scope(|s| {
                let right = s.spawn(|| score(index, parsed, p, words, b, m1));
                let mut left = score(index, parsed, p, words, a, m0);
                match right.join() {
                    Ok(r) => left.extend(r),
                    // A scoring thread cannot fail short of a bug; score its half here then.
                    Err(_) => left.extend(score(
                        index,
                        parsed,
                        p,
                        words,
                        b,
                        &mut Matcher::new(Config::DEFAULT),
                    )),
                }
                left
            })
        };
        // `scored` is in index order; best first, ties in index order (the key is unique).
        let hits: Vec<u32> = scored.iter().map(|(i, _)| *i).collect();
        scored.sort_unstable_by_key(|(i, s)| (std::cmp::Reverse(*s), *i));
        self.ranked = scored.into_iter().map(|(i, _)| i).collect();
        if self.kept.len() >= KEEP {
            self.kept.remove(0);
        }
        self.kept.push((q, hits, self.ranked.clone()));
    }

    /// Forgets earlier answers, so the next query scores the whole index (after a reload).
    pub fn reset(&mut self) {
        self.kept.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, name: &str, company: &str, email: &str, phone: &str) -> IndexRow {
        IndexRow {
            id,
            name: name.into(),
            company: (!company.is_empty()).then(|| company.into()),
            emails: vec![email.into()],
            phones: (!phone.is_empty())
                .then(|| phone.to_string())
                .into_iter()
                .collect(),
            tags: Vec::new(),
            status: Status::Lead,
            temperature: None,
            owner: "me".into(),
        }
    }

    fn index() -> NameIndex {
        let mut rows = vec![
            row(1, "Ana Souza", "Acme", "ana@acme.test", "+1 555 0101"),
            row(2, "Bob Lee", "Brightline Health", "bob@brightline.io", ""),
            row(
                3,
                "Bjørn Olsen",
                "Nordlys",
                "bjorn@nordlys.no",
                "+47 22 33 44 55",
            ),
            row(4, "Carla Brightman", "Zeta", "carla@zeta.test", ""),
        ];
        rows[0].tags = vec!["VIP".into(), "renewal".into()];
        rows[0].temperature = Some(Temperature::Hot);
        rows[1].status = Status::Customer;
        rows[1].temperature = Some(Temperature::Cold);
        rows[2].tags = vec!["vip".into()];
        rows[2].status = Status::Prospect;
        rows[3].temperature = Some(Temperature::Hot);
        NameIndex::new(rows)
    }

    fn ids(ix: &NameIndex, q: &str) -> Vec<i64> {
        let mut f = Filter::default();
        f.apply(ix, q);
        f.ranked.iter().map(|i| ix.ids[*i as usize]).collect()
    }

    /// Every field `contact list --search` looks in, every filter word, and their mixes.
    #[test]
    fn the_filter_finds_by_every_field_and_word() {
        let ix = index();
        let table: &[(&str, &[i64])] = &[
            ("brightline", &[2]),
            ("bright", &[4, 2]),
            ("acme", &[1]),
            ("ana acme", &[1]),
            ("nordlys.no", &[3]),
            ("5550101", &[1]),
            ("555 0101", &[1]),
            ("22334", &[3]),
            ("+47 22", &[]),
            ("bjorn", &[3]),
            ("#vip", &[1, 3]),
            ("#VIP ana", &[1]),
            ("#ren", &[1]),
            ("#nothing", &[]),
            ("is:customer", &[2]),
            ("status:pro", &[3]),
            ("is:nonsense", &[]),
            ("hot", &[1, 4]),
            ("temp:cold", &[2]),
            ("hot #vip", &[1]),
            ("is:lead hot carla", &[4]),
            ("xyzzy", &[]),
        ];
        for (q, want) in table {
            assert_eq!(ids(&ix, q), *want, "query {q:?}");
        }
    }

    #[test]
    fn holds_finds_a_word_anywhere_and_nothing_else() {
        for (hay, word, want) in [
            ("aaab", "aab", true),
            ("abc", "", true),
            ("abc", "c", true),
            ("abc", "bc", true),
            ("abc", "abcd", false),
            ("", "a", false),
            ("x\u{1}y", "xy", false),
            ("ana@acme.test", "acme", true),
        ] {
            assert_eq!(holds(hay.as_bytes(), word.as_bytes()), want, "{hay} {word}");
        }
    }

    /// Typing a query a letter at a time gives what typing it whole gives, whatever the words
    /// turn into on the way (`ho` a name, `hot` a temperature, `hote` a name again).
    #[test]
    fn typing_on_answers_as_the_whole_query() {
        let ix = index();
        for q in [
            "hote",
            "hot ana",
            "is:cust",
            "#vip bj",
            "statu",
            "status:lead",
            "bright z",
            "nor",
            "555 0101",
            "acme ana",
        ] {
            let mut f = Filter::default();
            for end in 1..=q.len() {
                f.apply(&ix, &q[..end]);
                let whole = ids(&ix, &q[..end]);
                let got: Vec<i64> = f.ranked.iter().map(|i| ix.ids[*i as usize]).collect();
                assert_eq!(got, whole, "after typing {:?}", &q[..end]);
            }
        }
    }

    #[test]
    fn each_contact_knows_its_owner() {
        let mut rows: Vec<IndexRow> = (1..=4).map(|i| row(i, "N", "", "", "")).collect();
        rows[1].owner = "ana.lima".into();
        rows[3].owner = "ana.lima".into();
        rows[2].owner = "bo".into();
        let ix = NameIndex::new(rows);
        assert_eq!(ix.owners.len(), 3, "{:?}", ix.owners);
        let whose = |o: &str| (0..4).filter(|i| ix.owned_by(*i, o)).collect::<Vec<_>>();
        assert_eq!(whose("me"), [0]);
        assert_eq!(whose("ana.lima"), [1, 3]);
        assert_eq!(whose("bo"), [2]);
        assert!(whose("nobody").is_empty());
    }
}
